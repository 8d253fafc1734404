/**
 * The engine's surface as the rest of the library sees it. lib/engine/index.ts re-exports the implementations:
 *
 *   compileSettings(raw: unknown, options?: { normalize?: boolean }): SettingsSnapshot   // throws SettingsValidationError
 *   decide(snapshot, featureKey, context, stored: StoredLookup, logger?: EngineLogger): Decision  // never throws
 *   class Flag                       // isEnabled(), getVariables(), getVariable(key, default), decision details
 *   class SettingsValidationError    // .path names the field ("campaigns[2].segments"), .message says what was wrong
 *   getUUID(userId, accountId)       // VWO's 32-char uppercase UUIDv5 chain (docs/bucketing.md)
 */
import type { Id } from './types';

export interface MetricInfo {
  id: Id;
  identifier: string;
  type: string;
  hasProps?: boolean;
  revenueProp?: string;
}

/** The plain facts a snapshot exposes about its document. */
export interface SnapshotInfo {
  /** The settings' own accountId (used in bucketing keys), as it appears in the document. */
  readonly accountId: Id;
  readonly version: Id;
  readonly sdkKey?: string;
  readonly collectionPrefix?: string;
  /** The document's pollInterval (ms), if any. */
  readonly pollInterval?: number;
  readonly usageStatsAccountId?: number;
  readonly isMAU: boolean;
  readonly devMode: boolean;
  /** The document as received (never mutated). */
  readonly raw: Readonly<Record<string, unknown>>;
  /** Feature keys in settings order. */
  readonly featureKeys: readonly string[];
}

/** An immutable, indexed view of one valid settings document. Polling swaps snapshots; nothing mutates one. */
export interface SettingsSnapshot extends SnapshotInfo {
  hasFeature(featureKey: string): boolean;
  /** Metric by its identifier (event name), across all features; undefined ⇒ trackEvent must not send. */
  metric(eventName: string): MetricInfo | undefined;
  /** True if deciding this feature may need gateway data (location / parsed UA / inlist). */
  needsGateway(featureKey: string): boolean;
  /**
   * Every storage key a decision of this feature may read for one user: the feature itself, the
   * `_vwo_meta_meg_<groupId>` records of its groups, the other features of those groups, and features
   * named by `featureId` segments. The caller fetches these once, then decides synchronously.
   */
  storageKeys(featureKey: string): readonly string[];
  /**
   * The `inlist(<listId>)` checks a decision of this feature may make (custom variable name and list id), so the
   * caller can ask VWO's gateway beforehand and answer them through decide()'s `inList` option.
   */
  inlistRefs?(featureKey: string): readonly { readonly variable: string; readonly listId: string }[];
}
