import type { StoredRecord } from '../../lib/engine/types';
import { VWOMemoryStorage } from '../../lib/storage/memory-storage';
import { StoredReadResult, VWOStorageAccess } from '../../lib/storage/storage-access';
import type { VWOStorage } from '../../lib/storage/vwo-storage.interface';
import { bootVWO } from './helpers/boot';
import { CaptureLogger } from './helpers/capture-logger';
import { shopSettings } from './helpers/shop-settings.fixture';

/** An async Map-backed storage whose next `stalls` reads answer only when the test calls release() (a stalled Redis). */
class StallingStorage implements VWOStorage {
  readonly records = new Map<string, StoredRecord>();
  readonly sets: StoredRecord[] = [];
  stalls = 0;
  private readonly gates: Array<() => void> = [];

  async get(featureKey: string, userId: string): Promise<StoredRecord | null> {
    if (this.stalls-- > 0) await new Promise<void>((resolve) => this.gates.push(resolve));
    return this.records.get(`${featureKey}/${userId}`) ?? null;
  }

  async set(record: StoredRecord): Promise<void> {
    this.sets.push(record);
    this.records.set(`${record.featureKey}/${record.userId}`, record);
  }

  /** How many reads are stalled right now. */
  get stalled(): number {
    return this.gates.length;
  }

  /** Lets every stalled read answer now, then waits a macrotask: whatever a late answer set off has run by then. */
  async release(): Promise<void> {
    for (const open of this.gates.splice(0)) open();
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe('storage safety: no blind writes over records that could not be read', () => {
  it('a get that hangs past storageTimeout: the decision is made, set() is not called for that feature, even once the read answers', async () => {
    const storage = new StallingStorage();
    const sticky: StoredRecord = { featureKey: 'new-checkout', userId: 'user-1', featureId: 1, rolloutId: 1, rolloutKey: 'sticky', rolloutVariationId: 1 };
    storage.records.set('new-checkout/user-1', sticky);
    storage.stalls = 1;
    const settings = shopSettings({ headline: 'offline' });
    const log = new CaptureLogger();
    const { app, vwo } = await bootVWO({ settings, storage, storageTimeout: 30, logger: { level: 'WARN', transport: log } });
    try {
      const stalled = await vwo.getFlag('new-checkout', { id: 'user-1' });
      expect(stalled.isEnabled()).toBe(true);
      expect(storage.stalled).toBe(1); // the decision came while the read was still hanging
      expect(storage.sets).toEqual([]);
      // The stalled read answers late: the module ignores the answer and still writes nothing.
      await storage.release();
      expect(storage.stalled).toBe(0);
      expect(storage.sets).toEqual([]);
      expect(storage.records.get('new-checkout/user-1')).toBe(sticky);
      expect(log.matching(/took over 30 ms; deciding without it/, 'WARN')).toHaveLength(1);
      expect(log.matching(/not saving the decision of "new-checkout"/, 'WARN')).toHaveLength(1);

      // A fresh user whose read answers in time is written as usual.
      await vwo.getFlag('new-checkout', { id: 'user-2' });
      expect(storage.sets).toEqual([expect.objectContaining({ featureKey: 'new-checkout', userId: 'user-2' })]);
    } finally {
      await app.close();
    }
  });
});

describe('VWOStorageAccess', () => {
  const options = { storageTimeout: 30 };
  const record = (featureKey: string): StoredRecord => ({ featureKey, userId: 'u', featureId: 1 });

  it('reads a synchronous storage synchronously: the lookup itself, no promise', () => {
    const memory = new VWOMemoryStorage();
    memory.set(record('a'));
    const access = new VWOStorageAccess(memory, options, new CaptureLogger());
    const one = access.read(['a'], 'u') as StoredReadResult;
    const many = access.read(['a', 'b'], 'u') as StoredReadResult;
    expect(typeof one).toBe('function');
    expect(typeof many).toBe('function');
    expect(one('a')).toEqual(record('a'));
    expect(many('a')).toEqual(record('a'));
    expect(many('b')).toBeUndefined();
    expect(many.failedKeys).toBeUndefined();
  });

  it('skips the writes of every key whose read failed or timed out (MEG meta included), writes the others', async () => {
    const sets: string[] = [];
    const storage: VWOStorage = {
      get: (key) => {
        if (key === '_vwo_meta_meg_7') return Promise.reject(new Error('down'));
        if (key === 'b') return new Promise(() => undefined); // never answers
        return key === 'a' ? record('a') : Promise.resolve(record(key));
      },
      set: (r) => void sets.push(r.featureKey),
    };
    const log = new CaptureLogger();
    const access = new VWOStorageAccess(storage, options, log);
    const lookup = await access.read(['a', '_vwo_meta_meg_7', 'b', 'c'], 'u');
    expect(lookup('a')).toEqual(record('a'));
    expect(lookup('c')).toEqual(record('c'));
    expect(lookup('b')).toBeUndefined();
    expect([...(lookup.failedKeys ?? [])].sort()).toEqual(['_vwo_meta_meg_7', 'b']);
    access.write(['a', '_vwo_meta_meg_7', 'b', 'c'].map(record), lookup);
    expect(sets).toEqual(['a', 'c']);
    expect(log.matching(/not saving the decision/, 'WARN')).toHaveLength(1); // rate-limited
  });
});
