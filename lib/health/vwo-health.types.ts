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
  [key: string]: unknown;
}

/** `{ [key]: details }`, as terminus merges it into the `/health` response. */
export type VWOHealthIndicatorResult<Key extends string = string> = Record<Key, VWOHealthDetails>;

export interface VWOHealthCheckOptions {
  /**
   * Settings older than this are stale (down). Offline (no sdkKey) settings never go stale.
   * @default 3 × the poll interval (two missed polls are tolerated)
   */
  maxAgeMs?: number;
}
