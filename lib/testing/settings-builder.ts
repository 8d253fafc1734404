import { FeatureBuilder } from './feature-builder';
import type { SettingsBuilderOptions, VWOVariableValues } from './settings-builder.types';

/** A settings document as VWO serves it. */
export type VWOBuiltSettings = Record<string, unknown>;

/**
 * Builds a valid VWO settings document in code, for tests that want real engine decisions
 * (bucketing, segmentation, rule order) without a VWO account:
 *
 * @example
 * const settings = new SettingsBuilder({ accountId: 1 })
 *   .feature('new_checkout', (f) => f
 *     .rollout({ percent: 100, variables: { title: 'Checkout' } })
 *     .testing({ variations: [{ variables: { title: 'A' } }, { variables: { title: 'B' } }] })
 *     .metric('purchase'))
 *   .flag('dark_mode', { enabled: false })
 *   .build();
 * VWOModule.forRoot({ settings });
 */
export class SettingsBuilder {
  private readonly features: FeatureBuilder[] = [];
  private campaignCount = 0;

  constructor(private readonly options: SettingsBuilderOptions = {}) {}

  /** Adds a feature (no rules ⇒ disabled for everyone); `configure` adds its rules and metrics. */
  feature(key: string, configure?: (feature: FeatureBuilder) => FeatureBuilder | void): this {
    if (this.features.some((feature) => feature.key === key)) throw new Error(`feature "${key}" is already defined`);
    const feature = new FeatureBuilder(key, this.features.length + 1, () => ++this.campaignCount);
    configure?.(feature);
    this.features.push(feature);
    return this;
  }

  /** Shorthand: a feature that is on (a 100% rollout with `variables`) or off (no rules) for everyone. */
  flag(key: string, flag: { enabled: boolean; variables?: VWOVariableValues }): this {
    return this.feature(key, (feature) => (flag.enabled ? feature.rollout({ variables: flag.variables }) : feature));
  }

  /** The settings document (a fresh object on every call). */
  build(): VWOBuiltSettings {
    const built = this.features.map((feature) => feature.build());
    return {
      accountId: this.options.accountId ?? 123456,
      version: this.options.version ?? 1,
      ...(this.options.sdkKey === undefined ? {} : { sdkKey: this.options.sdkKey }),
      ...(this.options.pollInterval === undefined ? {} : { pollInterval: this.options.pollInterval }),
      features: built.map(({ feature }) => feature),
      campaigns: built.flatMap(({ campaigns }) => campaigns),
      groups: {},
      campaignGroups: {},
    };
  }
}
