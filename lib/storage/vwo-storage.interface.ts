import type { StoredRecord } from '../engine/types';

/**
 * A sticky-decision store, with the same contract as a storage connector of VWO's Node SDK:
 * `get(featureKey, userId)` resolves the record last `set` for that pair (or null), and
 * `set(record)` keys by `record.featureKey` + `record.userId`, replacing what was there.
 * Either may be sync or async; a throw or rejection is logged and the decision goes on without storage.
 */
export interface VWOStorage {
  get(featureKey: string, userId: string): Promise<StoredRecord | null | undefined> | StoredRecord | null | undefined;
  set(record: StoredRecord): Promise<void> | void;
}
