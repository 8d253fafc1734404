import assert from 'node:assert/strict';
import { isDeepStrictEqual } from 'node:util';
import type { StoredRecord } from '../engine/types';
import type { VWOStorage } from '../storage/vwo-storage.interface';

type Hook = () => unknown;
/** The runner globals the suite uses: jest's, or vitest's with `globals: true`. */
interface TestGlobals {
  describe(name: string, body: () => void): void;
  it(name: string, test: Hook): void;
  beforeAll(hook: Hook): void;
  afterAll(hook: Hook): void;
}

/**
 * The behaviour every VWOStorage must have for sticky decisions to work (docs/decisions.md,
 * docs/decisions.md). Defines one `describe` block; `factory` runs once before its tests and `cleanup`
 * once after. Each test writes its own unique keys, so a storage already holding data passes too.
 * Records compare after dropping `undefined`-valued fields (a serialising storage loses them; the engine
 * reads them as absent either way). Assertions use node:assert, so the suite needs no jest types.
 *
 *   describeStorageContract('MyStorage', () => new MyStorage(...), () => myClient.quit());
 */
export function describeStorageContract(
  name: string,
  factory: () => Promise<VWOStorage> | VWOStorage,
  cleanup?: () => Promise<void>,
): void {
  const { describe, it, beforeAll, afterAll } = testGlobals();
  describe(`${name} satisfies the VWOStorage contract`, () => {
    let storage: VWOStorage;
    let run = 0;
    /** A user id no other test (or earlier run against a shared store) has written. */
    const freshUser = (label = 'user'): string => `${label}-${process.pid}-${Date.now()}-${++run}`;
    const read = async (featureKey: string, userId: string): Promise<StoredRecord | null | undefined> =>
      storage.get(featureKey, userId);

    beforeAll(async () => {
      storage = await factory();
    });

    afterAll(async () => {
      await cleanup?.();
    });

    it('returns null or undefined for a pair never written', async () => {
      const record = await read('never_written_feature', freshUser());
      assert.ok(record === null || record === undefined, `expected nothing stored, got ${JSON.stringify(record)}`);
    });

    it('returns the record that was set, field for field', async () => {
      const record = storedDecisionRecord('feature1', freshUser());
      await storage.set(record);
      await expectStored(read, record);
    });

    it('replaces a record on a second set instead of merging the two', async () => {
      const userId = freshUser();
      await storage.set(storedDecisionRecord('feature1', userId));
      const disabled: StoredRecord = { featureKey: 'feature1', userId, notInHoldoutId: [] };
      await storage.set(disabled);
      await expectStored(read, disabled);
    });

    it('keeps records apart by feature key and by user id', async () => {
      const alice = freshUser('alice');
      const bob = freshUser('bob');
      const records = [
        storedDecisionRecord('feature1', alice, 1),
        storedDecisionRecord('feature2', alice, 2),
        storedDecisionRecord('feature1', bob, 3),
      ];
      for (const record of records) await storage.set(record);
      for (const record of records) await expectStored(read, record);
      assert.equal((await read('feature2', bob)) ?? null, null);
    });

    it('does not confuse keys whose parts contain separators', async () => {
      const suffix = freshUser('');
      const first = storedDecisionRecord('a:b', `c${suffix}`, 1);
      const second = storedDecisionRecord('a', `b:c${suffix}`, 2);
      await storage.set(first);
      await storage.set(second);
      await expectStored(read, first);
      await expectStored(read, second);
    });

    it('keeps number ids numbers and string ids strings (the engine compares with ===)', async () => {
      const userId = `${Date.now()}${++run}`; // digits only: must come back as a string
      const record: StoredRecord = {
        featureKey: 'feature_ids',
        userId,
        featureId: 7,
        rolloutId: '12',
        rolloutKey: 'feature_ids_rolloutRule1',
        rolloutVariationId: 1,
        experimentId: 0,
        experimentKey: 'feature_ids_testingRule1',
        experimentVariationId: -1,
      };
      await storage.set(record);
      const stored = await expectStored(read, record);
      assert.equal(stored.userId, userId);
      assert.equal(stored.featureId, 7);
      assert.equal(stored.rolloutId, '12');
      assert.equal(stored.experimentId, 0);
    });

    it('preserves holdout id arrays, their order and empty arrays', async () => {
      const userId = freshUser();
      const record: StoredRecord = { featureKey: 'feature_holdout', userId, isInHoldoutId: [9, 3, '5'], notInHoldoutId: [] };
      await storage.set(record);
      await expectStored(read, record);
    });

    it('stores MEG meta records (_vwo_meta_meg_<groupId>) beside the feature records of the same user', async () => {
      const userId = freshUser();
      const meta: StoredRecord = {
        featureKey: '_vwo_meta_meg_1',
        userId,
        experimentId: 3,
        experimentKey: 'feature2_testingRule1',
        experimentVariationId: -1,
      };
      const feature = storedDecisionRecord('feature2', userId);
      await storage.set(meta);
      await storage.set(feature);
      await expectStored(read, meta);
      await expectStored(read, feature);
      assert.equal((await read('_vwo_meta_meg_2', userId)) ?? null, null);
    });

    it('keeps fields it does not know about', async () => {
      const record: StoredRecord = { ...storedDecisionRecord('feature1', freshUser()), customField: { nested: [1, 'two'] } };
      await storage.set(record);
      await expectStored(read, record);
    });

    it('handles many concurrent sets for different users', async () => {
      const records = Array.from({ length: 100 }, (_, i) => storedDecisionRecord('feature_concurrent', freshUser(), i));
      await Promise.all(records.map((record) => storage.set(record)));
      await Promise.all(records.map((record) => expectStored(read, record)));
    });

    it('ends with one whole record after concurrent sets of the same key', async () => {
      const userId = freshUser();
      const records = Array.from({ length: 20 }, (_, i) => storedDecisionRecord('feature_race', userId, i));
      await Promise.all(records.map((record) => storage.set(record)));
      const stored = defined(await read('feature_race', userId));
      assert.ok(
        records.some((record) => isDeepStrictEqual(defined(record), stored)),
        `expected one of the written records, got ${JSON.stringify(stored)}`,
      );
    });

    it('stores large records intact', async () => {
      const userId = freshUser();
      const record: StoredRecord = {
        ...storedDecisionRecord('feature_large', userId),
        notInHoldoutId: Array.from({ length: 5_000 }, (_, i) => i),
        note: 'x'.repeat(64 * 1024),
      };
      await storage.set(record);
      await expectStored(read, record);
    });

    it('stores records of unicode and unusual user ids', async () => {
      const suffix = freshUser('');
      const ids = ['用户-😀', 'Zoë Ünïcödé', 'user@example.com', 'with space', 'tab\tand\nnewline', '%3A', '*?[]'].map(
        (id) => `${id}${suffix}`,
      );
      const records = ids.map((id, i) => storedDecisionRecord('feature_unicode', id, i));
      for (const record of records) await storage.set(record);
      for (const record of records) await expectStored(read, record);
    });
  });
}

