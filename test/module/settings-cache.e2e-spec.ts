import type { StoredRecord } from '../../lib/engine/types';
import type { VWOCachedSettings, VWOStorage } from '../../lib/storage/vwo-storage.interface';
import { FakeVwoServer } from '../support/fake-vwo-server';
import { bootVWO, BootedApp, fakeServerOptions } from './helpers/boot';
import { CaptureLogger } from './helpers/capture-logger';
import { shopSettings } from './helpers/shop-settings.fixture';
import { waitUntil } from './helpers/wait-until';

const SDK_KEY = 'test-sdk-key-0123456789abcdef';
const HOUR = 3_600_000;

/** A storage that caches settings in memory and records every write (no decisions stored). */
class CachingStorage implements VWOStorage {
  readonly writes: VWOCachedSettings[] = [];
  readonly reads: Array<[string, string]> = [];
  constructor(
    public cached?: VWOCachedSettings,
    readonly settingsTtl?: number,
  ) {}
  get(): StoredRecord | null {
    return null;
  }
  set(): void {}
  getSettings(accountId: string, sdkKey: string): Promise<VWOCachedSettings | undefined> {
    this.reads.push([accountId, sdkKey]);
    return Promise.resolve(this.cached);
  }
  setSettings(data: VWOCachedSettings): Promise<void> {
    this.writes.push(data);
    this.cached = data;
    return Promise.resolve();
  }
}

