import { describeStorageContract } from '../../test/support/storage-contract';
import { VWOMemoryStorage } from './memory-storage';

describeStorageContract('VWOMemoryStorage', () => new VWOMemoryStorage());

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
