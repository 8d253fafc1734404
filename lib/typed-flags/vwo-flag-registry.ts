import { Inject } from '@nestjs/common';
import type { Flag } from '../engine';
import type { VWOUserContext } from '../engine/types';
import { getVWOServiceToken } from '../instances/vwo-service-token';
import type { VWOServiceApi } from './vwo-service-api';

/**
 * Your flags and their variables, declared by augmenting this interface. Empty by default: then every
 * string is a flag key and variables are `unknown`. Once augmented, `TypedVWOService` rejects unknown
 * keys and wrongly typed variables at compile time.
 *
 * @example
 * declare module 'nestjs-vwo' {
 *   interface VWOFlagRegistry {
 *     new_checkout: { title: string; discount: number };
 *   }
 * }
 * @publicApi
 */
// eslint-disable-next-line @typescript-eslint/no-empty-interface, @typescript-eslint/no-empty-object-type
export interface VWOFlagRegistry {}

/** Keys declared in VWOFlagRegistry. */
export type VWORegisteredFlagKey = Extract<keyof VWOFlagRegistry, string>;

/** A flag key: a declared one once VWOFlagRegistry is augmented, else any string. */
export type VWOFlagKey = [VWORegisteredFlagKey] extends [never] ? string : VWORegisteredFlagKey;

/** The variables of a flag, as declared (any variable, `unknown`, for undeclared registries). */
export type VWOFlagVariables<K extends string> = K extends VWORegisteredFlagKey ? VWOFlagRegistry[K] : Record<string, unknown>;

/** A variable name of a flag: a declared one once VWOFlagRegistry is augmented, else any string. */
export type VWOFlagVariableName<K extends string> = Extract<keyof VWOFlagVariables<K>, string>;

/**
 * `variable` and `equals` of `@FeatureFlag(key, options)`, checked against the flag's declared variables:
 * no variable, or one of the flag's with a value of its type.
 */
export type VWOFlagVariableCheck<K extends string> =
  | { variable?: undefined }
  | { [V in VWOFlagVariableName<K>]: { variable: V; equals?: VWOFlagVariables<K>[V] } }[VWOFlagVariableName<K>];

/** A Flag whose `getVariable` knows the variable keys and types of its feature. */
export interface TypedFlag<Variables> extends Omit<Flag, 'getVariable'> {
  getVariable<Name extends Extract<keyof Variables, string>>(key: Name, defaultValue: Variables[Name]): Variables[Name];
  getVariable<Name extends Extract<keyof Variables, string>>(key: Name): Variables[Name] | undefined;
}

/** VWOService seen through VWOFlagRegistry: same object, checked keys and variables. */
export interface TypedVWOService extends Omit<VWOServiceApi, 'getFlag'> {
  getFlag<K extends VWOFlagKey>(featureKey: K, context?: VWOUserContext): Promise<TypedFlag<VWOFlagVariables<K>>>;
}

/** The same VWOService, typed by VWOFlagRegistry (no runtime cost: it returns its argument). */
export function typedVWO(vwo: VWOServiceApi): TypedVWOService {
  return vwo as unknown as TypedVWOService;
}

/**
 * Injects VWOService typed by VWOFlagRegistry (a type alias carries no DI token, hence the decorator);
 * with a name, that named VWOModule's.
 * @example constructor(@InjectTypedVWO() private readonly vwo: TypedVWOService) {}
 */
export function InjectTypedVWO(name?: string): ParameterDecorator & PropertyDecorator {
  return Inject(getVWOServiceToken(name));
}