describe('settings cache in the storage (getSettings / setSettings)', () => {
  let server: FakeVwoServer;
  /** The fake's address, also after stop() (the port then refuses connections). */
  let url: string;
  let booted: BootedApp | undefined;
  let log: CaptureLogger;

  const headline = async (b: BootedApp) => (await b.vwo.getFlag('new-checkout', { id: 'user-1' })).getVariable('headline', 'none');
  const cachedDoc = (headlineText: string, ageMs: number, extra: Record<string, unknown> = {}): VWOCachedSettings => ({
    settings: { ...shopSettings({ headline: headlineText }), ...extra },
    timestamp: Date.now() - ageMs,
  });
  const boot = (storage: VWOStorage, extra: object = {}) =>
    bootVWO(fakeServerOptions(url, { storage, logger: { level: 'DEBUG', transport: log }, ...extra }));

  beforeEach(async () => {
    server = await new FakeVwoServer().start();
    url = server.url;
    server.settings = shopSettings({ headline: 'from VWO' });
    log = new CaptureLogger();
  });

  afterEach(async () => {
    await booted?.app.close();
    booted = undefined;
    await server.stop();
  });

  it('writes every successful fetch back as { settings, timestamp }, asking for its own account and SDK key', async () => {
    const storage = new CachingStorage();
    const before = Date.now();
    booted = await boot(storage);
    await waitUntil(() => storage.writes.length === 1, 2_000);
    expect(storage.reads).toEqual([['123456', SDK_KEY]]);
    expect(storage.writes[0].settings).toEqual(server.settings);
    expect(storage.writes[0].timestamp).toBeGreaterThanOrEqual(before);
    expect(storage.writes[0].timestamp).toBeLessThanOrEqual(Date.now());

    expect(await booted.vwo.updateSettings(undefined, false)).toBe(true); // unchanged, still a good fetch
    await waitUntil(() => storage.writes.length === 2, 2_000);
    expect(log.all).not.toContain(SDK_KEY);
  });

  it('stamps a fetched document that lacks its SDK key with the module SDK key, so that a reader can check whose it is', async () => {
    const { sdkKey: _key, ...anonymous } = shopSettings({ headline: 'anonymous' }) as Record<string, unknown>;
    server.settings = anonymous;
    const storage = new CachingStorage();
    booted = await boot(storage);
    await waitUntil(() => storage.writes.length === 1, 2_000);
    expect(storage.writes[0].settings).toEqual({ ...anonymous, sdkKey: SDK_KEY });
  });

  it('boots at once on a fresh-enough cached document while VWO hangs, and takes VWO\'s when it answers', async () => {
    server.on('/server-side/v2-settings', () => ({ delayMs: 1_500, body: server.settings }));
    const storage = new CachingStorage(cachedDoc('cached', 10 * 60_000));
    booted = await boot(storage, { waitForSettings: 5_000, settingsTimeout: 3_000 });
    expect(booted.bootMs).toBeLessThan(1_500);
    expect(await headline(booted)).toBe('cached');
    expect(log.matching(/Using cached settings fetched 10 min ago \(fresh enough to boot on/, 'INFO')).toHaveLength(1);
    await waitUntil(async () => (await headline(booted!)) === 'from VWO', 5_000);
    await waitUntil(() => storage.writes.length === 1, 2_000);
  });

  it('with VWO refusing connections, boots on a cached document of any age and logs its age', async () => {
    const storage = new CachingStorage(cachedDoc('three days old', 72 * HOUR));
    await server.stop(); // the port now refuses connections
    booted = await boot(storage, { waitForSettings: 3_000 });
    expect(booted.vwo.isReady()).toBe(true);
    expect(await headline(booted)).toBe('three days old');
    expect(log.matching(/Using cached settings fetched 72\.0 h ago \(VWO could not be reached at boot\)/, 'INFO')).toHaveLength(1);
    expect(log.matching(/No settings after/)).toHaveLength(0);
  });

  it('does not boot on a cached document older than the storage\'s settingsTtl while VWO answers', async () => {
    const storage = new CachingStorage(cachedDoc('stale', 2 * HOUR), HOUR);
    booted = await boot(storage);
    expect(await headline(booted)).toBe('from VWO');
    expect(log.matching(/Using cached settings/)).toHaveLength(0);
    expect(log.matching(/Cached settings are 2\.0 h old \(older than 3600000 ms\)/, 'DEBUG')).toHaveLength(1);
  });

  it.each([
    ['another account', { accountId: 999 }, /Ignoring cached settings of account 999 and SDK key test\*\*\*\*ef: this module is account 123456/],
    ['another SDK key', { sdkKey: 'other-sdk-key-9876543210' }, /Ignoring cached settings of account 123456 and SDK key othe\*\*\*\*10/],
  ])('ignores a cached document of %s, with a log line, and never serves it', async (_label, owner, line) => {
    const storage = new CachingStorage(cachedDoc('not ours', 60_000, owner));
    await server.stop();
    booted = await boot(storage, { waitForSettings: 1_000 });
    expect(booted.vwo.isReady()).toBe(false);
    expect(log.matching(line, 'INFO')).toHaveLength(1);
    expect(log.all).not.toContain(SDK_KEY);
    expect(log.all).not.toContain('other-sdk-key-9876543210');
  });

  it('a slow cache never holds up boot once VWO has answered', async () => {
    const storage = new CachingStorage(cachedDoc('cached', 60_000));
    const slowRead = storage.getSettings.bind(storage);
    storage.getSettings = (accountId, sdkKey) => new Promise((resolve) => setTimeout(() => resolve(slowRead(accountId, sdkKey)), 3_000));
    booted = await boot(storage, { settingsTimeout: 5_000 });
    expect(booted.bootMs).toBeLessThan(2_500);
    expect(await headline(booted)).toBe('from VWO');
    await waitUntil(() => storage.reads.length === 1, 5_000);
    expect(await headline(booted)).toBe('from VWO'); // the older cached document, read late, is not applied
    expect(log.matching(/Using cached settings/)).toHaveLength(0);
  });

  it('a cache that throws or hangs costs nothing but the cache: boot fetches from VWO', async () => {
    const broken: VWOStorage = {
      get: () => null,
      set: () => undefined,
      getSettings: () => new Promise(() => undefined),
      setSettings: () => Promise.reject(new Error('cache down')),
    };
    booted = await boot(broken, { settingsTimeout: 300 });
    expect(await headline(booted)).toBe('from VWO');
    await waitUntil(() => log.matching(/Cached settings could not be read: no answer within 300 ms/, 'WARN').length === 1, 2_000);
    await waitUntil(() => log.matching(/Settings could not be written to the storage cache: cache down/, 'WARN').length === 1, 2_000);
  });
});
