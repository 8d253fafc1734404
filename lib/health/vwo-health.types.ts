/**
 * The shape @nestjs/terminus expects from a health indicator (`HealthIndicatorResult`), declared here so
 * this library never imports terminus: it stays an optional peer, and the main entry loads without it.
 */
export type VWOHealthStatus = 'up' | 'down';

export interface VWOHealthDetails {
  status: VWOHealthStatus;
  /** Whether any valid settings are loaded (decisions are possible). */
  ready: boolean;
  /** Milliseconds since a valid document was last received (fetched unchanged counts), if ever. */
  settingsAgeMs?: number;
  lastUpdatedAt?: string;
  /** Past this age the settings count as stale; absent offline (nothing to refresh). */
  maxAgeMs?: number;
  /** Version of the settings in force. */
  version?: string | number;
  /** Where the settings in force came from: `fetch`, `option` or `update`. */
  source?: string;
  /** Why the last fetch failed (or its document was rejected), until a good one arrives. */
  lastFetchError?: string;
  lastFetchErrorAt?: string;
  /** The event pipeline (absent offline: nothing is sent). */
  events?: VWOEventPipelineHealth;
  [key: string]: unknown;
}

export interface VWOEventPipelineHealth {
  /** Events waiting to be sent. */
  queueLength: number;
  /** Events given up since the module started (queue full, rejected by VWO, lost at shutdown). */
  dropped: number;
  /** Milliseconds since VWO last accepted an event request; absent before the first. */
  lastSentAgoMs?: number;
  /** Milliseconds event requests have been failing with none accepted; absent while they succeed. */
  failingForMs?: number;
  /** Past this much failing the indicator is down. */
  maxFailingMs: number;
}

/** `{ [key]: details }`, as terminus merges it into the `/health` response. */
export type VWOHealthIndicatorResult<Key extends string = string> = Record<Key, VWOHealthDetails>;

/** What the indicator reads of the module options. */
export interface VWOHealthConfig {
  /** Offline settings never go stale, and no events are sent. */
  offline?: boolean;
  pollInterval?: number;
}

export interface VWOHealthCheckOptions {
  /**
   * Settings older than this are stale (down). Offline (no sdkKey) settings never go stale.
   * @default 3 × the poll interval (two missed polls are tolerated)
   */
  maxAgeMs?: number;
  /**
   * Down once event requests have been failing (none accepted) for longer than this.
   * @default 600000 (10 minutes)
   */
  maxEventsFailingMs?: number;
}
