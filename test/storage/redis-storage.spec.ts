import type Redis from 'ioredis';
import type { StoredRecord } from '../../lib/engine/types';
import type { VWOLogger } from '../../lib/logger/vwo-logger.interface';
import { VWORedisStorage } from '../../lib/storage/redis';
import { storedDecisionRecord } from '../../lib/testing/describe-storage-contract';
import { createRedisClient, deleteKeysUnder, describeWithRedis, HEALTHY_REDIS_TIMEOUT_MS, REDIS_URL, uniqueKeyPrefix } from '../support/redis';
import { describeStorageContract } from '../support/storage-contract';
import { BUSY_MACHINE_SLACK_MS, EVENTUALLY_MS } from '../module/helpers/wait-until';
import { TcpProxy } from './tcp-proxy';

const REDIS_PORT = Number(new URL(REDIS_URL).port || 6379);

/** A logger that keeps what it is told, for assertions. */
function recordingLogger(): VWOLogger & { lines: string[] } {
  const lines: string[] = [];
  const push = (level: string) => (message: string) => void lines.push(`${level} ${message}`);
  return { lines, debug: push('DEBUG'), info: push('INFO'), warn: push('WARN'), error: push('ERROR') };
}

async function elapsed(action: () => Promise<unknown>): Promise<{ ms: number; error?: Error }> {
  const start = performance.now();
  try {
    await action();
    return { ms: performance.now() - start };
  } catch (error) {
    return { ms: performance.now() - start, error: error as Error };
  }
}

