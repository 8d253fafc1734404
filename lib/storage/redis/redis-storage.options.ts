import type { VWOLogger } from '../../logger/vwo-logger.interface';

/**
 * The part of a Redis client the storage uses. An ioredis `Redis` or `Cluster` satisfies it; so does any
 * client with the same `get`/`set` signatures. Typed structurally so that the library never needs ioredis
 * unless you pass a `url`.
 */
export interface VWORedisClient {
  get(key: string): Promise<string | null>;
  set(key: string, value: string): Promise<unknown>;
  set(key: string, value: string, expiryMode: 'EX', seconds: number): Promise<unknown>;
  /** ioredis connection status; while `reconnecting`/`close`/`end`, calls fail at once instead of queueing. */
  readonly status?: string;
  /** Needed for the settings fan-out (announcing a refresh to the other replicas). */
  publish?(channel: string, message: string): Promise<unknown>;
  /** A new connection with the same options, for the fan-out subscription (ioredis has it). */
  duplicate?(): VWORedisSubscriberClient;
}

/** The part of a Redis connection the settings fan-out subscription uses (an ioredis `Redis` satisfies it). */
export interface VWORedisSubscriberClient {
  subscribe(channel: string): Promise<unknown>;
  on(event: string, listener: (...args: any[]) => void): unknown;
  quit(): Promise<unknown>;
  disconnect(): void;
  connect?(): Promise<unknown>;
  readonly status?: string;
}

export interface VWORedisStorageOptions {
  /** A client you already have. It is used as is and never closed by the storage. */
  client?: VWORedisClient;
  /** A Redis URL (`redis://[:password@]host:port/db`, `rediss://` for TLS). The storage creates, owns and closes this client. */
  url?: string;
  /**
   * First segment of every key.
   * @default 'vwo'
   */
  keyPrefix?: string;
  /** VWO account id, second segment of every key, so that several accounts can share one Redis. */
  accountId?: string | number;
  /** Expiry of each record, in seconds (refreshed on every write). Records never expire when unset. */
  ttlSeconds?: number;
  /**
   * Upper bound of one `get`/`set`, in ms; the call rejects after it (the module treats that as "nothing stored").
   * @default 500
   */
  commandTimeout?: number;
  /**
   * Milliseconds a cached settings document is fresh enough to boot on without waiting for VWO; an older one
   * is used only while VWO cannot be reached. @default 7200000 (2 hours, as VWO's connectors)
   */
  settingsTtl?: number;
  /** Where connection problems of an owned client are reported. Defaults to Nest's Logger (context `VWORedisStorage`). */
  logger?: VWOLogger;
}
