/** Injection token of the provider's options. */
export const VWO_OPENFEATURE_OPTIONS = Symbol('VWO_OPENFEATURE_OPTIONS');

export interface VWOOpenFeatureProviderOptions {
  /**
   * Milliseconds `initialize()` (OpenFeature's `setProviderAndWait`) waits for VWO settings; past it the
   * provider reports an error and turns ready (emitting READY) when the settings arrive.
   * @default 5000
   */
  initTimeoutMs?: number;
}

export interface VWOOpenFeatureModuleOptions extends VWOOpenFeatureProviderOptions {
  /** Registers the provider for this OpenFeature domain instead of as the default provider. */
  domain?: string;
  /**
   * The named VWOModule (`VWOModule.forRoot({ name })`) the provider evaluates with; give each one its own
   * `domain`. @default the default (unnamed) instance
   */
  instance?: string;
}
