import type { VWOGatewayServiceOptions } from '../network/vwo-hosts';
import type { VWORetryConfig } from '../network/retry-policy';
import type { VWOSdkMetaOptions } from '../sdk-info';

/** Event batching (docs/events.md). */
export interface VWOBatchEventDataOptions {
  /** Events per batch request (1..5000). @default 100 */
  eventsPerRequest?: number;
  /** Seconds between automatic flushes (fractions accepted). @default 3 */
  requestTimeInterval?: number;
  /** Called after every batch request; `err` is null on success. */
  flushCallback?: (err: Error | null, payload: { ev: unknown[] }) => void;
}

/** See VWOModuleOptions.eventTransport. */
export type VWOEventTransport = 'httpService' | 'workerThread';

/**
 * The slice of the module options the events layer reads (VWOModuleOptions composes it). Without `sdkKey`
 * (offline mode) nothing is ever sent: the service only answers flush() and shutdown.
 */
export interface EventsOptions {
  sdkKey?: string;
  accountId?: string | number;
  proxyUrl?: string;
  gatewayService?: VWOGatewayServiceOptions;
  batchEventData?: VWOBatchEventDataOptions;
  isBatchingDisabled?: boolean;
  retryConfig?: VWORetryConfig;
  maxQueueSize?: number;
  eventTransport?: VWOEventTransport;
  shutdownTimeout?: number;
  sdkMeta?: VWOSdkMetaOptions;
  // Only described by vwo_sdkUsageStats (whether they are set, and a few of their values):
  integrations?: unknown;
  logger?: unknown;
  storage?: unknown;
  pollInterval?: number;
  isUsageStatsDisabled?: boolean;
  shouldWaitForTrackingCalls?: boolean;
}

/**
 * Internal knobs (not public options): tests shrink the request timeout; the clock is injectable so
 * payload builders stay deterministic under test. Provided under VWO_EVENTS_TUNING, optional.
 */
export interface EventsTuning {
  /** Milliseconds one event/batch request may take per attempt (VWO's EVENTS_CALL_TIMEOUT). */
  requestTimeoutMs: number;
  /** Batch requests in flight at once; further full batches wait in the (bounded) queue. */
  maxConcurrentRequests: number;
}

/** batchEventData.flushCallback: the error (null on success) and the `{ ev }` payload of each batch request. */
export type FlushCallback = NonNullable<VWOBatchEventDataOptions['flushCallback']>;

export const VWO_EVENTS_TUNING = Symbol('VWO_EVENTS_TUNING');

export const DEFAULT_EVENTS_TUNING: EventsTuning = { requestTimeoutMs: 10_000, maxConcurrentRequests: 8 };

export const DEFAULT_EVENTS_PER_REQUEST = 100;
export const DEFAULT_REQUEST_TIME_INTERVAL_S = 3;
/** Enough for ~30 s of 100 impressions/s during an outage, at roughly 0.5–1 KB each (≤ 10 MB). */
export const DEFAULT_MAX_QUEUE_SIZE = 10_000;