/** Polls until `check` passes or `withinMs` runs out (a bounded wait, not a sleep). */
async function eventually(check: () => Promise<boolean>, withinMs = EVENTUALLY_MS): Promise<void> {
  const deadline = Date.now() + withinMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${withinMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const record = (featureKey: string, userId: string): StoredRecord => storedDecisionRecord(featureKey, userId, 2);

describeWithRedis('VWORedisStorage', () => {
  const prefix = uniqueKeyPrefix('storage');
  let admin: Redis;

  beforeAll(async () => {
    admin = createRedisClient();
    await admin.connect();
  });

  afterAll(async () => {
    await deleteKeysUnder(admin, prefix);
    await admin.quit();
  });

  describe('with a client it creates from a URL', () => {
    let owned: VWORedisStorage;
    describeStorageContract(
      'VWORedisStorage({ url })',
      () => (owned = new VWORedisStorage({ commandTimeout: HEALTHY_REDIS_TIMEOUT_MS, url: REDIS_URL, keyPrefix: prefix, accountId: 'contract-url' })),
      () => owned.close(),
    );
  });

  describe('with a client the user already has', () => {
    let client: Redis;
    describeStorageContract(
      'VWORedisStorage({ client })',
      () => {
        client = createRedisClient();
        return new VWORedisStorage({ commandTimeout: HEALTHY_REDIS_TIMEOUT_MS, client, keyPrefix: prefix, accountId: 'contract-client' });
      },
      async () => {
        await client.quit();
      },
    );
  });

  describe('keys and values in Redis', () => {
    let storage: VWORedisStorage;

    beforeAll(() => {
      storage = new VWORedisStorage({ commandTimeout: HEALTHY_REDIS_TIMEOUT_MS, client: admin, keyPrefix: prefix, accountId: 123456 });
    });

    it('names keys <prefix>:<accountId>:<featureKey>:<userId> and stores JSON with typed ids', async () => {
      await storage.set(record('feature1', 'user-1'));
      const raw = await admin.get(`${prefix}:123456:feature1:user-1`);
      expect(JSON.parse(raw!)).toEqual(record('feature1', 'user-1'));
      expect(raw).toContain('"featureId":1,');
      expect(raw).toContain('"experimentVariationId":2,');
      expect(storage.keyFor('feature1', 'user-1')).toBe(`${prefix}:123456:feature1:user-1`);
    });

    it('leaves the account segment out when no accountId is given', async () => {
      const plain = new VWORedisStorage({ commandTimeout: HEALTHY_REDIS_TIMEOUT_MS, client: admin, keyPrefix: prefix });
      await plain.set(record('feature1', 'user-2'));
      expect(await admin.exists(`${prefix}:feature1:user-2`)).toBe(1);
    });

    it("uses the 'vwo' prefix by default", () => {
      expect(new VWORedisStorage({ client: admin, accountId: 1 }).keyFor('f', 'u')).toBe('vwo:1:f:u');
    });

    it('escapes ":" and "%" in the feature key, so keys stay unambiguous, and keeps the user id as is', () => {
      expect(storage.keyFor('a:b%c', 'd:e')).toBe(`${prefix}:123456:a%3Ab%25c:d:e`);
    });

    it('separates accounts sharing one Redis', async () => {
      const other = new VWORedisStorage({ commandTimeout: HEALTHY_REDIS_TIMEOUT_MS, client: admin, keyPrefix: prefix, accountId: 654321 });
      await storage.set(record('feature1', 'shared-user'));
      expect(await other.get('feature1', 'shared-user')).toBeNull();
    });

    it('sets an expiry when ttlSeconds is given, and none otherwise', async () => {
      const expiring = new VWORedisStorage({ commandTimeout: HEALTHY_REDIS_TIMEOUT_MS, client: admin, keyPrefix: prefix, accountId: 'ttl', ttlSeconds: 60 });
      await expiring.set(record('feature1', 'user-ttl'));
      const ttl = await admin.ttl(expiring.keyFor('feature1', 'user-ttl'));
      expect(ttl).toBeGreaterThan(55);
      expect(ttl).toBeLessThanOrEqual(60);
      await storage.set(record('feature1', 'user-no-ttl'));
      expect(await admin.ttl(storage.keyFor('feature1', 'user-no-ttl'))).toBe(-1);
    });

    it('rejects on a value that is not a stored record instead of returning garbage', async () => {
      await admin.set(storage.keyFor('feature1', 'corrupt'), '[1,2]');
      await expect(storage.get('feature1', 'corrupt')).rejects.toThrow('not a stored record');
      await admin.set(storage.keyFor('feature1', 'corrupt'), '{not json');
      await expect(storage.get('feature1', 'corrupt')).rejects.toThrow(SyntaxError);
    });
  });

  describe('options', () => {
    it.each([
      [{}, 'exactly one of `client` or `url`'],
      [{ url: REDIS_URL, client: {} as Redis }, 'exactly one of `client` or `url`'],
      [{ url: REDIS_URL, ttlSeconds: 0 }, '`ttlSeconds` must be a positive integer'],
      [{ url: REDIS_URL, ttlSeconds: 1.5 }, '`ttlSeconds` must be a positive integer'],
      [{ url: REDIS_URL, commandTimeout: 0 }, '`commandTimeout` must be a positive number'],
    ])('refuses %p', (options, message) => {
      expect(() => new VWORedisStorage(options)).toThrow(message);
    });
  });

  describe('client ownership', () => {
    it('closes the client it created, on close() and on application shutdown', async () => {
      const storage = new VWORedisStorage({ commandTimeout: HEALTHY_REDIS_TIMEOUT_MS, url: REDIS_URL, keyPrefix: prefix });
      await storage.set(record('feature1', 'owner'));
      await storage.onApplicationShutdown();
      await expect(storage.get('feature1', 'owner')).rejects.toThrow();
      await storage.close(); // twice is fine
    });

    it('closes without waiting when its client never connected or Redis is gone', async () => {
      const proxy = await new TcpProxy(REDIS_PORT).start();
      const neverUsed = new VWORedisStorage({ commandTimeout: HEALTHY_REDIS_TIMEOUT_MS, url: `redis://127.0.0.1:${proxy.port}`, keyPrefix: prefix });
      const used = new VWORedisStorage({ commandTimeout: HEALTHY_REDIS_TIMEOUT_MS, url: `redis://127.0.0.1:${proxy.port}`, keyPrefix: prefix, logger: recordingLogger() });
      await used.set(record('feature1', 'closing'));
      expect(proxy.connections).toBe(1); // the unused storage has not connected (lazy)
      await proxy.stop();
      const closing = await elapsed(async () => {
        await neverUsed.close();
        await used.close();
      });
      expect(closing.error).toBeUndefined();
      // Waiting would mean waiting for a reconnection that never comes.
      expect(closing.ms).toBeLessThan(BUSY_MACHINE_SLACK_MS);
    });

    it('connects while the app boots, so the first read does not wait for the connection', async () => {
      const proxy = await new TcpProxy(REDIS_PORT).start();
      const storage = new VWORedisStorage({ commandTimeout: HEALTHY_REDIS_TIMEOUT_MS, url: `redis://127.0.0.1:${proxy.port}`, keyPrefix: prefix });
      expect(proxy.connections).toBe(0);
      await storage.onModuleInit();
      expect(proxy.connections).toBe(1);
      await storage.close();
      await proxy.stop();
    });

    it('does not hold boot up when Redis is down: connecting gives up after commandTimeout', async () => {
      const proxy = await new TcpProxy(REDIS_PORT).start();
      const port = proxy.port;
      await proxy.stop();
      const storage = new VWORedisStorage({ url: `redis://127.0.0.1:${port}`, keyPrefix: prefix, commandTimeout: 150, logger: recordingLogger() });
      const booting = await elapsed(() => storage.onModuleInit());
      expect(booting.error).toBeUndefined();
      expect(booting.ms).toBeLessThan(150 + BUSY_MACHINE_SLACK_MS);
      await storage.close();
    });

    it('never closes a client it was given', async () => {
      const client = createRedisClient();
      const storage = new VWORedisStorage({ commandTimeout: HEALTHY_REDIS_TIMEOUT_MS, client, keyPrefix: prefix });
      await storage.set(record('feature1', 'borrowed'));
      await storage.close();
      await storage.onApplicationShutdown();
      expect(client.status).toBe('ready');
      expect(await storage.get('feature1', 'borrowed')).toEqual(record('feature1', 'borrowed'));
      await client.quit();
    });
  });

  describe('when Redis is down or slow', () => {
    let proxy: TcpProxy;
    let storage: VWORedisStorage;
    let logger: ReturnType<typeof recordingLogger>;
    /** Long enough that "at once" (well under half of it) is distinct from "after the timeout" on a busy machine. */
    const commandTimeout = 1_000;

    beforeEach(async () => {
      proxy = await new TcpProxy(REDIS_PORT).start();
      logger = recordingLogger();
      storage = new VWORedisStorage({
        url: `redis://127.0.0.1:${proxy.port}`,
        keyPrefix: prefix,
        accountId: 'outage',
        commandTimeout,
        logger,
      });
    });

    afterEach(async () => {
      await storage.close();
      await proxy.stop();
    });

    it('fails fast while down, logs once, and works again when Redis returns', async () => {
      const userId = 'user-7f3a9';
      await storage.set(record('feature1', userId));
      await proxy.stop();

      const attempts: Array<{ ms: number; error?: Error }> = [];
      for (let i = 0; i < 5; i++) attempts.push(await elapsed(() => storage.get('feature1', userId)));
      attempts.push(await elapsed(() => storage.set(record('feature1', 'during-outage'))));
      for (const attempt of attempts) {
        expect(attempt.error).toBeInstanceOf(Error);
        expect(attempt.ms).toBeLessThan(commandTimeout + BUSY_MACHINE_SLACK_MS);
      }
      // After the first failure the client is reconnecting: later calls fail at once, not after the timeout.
      expect(attempts[attempts.length - 1].ms).toBeLessThan(commandTimeout / 2);
      expect(logger.lines.filter((line) => line.startsWith('WARN'))).toHaveLength(1);

      await proxy.start();
      await eventually(async () => (await storage.get('feature1', userId))?.experimentVariationId === 2);
      expect(logger.lines).toContain('INFO Redis storage reconnected, sticky decisions resumed');
      expect(logger.lines.join('\n')).not.toContain(userId);
    });

    it('bounds a call by commandTimeout when Redis accepts the connection but does not answer', async () => {
      await storage.set(record('feature1', 'slow'));
      proxy.stall();
      const stalled = await elapsed(() => storage.get('feature1', 'slow'));
      expect(stalled.error?.message).toBe(`Redis storage command timed out after ${commandTimeout} ms`);
      expect(stalled.ms).toBeGreaterThanOrEqual(commandTimeout - 5);
      expect(stalled.ms).toBeLessThan(commandTimeout + BUSY_MACHINE_SLACK_MS);
      proxy.resume();
      expect(await storage.get('feature1', 'slow')).toEqual(record('feature1', 'slow'));
    });

    it('does not hang when Redis is not there from the start', async () => {
      await proxy.stop();
      const first = await elapsed(() => storage.get('feature1', 'nobody'));
      expect(first.error).toBeInstanceOf(Error);
      expect(first.ms).toBeLessThan(commandTimeout + BUSY_MACHINE_SLACK_MS);
      await proxy.start();
      await eventually(async () => (await storage.get('feature1', 'nobody')) === null);
    });
  });
});
