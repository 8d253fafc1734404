import { VWOMemoryStorage } from './memory-storage';

// The storage contract every VWOStorage keeps runs in test/storage/memory-storage.spec.ts; these are this store's own rules.

describe('VWOMemoryStorage bound', () => {
  const record = (featureKey: string, userId: string) => ({ featureKey, userId, featureId: 1 });

  it('keeps at most maxEntries records, dropping the least recently used', () => {
    const storage = new VWOMemoryStorage({ maxEntries: 2 });
    storage.set(record('f', 'a'));
    storage.set(record('f', 'b'));
    expect(storage.get('f', 'a')).not.toBeNull(); // "a" is now the most recently used
    storage.set(record('f', 'c'));
    expect(storage.size).toBe(2);
    expect(storage.get('f', 'b')).toBeNull();
    expect(storage.get('f', 'a')).toEqual(record('f', 'a'));
    expect(storage.get('f', 'c')).toEqual(record('f', 'c'));
  });

  it('orders recency across feature keys, counts rewrites as use, and empties on clear', () => {
    const storage = new VWOMemoryStorage({ maxEntries: 3 });
    storage.set(record('f', 'a'));
    storage.set(record('g', 'a'));
    storage.set(record('f', 'b'));
    storage.set(record('f', 'a')); // unchanged rewrite: f/a is now the most recent
    storage.set(record('g', 'b')); // evicts g/a, the least recently used
    expect(storage.get('g', 'a')).toBeNull();
    expect(storage.get('f', 'b')).toEqual(record('f', 'b'));
    storage.set(record('h', 'c')); // evicts f/a (g/b and f/b are more recent)
    expect(storage.get('f', 'a')).toBeNull();
    expect(storage.size).toBe(3);
    storage.clear();
    expect(storage.size).toBe(0);
    expect(storage.get('h', 'c')).toBeNull();
    storage.set(record('h', 'c'));
    expect(storage.get('h', 'c')).toEqual(record('h', 'c'));
  });

  it('with a large bound, keeps an entry read all along and drops those not used for maxEntries writes', () => {
    const storage = new VWOMemoryStorage({ maxEntries: 100 });
    storage.set(record('f', 'hot'));
    for (let i = 0; i < 1000; i++) {
      storage.set(record('f', `u${i}`));
      expect(storage.get('f', 'hot')).not.toBeNull();
      expect(storage.size).toBeLessThanOrEqual(100);
    }
    expect(storage.size).toBe(100);
    // Recency is exact to within maxEntries / 2 uses: the 50 newest are certainly kept, the oldest gone.
    for (let i = 950; i < 1000; i++) expect(storage.get('f', `u${i}`)).not.toBeNull();
    for (let i = 0; i < 850; i++) expect(storage.get('f', `u${i}`)).toBeNull();
  });

  it('keeps frozen copies, so neither the writer nor a reader can change a stored record', () => {
    const storage = new VWOMemoryStorage();
    const written = record('f', 'a');
    storage.set(written);
    written.featureId = 42;
    const read = storage.get('f', 'a')!;
    expect(read.featureId).toBe(1);
    expect(() => {
      read.featureId = 99;
    }).toThrow(TypeError);
    expect(storage.get('f', 'a')!.featureId).toBe(1);
  });

  it('replaces a record whose holdout ids changed, and keeps an identical one', () => {
    const storage = new VWOMemoryStorage();
    storage.set({ ...record('f', 'a'), notInHoldoutId: [1] });
    const first = storage.get('f', 'a');
    storage.set({ ...record('f', 'a'), notInHoldoutId: [1] });
    expect(storage.get('f', 'a')).toBe(first);
    storage.set({ ...record('f', 'a'), notInHoldoutId: [1, 2] });
    expect(storage.get('f', 'a')!.notInHoldoutId).toEqual([1, 2]);
    storage.set({ ...record('f', 'a'), notInHoldoutId: [1, 2], experimentKey: undefined });
    expect(storage.get('f', 'a')!).toHaveProperty('experimentKey', undefined);
  });

  it('keys by featureKey and userId without collisions across the separator', () => {
    const storage = new VWOMemoryStorage();
    storage.set(record('a_b', 'c'));
    expect(storage.get('a', 'b_c')).toBeNull();
  });
});
