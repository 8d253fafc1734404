import type { StoredRecord } from '../../lib/engine/types';
import type { VWOCachedSettings, VWOStorage } from '../../lib/storage/vwo-storage.interface';
import { fakeVwoBed } from '../support/fake-vwo-bed';
import { shopSettings } from './helpers/shop-settings.fixture';
import { EVENTUALLY_MS, waitUntil } from './helpers/wait-until';

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
  const bed = fakeVwoBed();
  const { headline } = bed;
  const cachedDoc = (headlineText: string, ageMs: number, extra: Record<string, unknown> = {}): VWOCachedSettings => ({
    settings: { ...shopSettings({ headline: headlineText }), ...extra },
    timestamp: Date.now() - ageMs,
  });
  const boot = (storage: VWOStorage, extra: object = {}) => bed.boot(bed.options({ storage, logger: { level: 'DEBUG', transport: bed.log }, ...extra }));

  it('writes every successful fetch back as { settings, timestamp }, asking for its own account and SDK key', async () => {
    const storage = new CachingStorage();
    const before = Date.now();
    const booted = await boot(storage);
    await waitUntil(() => storage.writes.length === 1, EVENTUALLY_MS);
    expect(storage.reads).toEqual([['123456', SDK_KEY]]);
    expect(storage.writes[0].settings).toEqual(bed.server.settings);
    expect(storage.writes[0].timestamp).toBeGreaterThanOrEqual(before);
    expect(storage.writes[0].timestamp).toBeLessThanOrEqual(Date.now());

    expect(await booted.vwo.updateSettings(undefined, false)).toBe(true); // unchanged, still a good fetch
    await waitUntil(() => storage.writes.length === 2, EVENTUALLY_MS);
    expect(bed.log.all).not.toContain(SDK_KEY);
  });

  it('stamps a fetched document that lacks its SDK key with the module SDK key, so that a reader can check whose it is', async () => {
    const { sdkKey: _key, ...anonymous } = shopSettings({ headline: 'anonymous' }) as Record<string, unknown>;
    bed.server.settings = anonymous;
    const storage = new CachingStorage();
    const booted = await boot(storage);
    await waitUntil(() => storage.writes.length === 1, EVENTUALLY_MS);
    expect(storage.writes[0].settings).toEqual({ ...anonymous, sdkKey: SDK_KEY });
  });

  it('boots at once on a fresh-enough cached document while VWO hangs, and takes VWO\'s when it answers', async () => {
    let vwoAnswers!: () => void;
    const answered = new Promise<void>((resolve) => (vwoAnswers = resolve));
    bed.server.on('/server-side/v2-settings', () => ({ after: answered, body: bed.server.settings }));
    const storage = new CachingStorage(cachedDoc('cached', 10 * 60_000));
    // VWO answers only when the test says so, and boot would wait a minute for it: returning proves it did not wait.
    const booted = await boot(storage, { waitForSettings: 60_000, settingsTimeout: 60_000 });
    expect(await headline(booted)).toBe('cached');
    expect(bed.log.matching(/Using cached settings fetched 10 min ago \(fresh enough to boot on/, 'INFO')).toHaveLength(1);
    vwoAnswers();
    await waitUntil(async () => (await headline(booted)) === 'from VWO', EVENTUALLY_MS);
    await waitUntil(() => storage.writes.length === 1, EVENTUALLY_MS);
  });

  it('with VWO down, boots on a cached document of any age and logs its age', async () => {
    const storage = new CachingStorage(cachedDoc('three days old', 72 * HOUR));
    bed.server.goDown();
    const booted = await boot(storage, { waitForSettings: 3_000 });
    expect(booted.vwo.isReady()).toBe(true);
    expect(await headline(booted)).toBe('three days old');
    expect(bed.log.matching(/Using cached settings fetched 72\.0 h ago \(VWO could not be reached at boot\)/, 'INFO')).toHaveLength(1);
    expect(bed.log.matching(/No settings after/)).toHaveLength(0);
  });

  it('does not boot on a cached document older than the storage\'s settingsTtl while VWO answers', async () => {
    const storage = new CachingStorage(cachedDoc('stale', 2 * HOUR), HOUR);
    const booted = await boot(storage);
    expect(await headline(booted)).toBe('from VWO');
    expect(bed.log.matching(/Using cached settings/)).toHaveLength(0);
    expect(bed.log.matching(/Cached settings are 2\.0 h old \(older than 3600000 ms\)/, 'DEBUG')).toHaveLength(1);
  });

  it.each([
    ['another account', { accountId: 999 }, /Ignoring cached settings of account 999 and SDK key test\*\*\*\*ef: this module is account 123456/],
    ['another SDK key', { sdkKey: 'other-sdk-key-9876543210' }, /Ignoring cached settings of account 123456 and SDK key othe\*\*\*\*10/],
  ])('ignores a cached document of %s, with a log line, and never serves it', async (_label, owner, line) => {
    const storage = new CachingStorage(cachedDoc('not ours', 60_000, owner));
    bed.server.goDown();
    const booted = await boot(storage, { waitForSettings: 1_000 });
    expect(booted.vwo.isReady()).toBe(false);
    expect(bed.log.matching(line, 'INFO')).toHaveLength(1);
    expect(bed.log.all).not.toContain(SDK_KEY);
    expect(bed.log.all).not.toContain('other-sdk-key-9876543210');
  });

  it('a slow cache never holds up boot once VWO has answered', async () => {
    const storage = new CachingStorage(cachedDoc('cached', 60_000));
    const slowRead = storage.getSettings.bind(storage);
    let cacheAnswers!: () => void;
    const answered = new Promise<void>((resolve) => (cacheAnswers = resolve));
    storage.getSettings = (accountId, sdkKey) => answered.then(() => slowRead(accountId, sdkKey));
    // The cache answers only when the test says so: boot returning on VWO's settings proves it did not wait.
    const booted = await boot(storage, { settingsTimeout: 60_000, waitForSettings: 60_000 });
    expect(await headline(booted)).toBe('from VWO');
    expect(storage.reads).toHaveLength(0);
    cacheAnswers();
    await waitUntil(() => storage.reads.length === 1, EVENTUALLY_MS);
    expect(await headline(booted)).toBe('from VWO'); // the older cached document, read late, is not applied
    expect(bed.log.matching(/Using cached settings/)).toHaveLength(0);
  });

  it('a cache that throws or hangs costs nothing but the cache: boot fetches from VWO', async () => {
    const broken: VWOStorage = {
      get: () => null,
      set: () => undefined,
      getSettings: () => new Promise(() => undefined),
      setSettings: () => Promise.reject(new Error('cache down')),
    };
    const booted = await boot(broken, { settingsTimeout: 300 });
    expect(await headline(booted)).toBe('from VWO');
    await waitUntil(() => bed.log.matching(/Cached settings could not be read: no answer within 300 ms/, 'WARN').length === 1, EVENTUALLY_MS);
    await waitUntil(() => bed.log.matching(/Settings could not be written to the storage cache: cache down/, 'WARN').length === 1, EVENTUALLY_MS);
  });
});
