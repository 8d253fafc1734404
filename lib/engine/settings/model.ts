/**
 * The compiled (indexed, immutable) form of a settings document. Built once per snapshot by compile.ts; read by
 * the decision steps (decision/). Field values keep VWO's model semantics (aliases resolved, `||` defaults) and are typed `unknown`
 * where settings may legally hold odd values (numeric strings, etc.) that the decision code must treat exactly
 * as JavaScript would.
 */
import type { Segment } from '../segments';
import type { Id, Variable } from '../types';

export interface CVariation {
  /** `i || id`. */
  readonly id: Id;
  /** `n || key || name` (VWO's variation "key", shown as the variation name). */
  readonly name: string;
  /** `w || weight` (number, or numeric string as the validator allows). */
  readonly weight: unknown;
  readonly salt: unknown;
  /** `seg || segments` when truthy, else undefined, compiled (pre-segmentation of rollout/personalize, whitelisting of AB). */
  readonly segments: Segment;
  /** Bucket range on the 1–10000 scale (docs/settings.md); -1/-1 when the weight is 0. */
  readonly start: number;
  readonly end: number;
  /** `{value, type, key, id}` objects, as VWO's Flag returns them. */
  readonly variables: readonly Variable[];
  /** First value per variable key (getVariable). */
  readonly variableIndex: ReadonlyMap<string, unknown>;
}

/** What a campaign and every rule linked to it share. */
export interface CampaignIdentity {
  readonly id: Id;
  readonly key: string;
  readonly name: string;
  readonly type: string;
}

export interface CCampaign extends CampaignIdentity {
  readonly variations: readonly CVariation[];
  /** First variation per id (strict id equality, as VWO's `find(v => v.id === id)`). */
  readonly variationById: ReadonlyMap<unknown, CVariation>;
}

/** docs/settings.md: a feature rule linked to (a per-rule view of) its campaign; `key` is the campaign key, shared by its rules. */
export interface CRule extends CampaignIdentity {
  readonly ruleKey: string;
  readonly isAB: boolean;
  readonly isRollout: boolean;
  readonly isPersonalize: boolean;
  /** Campaign salt (AB traffic, variation and whitelisting keys). */
  readonly salt: unknown;
  readonly percentTraffic: unknown;
  readonly isForcedVariationEnabled: unknown;
  readonly isUserListEnabled: unknown;
  /** Campaign-level segments (AB pre-segmentation). */
  readonly campaignSegments: Segment;
  /** All campaign variations, or only the rule's `variationId` variation. */
  readonly variations: readonly CVariation[];
  /** Group membership, or the error VWO throws looking it up. */
  readonly group: GroupLookup | null;
  /** `"<id>"` for AB/rollout, `"<id>_<var0.id>"` for personalize (MEG references); undefined when var0 is missing. */
  readonly groupRef: string | undefined;
  /** Traffic bucket key prefix: `"<salt>_"` or `"<id>_"` (salt of variations[0] for rollout/personalize). */
  readonly trafficPrefix: string | undefined;
  /** Allocation compared with the 1–100 bucket: percentTraffic (AB) or variations[0].weight. */
  readonly trafficAllocation: unknown;
  /** AB variation bucket key prefix: `"<salt‖id>_<accountId>_"`. */
  readonly variationPrefix: string;
  /** AB whitelisting tie-break key prefix: `"<salt‖id>_"`. */
  readonly whitelistPrefix: string;
  /** True if any variation has whitelisting segments (a non-empty plain object). */
  readonly hasWhitelisting: boolean;
}

export interface CHoldout {
  readonly id: Id;
  readonly name: string;
  /** `segments || {}`. */
  readonly segments: Segment;
  /** `percentTraffic || 0`. */
  readonly percentTraffic: unknown;
  readonly isGlobal: boolean;
  readonly featureIds: readonly unknown[];
  /** `"<accountId>_<holdoutId>_"`: the holdout bucket key without the user id. */
  readonly keyPrefix: string;
}

export interface CFeature {
  readonly id: Id;
  readonly key: string;
  readonly name: string;
  readonly type: string;
  readonly isDebuggerEnabled: boolean;
  /** `{id, key, name}` as Decision.feature carries it (frozen, shared by all decisions). */
  readonly info: { readonly id: Id; readonly key: string; readonly name: string };
  /** `impactCampaign.campaignId` (an impression is sent when truthy). */
  readonly impactCampaignId: unknown;
  readonly rules: readonly CRule[];
  readonly rollouts: readonly CRule[];
  /** FLAG_TESTING and FLAG_PERSONALIZE rules, in rule order. */
  readonly experiments: readonly CRule[];
  /** Holdouts applying to this feature, settings order. */
  readonly holdouts: readonly CHoldout[];
  /** campaignId of every raw rule (the MEG "called" list). */
  readonly ruleCampaignIds: readonly unknown[];
  /** variationId of every raw rule (MEG feature lookup by `"<campaignId>_<variationId>"`). */
  readonly ruleVariationIds: readonly unknown[];
}

/** A MEG group a rule belongs to, with the per-group strings a decision would otherwise build per call. */
export interface MegGroupRef {
  readonly groupId: unknown;
  /** `_vwo_meta_meg_<groupId>`: the group's winner record. */
  readonly metaKey: string;
  /** `"<groupId>_"`: the winner bucket key without the bucketing id (docs/decisions.md). */
  readonly bucketPrefix: string;
}

/** Where a rule's campaign sits in `campaignGroups` (docs/decisions.md), resolved at load; `error` is thrown when used. */
export type GroupLookup = MegGroupRef | { readonly error: Error };
