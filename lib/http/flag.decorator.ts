import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { VWOFlagKey, VWOFlagVariableName, VWOFlagVariables } from '../typed-flags/vwo-flag-registry';
import { FlagParamPipe, type FlagParamData } from './flag-param.pipe';

/** Options of `@Flag` / `@FlagVariable`. */
export interface FlagParamOptions {
  /** The named VWOModule that decides the flag (`VWOModule.forRoot({ name })`). @default the default (unnamed) instance */
  instance?: string;
}

// The factory only hands the context over; FlagParamPipe (which has DI) evaluates.
const FlagParam = createParamDecorator((_data: FlagParamData, ctx: ExecutionContext) => ctx);

/**
 * Injects the flag evaluated for the request's user (evaluated once per request, shared with
 * `@FeatureFlag` and other decorators). Without a user the flag is disabled.
 * @example handler(@Flag('new-checkout') flag: Flag) { if (flag.isEnabled()) … }
 * @example handler(@Flag('new-checkout', { instance: 'eu' }) flag: Flag)
 * @publicApi
 */
export function Flag(featureKey: VWOFlagKey, options: FlagParamOptions = {}): ParameterDecorator {
  const data: FlagParamData = { featureKey, instance: options.instance };
  return FlagParam(data, FlagParamPipe);
}

/**
 * Injects one variable of the flag, or `defaultValue` when the flag is off or lacks the variable. With
 * VWOFlagRegistry declared, the key, the variable and the default's type are checked at compile time.
 * @example handler(@FlagVariable('new-checkout', 'layout', 'v1') layout: string)
 * @example handler(@FlagVariable('new-checkout', 'layout', 'v1', { instance: 'eu' }) layout: string)
 * @publicApi
 */
export function FlagVariable<K extends VWOFlagKey, V extends VWOFlagVariableName<K>>(
  featureKey: K,
  variable: V,
  defaultValue: VWOFlagVariables<K>[V],
  options: FlagParamOptions = {},
): ParameterDecorator {
  const data: FlagParamData = { featureKey, variable, defaultValue, instance: options.instance };
  return FlagParam(data, FlagParamPipe);
}
