import type { OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import type Redis from 'ioredis';
import type { RedisOptions } from 'ioredis';
import type { StoredRecord } from '../../engine/types';
import { VWODefaultLogger } from '../../logger/vwo-default.logger';
import type { VWOLogger } from '../../logger/vwo-logger.interface';
import type { VWOSettingsChange, VWOSettingsChangeHandlers, VWOSettingsChannel, VWOSettingsSubscription } from '../vwo-settings-channel.interface';
import type { VWOCachedSettings, VWOStorage } from '../vwo-storage.interface';
import { escapeSegment, settingsChannel, settingsKey } from './redis-keys';
import { RedisSettingsSubscriber } from './redis-settings-subscriber';
import type { VWORedisClient, VWORedisStorageOptions, VWORedisSubscriberClient } from './redis-storage.options';

const DEFAULT_KEY_PREFIX = 'vwo';
const DEFAULT_COMMAND_TIMEOUT_MS = 500;
/** ioredis statuses in which a command could only sit in the offline queue until it times out. */
const UNAVAILABLE_STATUSES = new Set(['reconnecting', 'close', 'end']);
const MAX_RECONNECT_DELAY_MS = 2_000;
const DEFAULT_SETTINGS_TTL_MS = 7_200_000;
/**
 * Settings reads and writes happen at boot (the first may wait for the connection) and in the background,
 * never in a request, and a document can be megabytes: they get more time than a decision's command.
 */
const MIN_SETTINGS_COMMAND_TIMEOUT_MS = 5_000;

/**
 * Sticky decisions in Redis, one JSON string per (feature, user):
 * `<keyPrefix>:<accountId>:<featureKey>:<userId>` (the account segment only when `accountId` is given).
 * Also the fleet's settings cache, one key per account and environment (see redis-keys.ts), and the
 * pub/sub channel on which replicas announce settings refreshes.
 *
 * A down or slow Redis never holds a decision up: every call is bounded by `commandTimeout`, and while
 * the client reconnects (an owned one does, forever, with backoff) calls fail at once. Failures reject; the module
 * logs them and decides without stickiness, which resumes as soon as Redis answers again.
 */
export class VWORedisStorage implements VWOStorage, VWOSettingsChannel, OnModuleInit, OnApplicationShutdown {
  readonly settingsTtl: number;
  private readonly client: VWORedisClient;
  /** Set only when we created the client from a URL: we close what we own, never the user's client. */
  private readonly ownedClient?: Redis;
  private readonly keyPrefix: string;
  /** The prefix without the account segment: settings keys name their account themselves. */
  private readonly settingsPrefix: string;
  private readonly subscriptions = new Set<RedisSettingsSubscriber>();
  private readonly ttlSeconds?: number;
  private readonly commandTimeout: number;
  private readonly settingsTimeout: number;
  private readonly logger: VWOLogger;
  private outage = false;

  constructor(options: VWORedisStorageOptions) {
    validateOptions(options);
    this.logger = options.logger ?? new VWODefaultLogger('INFO', VWORedisStorage.name);
    this.ttlSeconds = options.ttlSeconds;
    this.commandTimeout = options.commandTimeout ?? DEFAULT_COMMAND_TIMEOUT_MS;
    this.settingsTtl = options.settingsTtl ?? DEFAULT_SETTINGS_TTL_MS;
    this.settingsTimeout = Math.max(this.commandTimeout, MIN_SETTINGS_COMMAND_TIMEOUT_MS);
    // The prefix is the user's namespace and may hold ':' on purpose; the account id is a segment.
    const prefix = options.keyPrefix ?? DEFAULT_KEY_PREFIX;
    this.settingsPrefix = prefix;
    this.keyPrefix = options.accountId === undefined ? prefix : `${prefix}:${escapeSegment(String(options.accountId))}`;
    if (options.client) {
      this.client = options.client;
    } else {
      this.ownedClient = this.createClient(options.url!);
      this.client = this.ownedClient;
    }
  }

  /** The Redis key of one record (exposed for inspection and migrations). */
  keyFor(featureKey: string, userId: string): string {
    // The user id goes last unescaped: escaping the segments before it keeps keys unambiguous.
    return `${this.keyPrefix}:${escapeSegment(featureKey)}:${userId}`;
  }

  async get(featureKey: string, userId: string): Promise<StoredRecord | null> {
    const raw = await this.bounded(() => this.client.get(this.keyFor(featureKey, userId)));
    return raw === null ? null : parseRecord(raw);
  }

  async set(record: StoredRecord): Promise<void> {
    const key = this.keyFor(record.featureKey, String(record.userId));
    const value = JSON.stringify(record);
    await this.bounded(() =>
      this.ttlSeconds === undefined
        ? this.client.set(key, value)
        : this.client.set(key, value, 'EX', this.ttlSeconds),
    );
  }

  /** The Redis key of the cached settings of one account and SDK key (the key only as a hash). */
  settingsKeyFor(accountId: string | number, sdkKey: string): string {
    return settingsKey(this.settingsPrefix, String(accountId), sdkKey);
  }

  async getSettings(accountId: string, sdkKey: string): Promise<VWOCachedSettings | null> {
    const raw = await this.bounded(() => this.client.get(this.settingsKeyFor(accountId, sdkKey)), this.settingsTimeout);
    return raw === null ? null : parseCachedSettings(raw);
  }

  /** Caches a document under its own account id and SDK key (no expiry: an old document still beats none). */
  async setSettings(data: VWOCachedSettings): Promise<void> {
    const { accountId, sdkKey } = ownerOf(data.settings);
    const value = JSON.stringify({ settings: data.settings, timestamp: data.timestamp });
    await this.bounded(() => this.client.set(this.settingsKeyFor(accountId, sdkKey), value), this.settingsTimeout);
  }

  async publishSettingsChange(accountId: string, sdkKey: string, change: VWOSettingsChange): Promise<void> {
    const client = this.client;
    if (!client.publish) throw new Error('the Redis client has no publish(): settings refreshes cannot be announced');
    const message = JSON.stringify({ origin: change.origin, timestamp: change.timestamp });
    await this.bounded(() => client.publish!(settingsChannel(this.settingsPrefix, accountId, sdkKey), message));
  }

  /**
   * Subscribes on a connection of its own (closed with the storage), waiting at most `commandTimeout` for
   * it; while Redis is away it keeps trying, and says so through `onResubscribed` when it is back.
   */
  async subscribeSettingsChanges(accountId: string, sdkKey: string, handlers: VWOSettingsChangeHandlers): Promise<VWOSettingsSubscription> {
    const connection = this.createSubscriberConnection();
    const subscriber = new RedisSettingsSubscriber(connection, settingsChannel(this.settingsPrefix, accountId, sdkKey), handlers, this.logger);
    this.subscriptions.add(subscriber);
    await subscriber.start(this.commandTimeout);
    return {
      close: async () => {
        this.subscriptions.delete(subscriber);
        await subscriber.close();
      },
    };
  }

  /** Closes the client if the storage created it (a client you passed in stays open) and every subscription. Safe to call twice. */
  async close(): Promise<void> {
    await Promise.all([...this.subscriptions].map((subscriber) => subscriber.close()));
    this.subscriptions.clear();
    const client = this.ownedClient;
    if (!client || client.status === 'end') return;
    if (client.status !== 'ready') {
      // Never connected, or reconnecting: a QUIT would wait in the offline queue for a Redis that may not return.
      client.disconnect();
      return;
    }
    await this.bounded(() => client.quit()).catch(() => client.disconnect());
  }

  /**
   * Connects an owned client while the app boots (bounded by `commandTimeout`), so the first decisions are
   * sticky too: a read that waits for the connection would time out and its decision would not be stored.
   * A Redis that is down does not stop boot: the client keeps reconnecting in the background.
   */
  async connect(): Promise<void> {
    const client = this.ownedClient;
    if (!client || client.status !== 'wait') return;
    const connecting = client.connect().catch((error: Error) => this.onOutage(error.message));
    let timer: NodeJS.Timeout | undefined;
    const bound = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, this.commandTimeout);
      timer.unref();
    });
    await Promise.race([connecting, bound]);
    clearTimeout(timer);
  }

  async onModuleInit(): Promise<void> {
    await this.connect();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.close();
  }

  private async bounded<T>(command: () => Promise<T>, timeoutMs = this.commandTimeout): Promise<T> {
    const status = this.client.status;
    // During an outage an owned client also fails while `connecting`: a queued write landing after
    // recovery could overwrite a sticky decision with one made blind.
    if (status !== undefined && status !== 'ready' && (this.outage || UNAVAILABLE_STATUSES.has(status))) {
      throw new Error(`Redis storage unavailable (client ${status})`);
    }
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`Redis storage command timed out after ${timeoutMs} ms`)),
        timeoutMs,
      );
    });
    try {
      return await Promise.race([command(), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  private createSubscriberConnection(): VWORedisSubscriberClient {
    if (this.ownedClient) return this.ownedClient.duplicate({ autoResubscribe: false });
    if (!this.client.duplicate) throw new Error('the Redis client has no duplicate(): settings refreshes of other replicas cannot be heard');
    return this.client.duplicate();
  }

  private createClient(url: string): Redis {
    const { Redis: RedisClient } = loadIoredis();
    const clientOptions: RedisOptions = {
      lazyConnect: true,
      // A lost connection fails what was queued or in flight at once, and never replays it later.
      maxRetriesPerRequest: 0,
      autoResendUnfulfilledCommands: false,
      connectTimeout: Math.max(this.commandTimeout, 1_000),
      retryStrategy: (attempt) => Math.min(attempt * 100, MAX_RECONNECT_DELAY_MS),
    };
    const client = new RedisClient(url, clientOptions);
    client.on('error', (error: Error) => this.onOutage(error.message));
    client.on('reconnecting', () => this.onOutage('connection lost'));
    client.on('ready', () => this.onReady());
    return client;
  }

  private onOutage(reason: string): void {
    // One warning per outage: ioredis reports every reconnection attempt.
    if (this.outage) return;
    this.outage = true;
    this.logger.warn(`Redis storage unavailable (${reason}); deciding without stickiness until it returns`);
  }

  private onReady(): void {
    if (!this.outage) return;
    this.outage = false;
    this.logger.info('Redis storage reconnected, sticky decisions resumed');
  }
}

/** Loaded only for `url`, so that ioredis stays optional for users who bring their own client. */
function loadIoredis(): typeof import('ioredis') {
  try {
    return require('ioredis') as typeof import('ioredis');
  } catch {
    throw new Error('VWORedisStorage({ url }) needs the ioredis package: npm install ioredis');
  }
}

function validateOptions(options: VWORedisStorageOptions): void {
  if (!options.client === !options.url) {
    throw new Error('VWORedisStorage needs exactly one of `client` or `url`');
  }
  if (options.ttlSeconds !== undefined && !(Number.isInteger(options.ttlSeconds) && options.ttlSeconds > 0)) {
    throw new Error('VWORedisStorage `ttlSeconds` must be a positive integer');
  }
  if (options.commandTimeout !== undefined && !(options.commandTimeout > 0 && Number.isFinite(options.commandTimeout))) {
    throw new Error('VWORedisStorage `commandTimeout` must be a positive number of ms');
  }
  if (options.settingsTtl !== undefined && !(options.settingsTtl >= 0 && Number.isFinite(options.settingsTtl))) {
    throw new Error('VWORedisStorage `settingsTtl` must be a number of ms >= 0');
  }
}

/** Whose a settings document is, by its own fields (VWO spells them long or short). */
function ownerOf(settings: Record<string, unknown>): { accountId: string; sdkKey: string } {
  const accountId = settings.accountId ?? settings.a;
  const sdkKey = settings.sdkKey ?? settings.sK;
  if ((typeof accountId !== 'string' && typeof accountId !== 'number') || typeof sdkKey !== 'string' || !sdkKey) {
    throw new Error('a settings document without its accountId and sdkKey cannot be cached');
  }
  return { accountId: String(accountId), sdkKey };
}

function parseCachedSettings(raw: string): VWOCachedSettings {
  const value = JSON.parse(raw) as Partial<VWOCachedSettings> | null;
  if (!value || typeof value.settings !== 'object' || value.settings === null || typeof value.timestamp !== 'number') {
    throw new Error('Redis holds a settings cache entry that is not { settings, timestamp }');
  }
  return { settings: value.settings, timestamp: value.timestamp };
}

function parseRecord(raw: string): StoredRecord {
  const record: unknown = JSON.parse(raw);
  if (record === null || typeof record !== 'object' || Array.isArray(record)) {
    throw new Error('Redis storage holds a value that is not a stored record');
  }
  return record as StoredRecord;
}
