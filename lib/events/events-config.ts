import type { VWOLogger } from '../logger/vwo-logger.interface';
import {
  DEFAULT_EVENTS_PER_REQUEST,
  DEFAULT_EVENTS_TUNING,
  DEFAULT_MAX_QUEUE_SIZE,
  DEFAULT_REQUEST_TIME_INTERVAL_S,
  EventsOptions,
  EventsTuning,
  FlushCallback,
} from './events-options.interface';
import { DEFAULT_SHUTDOWN_TIMEOUT_MS } from '../vwo.constants';
import type { DispatcherConfig } from './event-dispatcher';
import { CollectionHost, resolveCollectionHost } from './event-endpoints';
import { resolveRetryPolicy, RetryPolicy } from '../network/retry-policy';

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

/**
 * The events layer's configuration, resolved once from the module options. Their values were validated at boot
 * (VWOOptionsError names any bad one), so only missing ones are filled in here.
 */
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
      eventsPerRequest: batch?.eventsPerRequest ?? DEFAULT_EVENTS_PER_REQUEST,
      intervalMs: (batch?.requestTimeInterval ?? DEFAULT_REQUEST_TIME_INTERVAL_S) * 1000,
      maxQueueSize: options.maxQueueSize ?? DEFAULT_MAX_QUEUE_SIZE,
      maxConcurrentRequests: Math.max(1, Math.floor(fullTuning.maxConcurrentRequests)),
    },
    flushCallback: batch?.flushCallback,
    retry: resolveRetryPolicy(options.retryConfig),
    // 0 (allowed by the schema) has always meant the default wait.
    shutdownTimeoutMs: options.shutdownTimeout || DEFAULT_SHUTDOWN_TIMEOUT_MS,
    tuning: fullTuning,
  };
}
