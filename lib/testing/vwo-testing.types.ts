import type { VWOUserContext } from '../engine/types';
import type { VWOModuleOptions } from '../options/vwo-module-options.interface';

/** A flag as the testing module serves it. */
export interface VWOTestingFlag {
  enabled: boolean;
  /** The variables of the served variation (ignored when disabled, like VWO). */
  variables?: Record<string, unknown>;
}

/** A flag, or a function of the user deciding it (to test per-user behaviour). */
export type VWOTestingFlagDefinition = VWOTestingFlag | ((context: VWOUserContext) => VWOTestingFlag);

export interface VWOTestingModuleOptions
  extends Pick<VWOModuleOptions, 'userContext' | 'userIdHeader' | 'flagDisabled' | 'logger'> {
  /** The flags, by feature key. Unknown keys are disabled (reason FEATURE_NOT_FOUND), as with real settings. */
  flags?: Record<string, VWOTestingFlagDefinition>;
  /**
   * The user when a request (or a `getFlag` call) brings none, so tests need no user header. `false`
   * keeps the real behaviour: no user ⇒ flags disabled and `@FeatureFlag` routes denied.
   * @default { id: 'vwo-test-user' }
   */
  defaultUser?: VWOUserContext | false;
  /**
   * The event names `trackEvent` accepts (the metrics of your settings). Others are refused, as VWOService
   * refuses events that are not metrics. Without it any non-empty name is accepted.
   */
  events?: readonly string[];
  /** Registers the module globally, like VWOModule. @default true */
  isGlobal?: boolean;
  /**
   * Stands in for the VWOModule of this name (`VWOModule.forRoot({ name })`): injected with
   * `@InjectVWO(name)`, deciding `@FeatureFlag(key, { instance: name })`. @default the default instance
   */
  name?: string;
}

/** One `getFlag` the testing service answered. */
export interface VWOTestingEvaluation {
  featureKey: string;
  context?: VWOUserContext;
  enabled: boolean;
}

/** One `trackEvent` call. */
export interface VWOTestingTrackedEvent {
  eventName: string;
  context?: VWOUserContext;
  properties: Record<string, unknown>;
}

/** One `setAttribute` call (map form or key/value form alike). */
export interface VWOTestingAttributeCall {
  attributes: Record<string, string | number | boolean>;
  context?: VWOUserContext;
}

/** One `setAlias` call. */
export interface VWOTestingAliasCall {
  contextOrUserId: VWOUserContext | string;
  aliasId: string;
}
