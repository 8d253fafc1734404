import type { StoredRecord } from '../engine/types';
import { DEFAULT_MEMORY_STORAGE_MAX_ENTRIES } from '../vwo.constants';
import type { VWOStorage } from './vwo-storage.interface';

export interface VWOMemoryStorageOptions {
  /** Records kept at most; the least recently used go first. @default 100000 */
  maxEntries?: number;
}

/**
 * The default sticky-decision store: a Map in this process, bounded by an LRU policy (a Map keeps insertion
 * order, so re-inserting on access moves a key to the young end and the first key is the oldest).
 * Stored records are frozen copies, so neither the writer nor a reader can change what another one sees.
 */
export class VWOMemoryStorage implements VWOStorage {
  private readonly records = new Map<string, StoredRecord>();
  private readonly maxEntries: number;

  constructor(options: VWOMemoryStorageOptions = {}) {
    this.maxEntries = Math.max(1, options.maxEntries ?? DEFAULT_MEMORY_STORAGE_MAX_ENTRIES);
  }

  get size(): number {
    return this.records.size;
  }

  get(featureKey: string, userId: string): StoredRecord | null {
    const key = VWOMemoryStorage.key(featureKey, userId);
    const record = this.records.get(key);
    if (!record) return null;
    this.records.delete(key);
    this.records.set(key, record);
    // Records are frozen copies: handing out the same object is safe and saves a copy per decision.
    return record;
  }

  set(record: StoredRecord): void {
    const key = VWOMemoryStorage.key(record.featureKey, String(record.userId));
    const current = this.records.get(key);
    // A sticky decision is re-written on every call that reuses it: keep the stored copy when nothing changed.
    if (current && sameRecord(current, record)) return;
    this.records.delete(key);
    this.records.set(key, Object.freeze({ ...record }));
    if (this.records.size > this.maxEntries) this.records.delete(this.records.keys().next().value!);
  }

  clear(): void {
    this.records.clear();
  }

  private static key(featureKey: string, userId: string): string {
    return `${featureKey}\u0000${userId}`;
  }
}

/** Field-by-field equality of two records (arrays of holdout ids by content). */
function sameRecord(a: StoredRecord, b: StoredRecord): boolean {
  let count = 0;
  for (const field in b) {
    count++;
    const x = a[field];
    const y = b[field];
    if (x === y) continue;
    if (!Array.isArray(x) || !Array.isArray(y) || x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  }
  let countA = 0;
  for (const _ in a) countA++;
  return count === countA;
}
