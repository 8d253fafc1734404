/**
 * Helpers for the engine conformance specs: an in-memory storage with VWO's connector semantics
 * (key = featureKey + userId, `set` replaces), and a getFlag-like wrapper that prefetches the storage keys,
 * decides, applies the writes and returns the Flag.
 */
import * as Engine from '../../../lib/engine';
import type { StoredRecord, VWOUserContext } from '../../../lib/engine';

/** The engine module (kept as a function so specs read `const engine = loadEngine()`). */
export function loadEngine(): typeof Engine {
  return Engine;
}

/** VWO's test StorageMap: one record per (featureKey, userId); `set` replaces the record. */
export class MapStorage {
  readonly map = new Map<string, StoredRecord>();
  get(featureKey: string, userId: string): StoredRecord | undefined {
    return this.map.get(`${featureKey}\u0000${userId}`);
  }
  set(record: StoredRecord): void {
    this.map.set(`${record.featureKey}\u0000${record.userId}`, record);
  }
}

export interface GetFlagResult {
  flag: Engine.Flag;
  decision: Engine.Decision;
}

/** What VWOService.getFlag does around the engine: prefetch, decide, write back. */
export function getFlag(
  engine: typeof Engine,
  snapshot: Engine.SettingsSnapshot,
  featureKey: string,
  context: VWOUserContext,
  storage?: MapStorage,
): GetFlagResult {
  const userId = context && context.id ? String(context.id) : '';
  const prefetched = new Map<string, StoredRecord>();
  if (storage && userId && typeof featureKey === 'string') {
    for (const key of snapshot.storageKeys(featureKey)) {
      const r = storage.get(key, userId);
      if (r) prefetched.set(key, r);
    }
  }
  const decision = engine.decide(snapshot, featureKey, context, (key) => prefetched.get(key), undefined, {
    overlayWrites: !!storage,
  });
  if (storage) for (const w of decision.writes) storage.set(w);
  return { flag: new engine.Flag(decision), decision };
}
