import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';

/** The Redis server the tests use; override with VWO_REDIS_URL. */
export const REDIS_URL = process.env.VWO_REDIS_URL ?? 'redis://127.0.0.1:6379';
/**
 * commandTimeout and storageTimeout for a healthy Redis: the defaults (500 ms and less) are what a healthy Redis
 * answers within on an idle machine, not on a busy 2-core CI machine. Outage tests set their own, short ones.
 */
export const HEALTHY_REDIS_TIMEOUT_MS = 10_000;
/** Set (to anything but '' or '0') in CI: a missing Redis then fails the suite instead of skipping it. */

let probed: { available: boolean; detail: string } | undefined;

/**
 * Whether a Redis server answers at REDIS_URL. Probed once per test file, synchronously (jest defines
 * tests synchronously), by a child process that sends PING and waits for any RESP reply.
 */
export function redisAvailability(): { available: boolean; detail: string } {
  if (!probed) probed = probe();
  return probed;
}

function probe(): { available: boolean; detail: string } {
  const { hostname, port } = new URL(REDIS_URL);
  const script = `
    const socket = require('node:net').connect(${Number(port || 6379)}, ${JSON.stringify(hostname)});
    socket.setTimeout(5000, () => { console.error('no answer within 5 s'); process.exit(1); });
    socket.on('connect', () => socket.write('PING\\r\\n'));
    socket.on('data', (d) => process.exit(/^[+-]/.test(d.toString()) ? 0 : 2));
    socket.on('error', (e) => { console.error(e.message); process.exit(1); });`;
  try {
    // Generous bounds: on a loaded machine starting the probe alone can take seconds. A missing Redis
    // refuses the connection at once, so they only cost time when Redis is there but slow.
    execFileSync(process.execPath, ['-e', script], { timeout: 15_000, stdio: ['ignore', 'ignore', 'pipe'] });
    return { available: true, detail: 'ok' };
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
    return { available: false, detail: stderr || (error as Error).message };
  }
}

/**
 * `describe` for tests that need a real Redis. Without one, each such suite has one failing test that says
 * what to start: never a silent skip.
 */
export function describeWithRedis(name: string, body: () => void): void {
  const { available, detail } = redisAvailability();
  if (available) {
    describe(name, body);
    return;
  }
  // A skipped test is a failing test: without Redis these fail, naming what to start.
  const message = `Redis is not reachable at ${REDIS_URL} (${detail}). Start one (e.g. \`redis-server --port 6379\`) or set VWO_REDIS_URL.`;
  describe(name, () => {
    it('has a Redis server to run against', () => {
      throw new Error(message);
    });
  });
}

/** A key prefix no other test run shares, so runs in parallel never see each other's keys. */
export function uniqueKeyPrefix(label: string): string {
  return `vwo-test:${label}:${process.pid}:${randomBytes(4).toString('hex')}`;
}

/** A client for setup, inspection and cleanup. Close it with `quit()`. */
export function createRedisClient(): Redis {
  return new Redis(REDIS_URL, { maxRetriesPerRequest: 1, lazyConnect: true });
}

/** Deletes every key under `prefix:` (SCAN, never KEYS). Returns how many were deleted. */
export async function deleteKeysUnder(client: Redis, prefix: string): Promise<number> {
  let deleted = 0;
  const stream = client.scanStream({ match: `${escapeGlob(prefix)}:*`, count: 500 });
  for await (const keys of stream as AsyncIterable<string[]>) {
    if (keys.length) deleted += await client.del(...keys);
  }
  return deleted;
}

function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&');
}
