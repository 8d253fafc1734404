import type { VWOLogger } from '../logger/vwo-logger.interface';
import {
  DEFAULT_EVENTS_PER_REQUEST,
  DEFAULT_EVENTS_TUNING,
  DEFAULT_MAX_QUEUE_SIZE,
  DEFAULT_REQUEST_TIME_INTERVAL_S,
  DEFAULT_SHUTDOWN_TIMEOUT_MS,
  EventsOptions,
  EventsTuning,
  FlushCallback,
  MAX_EVENTS_PER_REQUEST,
} from './events-options.interface';
import type { DispatcherConfig } from './event-dispatcher';
import { CollectionHost, resolveCollectionHost } from './event-endpoints';
import { resolveRetryPolicy, RetryPolicy } from './retry-policy';

/** Everything the events layer derives from the options, resolved once. */
export interface EventsConfig {
  host: CollectionHost;
  /** Events wait in the queue and leave in batches (off behind a gateway, docs/events.md). */
  batching: boolean;
  dispatcher: DispatcherConfig;
  /** Told the outcome and payload of every batch request (batchEventData.flushCallback). */
  flushCallback?: FlushCallback;
  retry: RetryPolicy;
  shutdownTimeoutMs: number;
  tuning: EventsTuning;
}

const positive = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v > 0;

export function resolveEventsConfig(options: EventsOptions, logger: VWOLogger, tuning?: Partial<EventsTuning>): EventsConfig {
  const host = resolveCollectionHost(options);
  const batch = options.batchEventData;
  if (host.viaGateway && batch) logger.info('Batching is not used with gatewayService: events are sent one by one.');
  // Like VWO ≥1.42: batching by default; isBatchingDisabled opts out unless batchEventData is given explicitly.
  const batching = !host.viaGateway && (!options.isBatchingDisabled || batch !== undefined);
  const fullTuning = { ...DEFAULT_EVENTS_TUNING, ...tuning };
  return {
    host,
    batching,
    dispatcher: {
      eventsPerRequest: positive(batch?.eventsPerRequest)
        ? Math.min(Math.floor(batch.eventsPerRequest) || 1, MAX_EVENTS_PER_REQUEST)
        : DEFAULT_EVENTS_PER_REQUEST,
      intervalMs: (positive(batch?.requestTimeInterval) ? batch.requestTimeInterval : DEFAULT_REQUEST_TIME_INTERVAL_S) * 1000,
      maxQueueSize: typeof options.maxQueueSize === 'number' && options.maxQueueSize >= 0 ? Math.floor(options.maxQueueSize) : DEFAULT_MAX_QUEUE_SIZE,
      maxConcurrentRequests: Math.max(1, Math.floor(fullTuning.maxConcurrentRequests)),
    },
    flushCallback: batch?.flushCallback,
    retry: resolveRetryPolicy(options.retryConfig),
    shutdownTimeoutMs: positive(options.shutdownTimeout) ? options.shutdownTimeout : DEFAULT_SHUTDOWN_TIMEOUT_MS,
    tuning: fullTuning,
  };
}
