/** Inputs of the fluent settings-document builder (`SettingsBuilder`). */

/** A variable value as it appears in settings; the VWO type (`integer`, `double`, ...) is inferred from it. */
export type VWOVariableValue = string | number | boolean | Record<string, unknown> | unknown[];

/** Variables of one variation, by key. */
export type VWOVariableValues = Record<string, VWOVariableValue>;

/** A segmentation DSL tree, e.g. `{ or: [{ custom_variable: { plan: 'pro' } }] }`. `{}` lets everyone in. */
export type VWOSegments = Record<string, unknown>;

export interface RolloutRuleSpec {
  /** Share of users (0-100, fractions allowed) the rollout lets in. @default 100 */
  percent?: number;
  /** Variables served to users in the rollout. */
  variables?: VWOVariableValues;
  /** Pre-segmentation: only users matching it are considered. @default {} (everyone) */
  segments?: VWOSegments;
  /** @default `rolloutRule<n>` */
  ruleKey?: string;
  /** Bucketing salt (same salt ⇒ same buckets across rules). */
  salt?: string;
}

export interface TestingVariationSpec {
  /** @default `Variation-<n>` (`Default` for the first) */
  name?: string;
  /** Share of the test's users (0-100). @default an even split of what the other variations leave */
  weight?: number;
  variables?: VWOVariableValues;
  /** Whitelisting: users matching it are forced into this variation (enables forced variations). */
  whitelist?: VWOSegments;
}

export interface TestingRuleSpec {
  /** Share of users (0-100) that enter the test. @default 100 */
  percentTraffic?: number;
  /** The variations, control first. At least one. */
  variations: TestingVariationSpec[];
  /** Pre-segmentation of the test. @default {} (everyone) */
  segments?: VWOSegments;
  /** @default `testingRule<n>` */
  ruleKey?: string;
  salt?: string;
}

export interface MetricSpec {
  /** @default 'CUSTOM_GOAL' (use 'REVENUE_TRACKING' with `revenueProp`) */
  type?: string;
  hasProps?: boolean;
  revenueProp?: string;
}

export interface SettingsBuilderOptions {
  /** The settings' accountId (part of every variation bucketing key). @default 123456 */
  accountId?: number | string;
  /** @default 1 */
  version?: number | string;
  sdkKey?: string;
  /** The document's own poll interval (ms). */
  pollInterval?: number;
}
