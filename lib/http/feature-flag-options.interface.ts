/** Options of one `@FeatureFlag`: what counts as "on", and how the route answers when it is off. */
export interface FeatureFlagOptions {
  /**
   * Also require this variable of the flag to match (`equals`, `matches`, else a truthy value).
   * @example @FeatureFlag('checkout', { variable: 'layout', equals: 'v2' })
   */
  variable?: string;
  /** The value `variable` must have (strict equality). */
  equals?: unknown;
  /** A test of the value of `variable` (instead of `equals`). */
  matches?: (value: unknown) => boolean;
  /** HTTP status of the denial. @default the module's `flagDisabled.status`, else 404 */
  status?: number;
  /** Builds the exception thrown on denial (takes precedence over every status). */
  exception?: (featureKey: string) => Error;
  /**
   * The named VWOModule that decides the flag (`VWOModule.forRoot({ name })`). @default the default (unnamed) instance
   * @example @FeatureFlag('new-checkout', { instance: 'eu' })
   */
  instance?: string;
}

/** What `@FeatureFlag` stores on a handler or controller. */
export interface FeatureFlagMetadata {
  featureKey: string;
  options: FeatureFlagOptions;
}
