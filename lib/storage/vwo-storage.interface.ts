import type { StoredRecord } from '../engine/types';

/** A settings document and when it was fetched from VWO, as a storage caches it. */
export interface VWOCachedSettings {
  /** The document as VWO served it (it carries its own `accountId` and `sdkKey`). */
  settings: Record<string, unknown>;
  /** When it was fetched, in epoch milliseconds. */
  timestamp: number;
}

/**
 * A sticky-decision store, with the same contract as a storage connector of VWO's Node SDK:
 * `get(featureKey, userId)` resolves the record last `set` for that pair (or null), and
 * `set(record)` keys by `record.featureKey` + `record.userId`, replacing what was there.
 * Either may be sync or async; a throw or rejection is logged and the decision goes on without storage.
 *
 * A storage may also cache settings, as VWO's connectors can: the module then writes every document it
 * fetches with `setSettings`, and at boot reads it back with `getSettings`.
 */
export interface VWOStorage {
  get(featureKey: string, userId: string): Promise<StoredRecord | null | undefined> | StoredRecord | null | undefined;
  set(record: StoredRecord): Promise<void> | void;
  /** The cached settings of this account and SDK key (environment), or nothing. */
  getSettings?(accountId: string, sdkKey: string): Promise<VWOCachedSettings | null | undefined> | VWOCachedSettings | null | undefined;
  /** Caches a document just fetched; its `accountId` and `sdkKey` say whose it is. */
  setSettings?(data: VWOCachedSettings): Promise<void> | void;
  /**
   * Milliseconds a cached document is fresh enough to boot on without waiting for VWO (VWO's connectors
   * call it `ttl`). An older one is used only when VWO cannot be reached. @default 7200000 (2 hours)
   */
  readonly settingsTtl?: number;
}