function testGlobals(): TestGlobals {
  const globals = globalThis as unknown as Partial<TestGlobals>;
  if (!globals.describe || !globals.it || !globals.beforeAll || !globals.afterAll) {
    throw new Error('describeStorageContract needs describe/it/beforeAll/afterAll globals (jest, or vitest with globals: true)');
  }
  return globals as TestGlobals;
}

/** A copy without `undefined`-valued fields. */
function defined(record: StoredRecord | null | undefined): StoredRecord | null | undefined {
  if (!record) return record;
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as StoredRecord;
}

/** Reads the record's (featureKey, userId) back and asserts it equals the record. */
async function expectStored(
  read: (featureKey: string, userId: string) => Promise<StoredRecord | null | undefined>,
  record: StoredRecord,
): Promise<StoredRecord> {
  const stored = await read(record.featureKey, record.userId);
  assert.ok(stored, `nothing stored for feature "${record.featureKey}" and user "${record.userId}"`);
  assert.deepStrictEqual(defined(stored), defined(record));
  return stored;
}

/** What the engine writes for an enabled flag (docs/decisions.md), `undefined` parts included. */
export function storedDecisionRecord(featureKey: string, userId: string, variation = 1): StoredRecord & { userId: string } {
  return {
    featureKey,
    featureId: 1,
    userId,
    rolloutId: 1,
    rolloutKey: `${featureKey}_rolloutRule1`,
    rolloutVariationId: 1,
    experimentId: 2,
    experimentKey: `${featureKey}_testingRule1`,
    experimentVariationId: variation,
    isInHoldoutId: undefined,
    notInHoldoutId: [],
  };
}
