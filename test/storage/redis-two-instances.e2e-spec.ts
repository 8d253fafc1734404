import type Redis from 'ioredis';
import { VWORedisStorage } from '../../lib/storage/redis';
import { bootVWO, type BootedApp } from '../module/helpers/boot';
import { EVENTUALLY_MS, waitUntil } from '../module/helpers/wait-until';
import { createRedisClient, deleteKeysUnder, describeWithRedis, HEALTHY_REDIS_TIMEOUT_MS, REDIS_URL, uniqueKeyPrefix } from '../support/redis';
import { SPLIT_ACCOUNT_ID, SPLIT_FEATURE, splitSettings } from './split-settings.fixture';

describeWithRedis('Two Nest apps sharing one Redis', () => {
  let admin: Redis;
  // Each test has its own key prefix and its own pair of apps: no test sees another's records or settings.
  let prefix: string;
  let storageOptions: { url: string; keyPrefix: string; accountId: number; commandTimeout: number };
  let a: BootedApp;
  let b: BootedApp;
  let storageA: VWORedisStorage;

  const colorOn = async (app: BootedApp, id: string | number): Promise<unknown> =>
    (await app.vwo.getFlag(SPLIT_FEATURE, { id })).getVariable('color', 'disabled');

  beforeAll(() => {
    admin = createRedisClient();
  });

  beforeEach(async () => {
    prefix = uniqueKeyPrefix('two-apps');
    storageOptions = { url: REDIS_URL, keyPrefix: prefix, accountId: SPLIT_ACCOUNT_ID, commandTimeout: HEALTHY_REDIS_TIMEOUT_MS };
    storageA = new VWORedisStorage(storageOptions);
    a = await bootVWO({ accountId: SPLIT_ACCOUNT_ID, settings: splitSettings('blue'), storage: storageA, storageTimeout: HEALTHY_REDIS_TIMEOUT_MS });
    b = await bootVWO({
      accountId: SPLIT_ACCOUNT_ID,
      settings: splitSettings('blue'),
      storage: new VWORedisStorage(storageOptions),
      storageTimeout: HEALTHY_REDIS_TIMEOUT_MS,
    });
  });

  afterEach(async () => {
    await a?.app.close();
    await b?.app.close();
    await deleteKeysUnder(admin, prefix);
  });

  afterAll(async () => {
    await admin.quit();
  });

  it('keeps the variation instance A chose when instance B decides after the split moved', async () => {
    const users = ['alice', 'bob', 42];
    for (const id of users) expect(await colorOn(a, id)).toBe('blue');
    // Writes are fire-and-forget: wait until A's records are in Redis.
    await waitUntil(async () => (await admin.exists(...users.map((id) => storageA.keyFor(SPLIT_FEATURE, String(id))))) === 3, EVENTUALLY_MS);

    expect(await b.vwo.updateSettings(splitSettings('red'))).toBe(true);
    expect(await colorOn(b, 'someone-new')).toBe('red'); // the split really moved
    for (const id of users) expect(await colorOn(b, id)).toBe('blue');

    const stored = JSON.parse((await admin.get(storageA.keyFor(SPLIT_FEATURE, '42')))!);
    expect(stored).toMatchObject({ featureKey: SPLIT_FEATURE, userId: '42', featureId: 1, experimentVariationId: 1 });
  });

  it('lets instance A read what instance B wrote', async () => {
    expect(await b.vwo.updateSettings(splitSettings('red'))).toBe(true);
    expect(await colorOn(b, 'carol')).toBe('red');
    await waitUntil(async () => (await admin.exists(storageA.keyFor(SPLIT_FEATURE, 'carol'))) === 1, EVENTUALLY_MS);
    expect(await colorOn(a, 'carol')).toBe('red'); // A still has the blue-only split
  });

  it('closes the Redis clients it created when the apps shut down', async () => {
    const storage = new VWORedisStorage({ ...storageOptions, accountId: 'shutdown' });
    const app = await bootVWO({ accountId: SPLIT_ACCOUNT_ID, settings: splitSettings('blue'), storage });
    expect(await colorOn(app, 'dave')).toBe('blue');
    await waitUntil(async () => !!(await storage.get(SPLIT_FEATURE, 'dave').catch(() => null)), EVENTUALLY_MS);
    await app.app.close();
    await expect(storage.get(SPLIT_FEATURE, 'dave')).rejects.toThrow();
  });
});
