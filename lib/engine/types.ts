/**
 * Shared types of the pure decision engine. No Nest, no I/O: everything the engine needs from outside
 * (stored records, gateway data) is handed to it already resolved, so a decision is synchronous.
 */

export type Id = number | string;

/** Location and parsed user agent, as VWO's gateway service returns them (or as the caller supplies them). */
export interface GatewayUserData {
  location?: { country?: string; region?: string; city?: string; [key: string]: unknown };
  userAgent?: {
    os?: string;
    browser_string?: string;
    device_type?: string;
    device?: string;
    browser_version?: string;
    os_version?: string;
    [key: string]: unknown;
  };
}

/** The user a decision is made for. Field names follow VWO's Node SDK (camelCase). */
export interface VWOUserContext {
  /** Required, truthy. Numbers are stringified. */
  id: string | number;
  userAgent?: string;
  ipAddress?: string;
  customVariables?: Record<string, unknown>;
  variationTargetingVariables?: Record<string, unknown>;
  /** Buckets by this instead of the id (same seed ⇒ same variation). Blank strings are ignored. */
  bucketingSeed?: string;
  postSegmentationVariables?: string[];
  /** Seconds since epoch; defaults to now. */
  sessionId?: number;
  /** The visitor UUID of the user's events and `Flag.getUUID()`, e.g. the one VWO's web client uses. */
  uuid?: string;
  /**
   * The id is the visitor id of VWO's web client ("D" or "J" then 32 hex digits), to be used as is: any other
   * id then fails the call (a disabled flag with reason INVALID_CONTEXT, no event) instead of getting a
   * server-made visitor id.
   */
  useIdForWeb?: boolean;
  /** Pre-resolved gateway data; skips the gateway call. `_wingify` is accepted as an alias. */
  _vwo?: GatewayUserData;
  _wingify?: GatewayUserData;
  platformVariables?: { webTestingCampaigns?: Record<string, unknown> | string };
  isDevMode?: boolean;
}

/** A sticky-decision record, exactly as VWO's Node SDK passes it to a storage connector. */
export interface StoredRecord {
  featureKey: string;
  userId: string;
  featureId?: Id;
  rolloutId?: Id;
  rolloutKey?: string;
  rolloutVariationId?: Id;
  experimentId?: Id;
  experimentKey?: string;
  experimentVariationId?: Id;
  isInHoldoutId?: Id[];
  notInHoldoutId?: Id[];
  /** Legacy name of isInHoldoutId, read but never written. */
  holdoutGroupId?: Id[];
  [key: string]: unknown;
}

/** Synchronous read of already-fetched records for one user, by feature key (or `_vwo_meta_meg_<groupId>`). */
export type StoredLookup = (featureKey: string) => StoredRecord | null | undefined;

export interface Variable {
  id: Id;
  key: string;
  type: string;
  value: unknown;
}

/** One `vwo_variationShown` the caller must send (payload building is the events layer's job). */
export interface Impression {
  /** Campaign id, or holdout id for holdout impressions. */
  campaignId: Id;
  variationId: Id;
  featureId: Id;
  /** True for holdout impressions (they carry `fId`). */
  isHoldout?: boolean;
}

/** Properties passed to `integrations.callback` (docs/decisions.md). */
export type IntegrationPayload = Record<string, unknown>;

export type DecisionReason =
  | 'ROLLOUT'
  | 'EXPERIMENT'
  | 'WHITELISTED'
  | 'STORED_EXPERIMENT'
  | 'STORED_ROLLOUT'
  | 'STORED_HOLDOUT'
  | 'HOLDOUT'
  | 'NOT_IN_ROLLOUT'
  | 'NO_RULE_MATCHED'
  | 'FEATURE_NOT_FOUND'
  | 'INVALID_CONTEXT'
  | 'INVALID_FEATURE_KEY'
  | 'SETTINGS_NOT_READY'
  | 'ERROR';

/** Everything one getFlag decided: the flag the user sees, plus what the caller must do next. */
export interface Decision {
  featureKey: string;
  enabled: boolean;
  /** The served variation's variables (experiment replaces rollout); [] when disabled. */
  variables: readonly Variable[];
  reason: DecisionReason;
  /** Human-readable detail for logs when the flag is disabled for a non-ordinary reason. */
  message?: string;
  userId?: string;
  feature?: { id: Id; key: string; name: string };
  rollout?: { id: Id; key: string; ruleKey: string; variationId: Id };
  experiment?: { id: Id; key: string; ruleKey: string; variationId: Id; variationName: string };
  /** Storage writes to perform (fire-and-forget), in order. */
  writes: StoredRecord[];
  /** Impressions to send (none for decisions served from storage). */
  impressions: Impression[];
  /** Set when the integrations callback must be called. */
  integration?: IntegrationPayload;
  /** The served variation (experiment variation if any, else rollout variation); absent when disabled. */
  variationId?: Id;
  variationName?: string;
  /** First value per variable key of the served variation (Flag#getVariable's index; built at snapshot time). */
  variableIndex?: ReadonlyMap<string, unknown>;
}

/** Where the engine reports what it cannot act on (unknown operator, bad regex). Never throws. */
export interface EngineLogger {
  warn(message: string): void;
  debug?(message: string): void;
}
