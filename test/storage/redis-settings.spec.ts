import type Redis from 'ioredis';
import { VWORedisStorage } from '../../lib/storage/redis';
import type { VWOSettingsChange } from '../../lib/storage/vwo-settings-channel.interface';
import { EVENTUALLY_MS, waitUntil } from '../module/helpers/wait-until';
import { createRedisClient, deleteKeysUnder, describeWithRedis, HEALTHY_REDIS_TIMEOUT_MS, REDIS_URL, uniqueKeyPrefix } from '../support/redis';
import { TcpProxy } from './tcp-proxy';

const SDK_KEY = 'redis-settings-sdk-key-0123456789';
const doc = (version: number, extra: Record<string, unknown> = {}) => ({ version, accountId: 777, sdkKey: SDK_KEY, features: [], campaigns: [], ...extra });

describeWithRedis('VWORedisStorage settings cache and fan-out channel', () => {
  const prefix = uniqueKeyPrefix('settings');
  let admin: Redis;
  let storage: VWORedisStorage;

  beforeAll(async () => {
    admin = createRedisClient();
    await admin.connect();
    storage = new VWORedisStorage({ commandTimeout: HEALTHY_REDIS_TIMEOUT_MS, url: REDIS_URL, keyPrefix: prefix, accountId: 777 });
    await storage.connect();
  });

  afterAll(async () => {
    await storage.close();
    await deleteKeysUnder(admin, prefix);
    await admin.quit();
  });

  it('keeps one key per account and environment, named with a hash of the SDK key, never the key itself', async () => {
    await storage.setSettings({ settings: doc(1), timestamp: 1_000 });
    await storage.setSettings({ settings: doc(2), timestamp: 2_000 });
    const keys = (await admin.keys(`${prefix}:*`)).filter((key) => key.includes(':777:'));
    expect(keys).toEqual([storage.settingsKeyFor(777, SDK_KEY)]);
    expect(keys[0]).toMatch(new RegExp(`^${prefix}:%settings:777:[0-9a-f]{32}$`));
    expect(keys[0]).not.toContain(SDK_KEY);
    expect(await storage.getSettings('777', SDK_KEY)).toEqual({ settings: doc(2), timestamp: 2_000 });
  });

  it('answers nothing for another SDK key or account', async () => {
    await storage.setSettings({ settings: doc(3), timestamp: 3_000 });
    expect(await storage.getSettings('777', 'another-sdk-key-000000000000')).toBeNull();
    expect(await storage.getSettings('778', SDK_KEY)).toBeNull();
  });

  it('reads the short field names VWO may use (a, sK) to name the owner', async () => {
    const { accountId: _a, sdkKey: _k, ...rest } = doc(4);
    await storage.setSettings({ settings: { ...rest, a: 779, sK: SDK_KEY }, timestamp: 4_000 });
    expect((await storage.getSettings('779', SDK_KEY))?.timestamp).toBe(4_000);
  });

  it('refuses to cache a document that does not say whose it is', async () => {
    const { sdkKey: _k, ...anonymous } = doc(5);
    await expect(storage.setSettings({ settings: anonymous, timestamp: 5_000 })).rejects.toThrow(/without its accountId and sdkKey/);
  });

  it('refuses a value that is not { settings, timestamp } with a clear error', async () => {
    await admin.set(storage.settingsKeyFor('780', SDK_KEY), JSON.stringify({ hello: 'world' }));
    await expect(storage.getSettings('780', SDK_KEY)).rejects.toThrow(/not \{ settings, timestamp \}/);
  });

  it('delivers an announcement to every subscriber of the same account and SDK key, and to no other', async () => {
    const heard: Record<string, VWOSettingsChange[]> = { a: [], b: [], other: [] };
    const handlers = (name: string) => ({ onChange: (c: VWOSettingsChange) => heard[name].push(c), onResubscribed: () => undefined });
    const other = new VWORedisStorage({ commandTimeout: HEALTHY_REDIS_TIMEOUT_MS, url: REDIS_URL, keyPrefix: prefix });
    const subs = [
      await storage.subscribeSettingsChanges('777', SDK_KEY, handlers('a')),
      await other.subscribeSettingsChanges('777', SDK_KEY, handlers('b')),
      await other.subscribeSettingsChanges('777', 'another-sdk-key-000000000000', handlers('other')),
    ];
    try {
      await storage.publishSettingsChange('777', SDK_KEY, { origin: 'replica-1', timestamp: 42 });
      await waitUntil(() => heard.a.length === 1 && heard.b.length === 1, EVENTUALLY_MS);
      expect(heard.a).toEqual([{ origin: 'replica-1', timestamp: 42 }]);
      expect(heard.b).toEqual([{ origin: 'replica-1', timestamp: 42 }]);
      await other.publishSettingsChange('777', SDK_KEY, { origin: 'replica-2', timestamp: 43 }); // ordered after the first
      await waitUntil(() => heard.a.length === 2, EVENTUALLY_MS);
      expect(heard.other).toEqual([]);
    } finally {
      for (const sub of subs) await sub.close();
      await other.close();
    }
  });

  it('resubscribes after Redis went away and says so once, so the replica can catch up', async () => {
    const proxy = await new TcpProxy(Number(new URL(REDIS_URL).port || 6379)).start();
    const viaProxy = new VWORedisStorage({ url: `redis://127.0.0.1:${proxy.port}`, keyPrefix: prefix, logger: { debug() {}, info() {}, warn() {}, error() {} } });
    const heard: VWOSettingsChange[] = [];
    let resubscribed = 0;
    const sub = await viaProxy.subscribeSettingsChanges('777', SDK_KEY, { onChange: (c) => heard.push(c), onResubscribed: () => resubscribed++ });
    try {
      await proxy.stop();
      await proxy.start();
      await waitUntil(() => resubscribed === 1, 10_000);
      await storage.publishSettingsChange('777', SDK_KEY, { origin: 'after-outage', timestamp: 44 });
      await waitUntil(() => heard.some((c) => c.origin === 'after-outage'), EVENTUALLY_MS);
      expect(resubscribed).toBe(1);
    } finally {
      await sub.close();
      await viaProxy.close();
      await proxy.stop();
    }
  });
});
