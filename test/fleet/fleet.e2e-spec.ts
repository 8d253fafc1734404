import type Redis from 'ioredis';
import type { VWOModuleOptions } from '../../lib/options/vwo-module-options.interface';
import { VWORedisStorage } from '../../lib/storage/redis';
import { fakeServerOptions } from '../module/helpers/boot';
import { CaptureLogger } from '../module/helpers/capture-logger';
import { BUSY_MACHINE_SLACK_MS, EVENTUALLY_MS, waitUntil } from '../module/helpers/wait-until';
import { FakeVwoServer } from '../support/fake-vwo-server';
import { createRedisClient, deleteKeysUnder, describeWithRedis, HEALTHY_REDIS_TIMEOUT_MS, REDIS_URL, uniqueKeyPrefix } from '../support/redis';
import { TcpProxy } from '../storage/tcp-proxy';
import { FLEET_ACCOUNT_ID, FLEET_SDK_KEY, fleetSettings } from './support/fleet-settings.fixture';
import { callWebhook, colours, Replica, startReplica, stopAll, usersFor, versionOf } from './support/fleet';

const SECRET = 'fleet-webhook-secret';
const REDIS_PORT = Number(new URL(REDIS_URL).port || 6379);
const pulls = (server: FakeVwoServer) => server.requestsTo('/server-side/v2-pull').length;

