import type Redis from 'ioredis';
import { VWORedisStorage } from '../../lib/storage/redis';
import { bootVWO, type BootedApp } from '../module/helpers/boot';
import { CaptureLogger } from '../module/helpers/capture-logger';
import { BUSY_MACHINE_SLACK_MS, EVENTUALLY_MS, waitUntil } from '../module/helpers/wait-until';
import { createRedisClient, deleteKeysUnder, describeWithRedis, REDIS_URL, uniqueKeyPrefix } from '../support/redis';
import { SPLIT_ACCOUNT_ID, SPLIT_FEATURE, splitSettings } from './split-settings.fixture';
import { TcpProxy } from './tcp-proxy';

/**
 * The module's bound on a storage read. Well above a healthy Redis read on a busy CI machine (the baseline must
 * see its stored record), well below the client's own command timeout (what an unbounded read would wait).
 */
const STORAGE_TIMEOUT_MS = 1_000;
const COMMAND_TIMEOUT_MS = 10_000;
/** A read not bounded by storageTimeout shows as ≥ COMMAND_TIMEOUT_MS, well above this bound plus slack. */
const SLACK_MS = BUSY_MACHINE_SLACK_MS;

describeWithRedis('Redis going away and coming back under a running app', () => {
  let admin: Redis;
  // Each test has its own proxy, key prefix, log and app: none depends on what an earlier test did to Redis.
  let prefix: string;
  let proxy: TcpProxy;
  let log: CaptureLogger;
  let storage: VWORedisStorage;
  let booted: BootedApp;

  /** One getFlag, timed. */
  const decide = async (id: string): Promise<{ color: unknown; ms: number }> => {
    const started = performance.now();
    const flag = await booted.vwo.getFlag(SPLIT_FEATURE, { id });
    return { color: flag.getVariable('color', 'disabled'), ms: performance.now() - started };
  };
  const storedVariation = async (id: string): Promise<unknown> => {
    const raw = await admin.get(storage.keyFor(SPLIT_FEATURE, id));
    return raw === null ? undefined : JSON.parse(raw).experimentVariationId;
  };

  beforeAll(() => {
    admin = createRedisClient();
  });

  afterAll(async () => {
    await admin.quit();
  });

  /** An app whose "sticky-user" got blue (stored in Redis) before the split moved to red. */
  beforeEach(async () => {
    prefix = uniqueKeyPrefix('outage');
    proxy = await new TcpProxy(Number(new URL(REDIS_URL).port || 6379)).start();
    log = new CaptureLogger();
    // commandTimeout is deliberately far above storageTimeout: the module's bound is what is tested here.
    storage = new VWORedisStorage({
      url: `redis://127.0.0.1:${proxy.port}`,
      keyPrefix: prefix,
      accountId: SPLIT_ACCOUNT_ID,
      commandTimeout: COMMAND_TIMEOUT_MS,
      logger: log,
    });
    booted = await bootVWO({
      accountId: SPLIT_ACCOUNT_ID,
      settings: splitSettings('blue'),
      storage,
      storageTimeout: STORAGE_TIMEOUT_MS,
      logger: { level: 'WARN', transport: log },
    });
    expect((await decide('sticky-user')).color).toBe('blue');
    await waitUntil(async () => (await storedVariation('sticky-user')) === 1, EVENTUALLY_MS);
    await booted.vwo.updateSettings(splitSettings('red'));
  });

  afterEach(async () => {
    await booted?.app.close();
    await proxy.stop();
    await deleteKeysUnder(admin, prefix);
  });

  it('serves the stored variation while Redis is up (baseline)', async () => {
    expect((await decide('sticky-user')).color).toBe('blue');
    expect((await decide('fresh-user')).color).toBe('red');
  });

  it('keeps deciding, without stickiness, within storageTimeout while Redis is down; logs it', async () => {
    await proxy.stop();
    const decisions = [];
    for (let i = 0; i < 20; i++) decisions.push(await decide('sticky-user'));
    for (const { color } of decisions) expect(color).toBe('red');
    const slowest = Math.max(...decisions.map(({ ms }) => ms));
    expect(slowest).toBeLessThan(STORAGE_TIMEOUT_MS + SLACK_MS);
    // Once the client knows Redis is gone, reads fail at once instead of waiting for the timeout.
    expect(decisions[decisions.length - 1].ms).toBeLessThan(STORAGE_TIMEOUT_MS / 2);
    expect(log.matching(/^Redis storage unavailable/, 'WARN')).toHaveLength(1);
    expect(log.matching(/Storage read .* deciding without it/, 'WARN').length).toBeGreaterThanOrEqual(1);
    // The fresh decision could not be written over the stored one.
    expect(await storedVariation('sticky-user')).toBe(1);
  });

  it('resumes stickiness when Redis comes back', async () => {
    await proxy.stop();
    await waitUntil(async () => (await decide('sticky-user')).color === 'red', EVENTUALLY_MS);
    await proxy.start();
    await waitUntil(async () => (await decide('sticky-user')).color === 'blue', EVENTUALLY_MS);
    expect(log.matching(/^Redis storage reconnected/, 'INFO')).toHaveLength(1);
    expect((await decide('sticky-user')).color).toBe('blue');
  });

  it('bounds a decision by storageTimeout when Redis accepts connections but does not answer', async () => {
    proxy.stall();
    try {
      const { color, ms } = await decide('sticky-user');
      expect(color).toBe('red');
      expect(ms).toBeGreaterThanOrEqual(STORAGE_TIMEOUT_MS - 5);
      expect(ms).toBeLessThan(STORAGE_TIMEOUT_MS + SLACK_MS);
    } finally {
      proxy.resume();
    }
  });
});
