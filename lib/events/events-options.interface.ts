import type { VWOModuleOptions } from '../options/vwo-module-options.interface';

/**
 * The slice of the module options the events layer reads. The validated options object provided under
 * VWO_OPTIONS is a superset, so it is assignable to this type. Without `sdkKey` (offline mode) nothing
 * is ever sent: the service only answers flush() and shutdown.
 */
export type EventsOptions = { sdkKey?: string | undefined } & Pick<
  VWOModuleOptions,
  | 'accountId'
  | 'proxyUrl'
  | 'gatewayService'
  | 'batchEventData'
  | 'isBatchingDisabled'
  | 'retryConfig'
  | 'maxQueueSize'
  | 'eventTransport'
  | 'shutdownTimeout'
  | 'sdkMeta'
  // Only described by vwo_sdkUsageStats:
  | 'integrations'
  | 'logger'
  | 'storage'
  | 'pollInterval'
  | 'isUsageStatsDisabled'
>;

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
export type FlushCallback = NonNullable<NonNullable<VWOModuleOptions['batchEventData']>['flushCallback']>;

export const VWO_EVENTS_TUNING = Symbol('VWO_EVENTS_TUNING');

export const DEFAULT_EVENTS_TUNING: EventsTuning = { requestTimeoutMs: 10_000, maxConcurrentRequests: 8 };

export const DEFAULT_EVENTS_PER_REQUEST = 100;
export const DEFAULT_REQUEST_TIME_INTERVAL_S = 3;
/** Enough for ~30 s of 100 impressions/s during an outage, at roughly 0.5–1 KB each (≤ 10 MB). */
export const DEFAULT_MAX_QUEUE_SIZE = 10_000;