describeWithRedis('a fleet of three replicas sharing Redis and one (fake) VWO', () => {
  let server: FakeVwoServer;
  /** The fake's address, also after stop() (the port then refuses connections). */
  let vwoUrl: string;
  let admin: Redis;
  let replicas: Replica[] = [];
  let prefixes: string[] = [];
  let log: CaptureLogger;

  /** Options of one replica: settings from the fake VWO, polling too slow to matter within a test. */
  const replicaOptions = (extra: VWOModuleOptions = {}): VWOModuleOptions =>
    fakeServerOptions(vwoUrl, { sdkKey: FLEET_SDK_KEY, accountId: FLEET_ACCOUNT_ID, pollInterval: 600_000, settingsTimeout: 5_000, storageTimeout: HEALTHY_REDIS_TIMEOUT_MS, logger: { level: 'DEBUG', transport: log }, ...extra });
  /** A Redis storage of its own per replica (own client), all under one prefix unique to this test. */
  const redisStorage = (prefix: string, url = REDIS_URL) => new VWORedisStorage({ commandTimeout: HEALTHY_REDIS_TIMEOUT_MS, url, keyPrefix: prefix, accountId: FLEET_ACCOUNT_ID, logger: log });
  const newPrefix = (label: string) => {
    const prefix = uniqueKeyPrefix(`fleet-${label}`);
    prefixes.push(prefix);
    return prefix;
  };
  const fleetOf = async (count: number, options: () => VWOModuleOptions): Promise<Replica[]> => {
    for (let i = 0; i < count; i++) replicas.push(await startReplica(options()));
    return replicas;
  };

  beforeAll(async () => {
    admin = createRedisClient();
    await admin.connect();
  });

  beforeEach(async () => {
    server = await new FakeVwoServer().start();
    vwoUrl = server.url;
    server.settings = fleetSettings(50);
    log = new CaptureLogger();
  });

  afterEach(async () => {
    await stopAll(replicas);
    replicas = [];
    await server.stop();
  });

  afterAll(async () => {
    for (const prefix of prefixes) await deleteKeysUnder(admin, prefix);
    await admin.quit();
  });

  it('default options (no storage): every replica gives each user the same variation, before and after a split change', async () => {
    const users = usersFor('default');
    const [a, b, c] = await fleetOf(3, () => replicaOptions());
    const before = await colours(a, users);
    expect(await colours(b, users)).toEqual(before);
    expect(await colours(c, users)).toEqual(before);

    server.settings = fleetSettings(10);
    for (const replica of [a, b, c]) expect(await replica.vwo.updateSettings(undefined, false)).toBe(true);
    const after = await colours(a, users);
    expect(after).not.toEqual(before); // some users really moved
    expect(await colours(b, users)).toEqual(after);
    expect(await colours(c, users)).toEqual(after);
  });

  it('Redis storage: a decision made on replica 1 is what replicas 2 and 3 return after the split changed (sticky)', async () => {
    const prefix = newPrefix('sticky');
    const users = usersFor('sticky', 30);
    const [a, b, c] = await fleetOf(3, () => replicaOptions({ storage: redisStorage(prefix) }));
    const decided = await colours(a, users);
    expect(decided).toContain('blue');
    // Writes are fire-and-forget: wait until replica 1's records are all in Redis.
    await waitUntil(async () => (await admin.keys(`${prefix}:${FLEET_ACCOUNT_ID}:*`)).length === users.length, EVENTUALLY_MS);

    server.settings = fleetSettings(0); // every fresh decision is red now
    for (const replica of [a, b, c]) expect(await replica.vwo.updateSettings(undefined, false)).toBe(true);
    expect(await colours(b, usersFor('sticky-fresh', 5))).toEqual(Array(5).fill('red'));
    expect(await colours(b, users)).toEqual(decided);
    expect(await colours(c, users)).toEqual(decided);
  });

  it('a replica started while VWO refuses connections serves from the Redis settings cache within waitForSettings', async () => {
    const prefix = newPrefix('cache');
    const users = usersFor('cache');
    server.settings = fleetSettings(30);
    const [a, b] = await fleetOf(2, () => replicaOptions({ storage: redisStorage(prefix) }));
    const expected = await colours(a, users);
    await waitUntil(async () => (await admin.keys(`${prefix}:%settings:*`)).length === 1, EVENTUALLY_MS);

    await server.stop(); // the port refuses connections from now on
    const waitForSettings = 3_000;
    const c = await startReplica(replicaOptions({ storage: redisStorage(prefix), waitForSettings, retryConfig: { shouldRetry: true, maxRetries: 3, initialDelay: 2 } }));
    replicas.push(c);
    process.stdout.write(`[fleet] replica 3 booted from the Redis settings cache in ${c.bootMs} ms with VWO refusing connections\n`);
    expect(c.bootMs).toBeLessThan(waitForSettings + 1_000 + BUSY_MACHINE_SLACK_MS); // retrying VWO instead would take 2 + 4 + 8 s
    expect(c.vwo.isReady()).toBe(true);
    expect(await colours(c, users)).toEqual(expected);
    expect(await colours(b, users)).toEqual(expected);
    expect(log.matching(/Using cached settings fetched \d+ s ago/, 'INFO').length).toBeGreaterThanOrEqual(1);
  });

  it('a webhook with the right secret on replica 1 makes all three serve the new settings promptly (then on replicas 2 and 3)', async () => {
    const prefix = newPrefix('webhook');
    const fleet = await fleetOf(3, () => replicaOptions({ storage: redisStorage(prefix), webhook: { secret: SECRET } }));
    expect(fleet.map(versionOf)).toEqual([50, 50, 50]);

    // One round per replica receiving the webhook (each replica's first: no coalescing delay in the figure).
    const rounds: number[] = [];
    for (const [i, receiver] of fleet.entries()) {
      const version = 10 + i;
      server.settings = fleetSettings(version);
      const started = performance.now();
      expect(await callWebhook(receiver, SECRET)).toBe(202);
      const reached = await Promise.all(
        fleet.map(async (replica) => {
          await waitUntil(() => versionOf(replica) === version, EVENTUALLY_MS);
          return performance.now() - started;
        }),
      );
      rounds.push(Math.max(...reached));
    }
    const median = [...rounds].sort((x, y) => x - y)[1];
    process.stdout.write(
      `[fleet] webhook -> new settings served by all three replicas in ${rounds.map((ms) => ms.toFixed(0)).join(', ')} ms ` +
        `(webhook on replica 1, 2, 3; median ${median.toFixed(0)} ms)\n`,
    );
    // About 1 s on an idle machine (the figures above); the bound leaves room for a busy one, far below the 10-minute poll.
    expect(rounds[0]).toBeLessThan(1_000 + BUSY_MACHINE_SLACK_MS);
    expect(median).toBeLessThan(1_000 + BUSY_MACHINE_SLACK_MS);
    const fresh = usersFor('webhook-fresh', 20);
    expect(await colours(fleet[2], fresh)).toEqual(await colours(fleet[0], fresh));
    expect(pulls(server)).toBe(3); // one per webhook: the other replicas read the shared cache, not VWO
  });

  it('a webhook with a wrong or missing secret gets 401 and refreshes nothing', async () => {
    const [a] = await fleetOf(1, () => replicaOptions({ webhook: { secret: SECRET } }));
    const users = usersFor('unauthorized');
    const before = await colours(a, users);
    server.settings = fleetSettings(5);
    expect(await callWebhook(a, 'wrong-secret')).toBe(401);
    expect(await callWebhook(a, undefined)).toBe(401);
    expect(await callWebhook(a, `${SECRET}x`)).toBe(401);
    expect(await callWebhook(a, SECRET.slice(0, -1))).toBe(401);
    expect(pulls(server)).toBe(0);
    expect(await colours(a, users)).toEqual(before);
    expect(log.matching(/Webhook call refused: missing or wrong x-vwo-auth header/, 'WARN')).toHaveLength(1); // rate-limited
  });

  it('20 webhooks within a second cause at most 2 pulls, and the last one is followed by a pull', async () => {
    const [a] = await fleetOf(1, () => replicaOptions({ webhook: { secret: SECRET } }));
    const started = Date.now();
    const statuses: number[] = [];
    statuses.push(...(await Promise.all(Array.from({ length: 20 }, () => callWebhook(a, SECRET)))));
    const burstMs = Date.now() - started;
    expect(statuses).toEqual(Array(20).fill(202));
    await server.waitFor((requests) => requests.some((r) => r.path === '/server-side/v2-pull'), 5_000);
    server.settings = fleetSettings(5); // after the first pull started: only the trailing pull can bring it
    await waitUntil(() => versionOf(a) === 5, EVENTUALLY_MS);
    process.stdout.write(`[fleet] 20 webhooks in ${burstMs} ms -> ${pulls(server)} pulls\n`);
    // At most one pull per second after the first: 2 for a burst within a second (a loaded machine may stretch it).
    expect(pulls(server)).toBeLessThanOrEqual(1 + Math.ceil(burstMs / 1_000));
  });

  it('with Redis away, a webhook still refreshes the replica it reached, nothing crashes, and the fan-out resumes when Redis is back', async () => {
    const prefix = newPrefix('outage');
    const proxy = await new TcpProxy(REDIS_PORT).start();
    try {
      const viaProxy = () => replicaOptions({ storage: redisStorage(prefix, `redis://127.0.0.1:${proxy.port}`), webhook: { secret: SECRET } });
      const [a, b, c] = await fleetOf(3, viaProxy);
      // Baseline: the fan-out works (every subscription is up and nothing is left to catch up on).
      server.settings = fleetSettings(40);
      expect(await callWebhook(a, SECRET)).toBe(202);
      await Promise.all([a, b, c].map((replica) => waitUntil(() => versionOf(replica) === 40, EVENTUALLY_MS)));

      await proxy.stop();
      server.settings = fleetSettings(5);
      expect(await callWebhook(a, SECRET)).toBe(202);
      await waitUntil(() => versionOf(a) === 5, EVENTUALLY_MS);
      await waitUntil(() => log.matching(/not announced to the other replicas/, 'WARN').length >= 1, EVENTUALLY_MS);
      expect([b, c].map(versionOf)).toEqual([40, 40]); // nobody told them
      expect((await colours(b, usersFor('outage'))).every((colour) => colour === 'blue' || colour === 'red')).toBe(true);

      // Back: replicas 2 and 3 resubscribe and catch up once, then webhooks fan out again.
      await proxy.start();
      await Promise.all([b, c].map((replica) => waitUntil(() => versionOf(replica) === 5, 10_000)));
      server.settings = fleetSettings(95);
      expect(await callWebhook(a, SECRET)).toBe(202);
      await Promise.all([a, b, c].map((replica) => waitUntil(() => versionOf(replica) === 95, EVENTUALLY_MS)));
    } finally {
      await stopAll(replicas);
      replicas = [];
      await proxy.stop();
    }
  });
});
