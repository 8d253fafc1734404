import type { Type } from '@nestjs/common';
import type { VWOFlagDisabledOptions, VWOHttpOptions } from '../http/vwo-http-options.interface';
import type { IntegrationPayload, VWOUserContext } from '../engine/types';
import type { VWOLogger, VWOLoggerOptions } from '../logger/vwo-logger.interface';
import type { VWOStorage } from '../storage/vwo-storage.interface';
import type { VWOTelemetryOptions } from '../telemetry/telemetry-options.interface';
import type { VWOGatewayServiceOptions } from '../network/vwo-hosts';
import type { VWORetryConfig } from '../network/retry-policy';
import type { VWOHttpsAgentConfig } from '../network/vwo-http-agents';
import type { VWOSdkMetaOptions } from '../sdk-info';
import type { VWOWebhookConfig, VWOWebhookOptions } from '../webhook/vwo-webhook-options.interface';
import type { VWOSettingsConfig } from '../settings/settings-config';
import type { VWOHealthConfig } from '../health/vwo-health.types';
import type { VWOBatchEventDataOptions, VWOEventTransport } from '../events/events-options.interface';

// The layers own their option types; this file composes them into what forRoot accepts.
export type { VWOTelemetryOptions, VWOGatewayServiceOptions, VWORetryConfig, VWOSdkMetaOptions, VWOLoggerOptions, VWOFlagDisabledOptions, VWOWebhookOptions, VWOBatchEventDataOptions, VWOEventTransport, VWOHttpsAgentConfig };

/** Receives the decision properties of every getFlag (docs/decisions.md); a throw is logged and ignored. */
export interface VWOIntegrationsOptions {
  callback: (properties: IntegrationPayload) => void;
}

/** A settings document as VWO serves it (see docs/events.md). */
export type VWOSettingsDocument = Record<string, unknown>;

/**
 * Options of `VWOModule.forRoot()` / the factory of `forRootAsync()`. Names follow VWO's Node SDK (camelCase).
 * The HTTP layer's options (how a request's user is built and how a gated request is denied) are declared by
 * that layer and composed here.
 */
export interface VWOModuleOptions extends VWOHttpOptions {
  /**
   * SDK key of the VWO project environment. Required, unless `settings` is given: then the module runs
   * offline (no settings fetch, no polling).
   */
  sdkKey?: string;
  /** VWO account id. Required (may be omitted only offline, where the settings' own accountId is used). */
  accountId?: string | number;
  /**
   * Milliseconds between settings fetches, at least 1000.
   * @default the settings document's `pollInterval`, else 600000 (10 minutes)
   */
  pollInterval?: number;
  /** Logger configuration, or any object with debug/info/warn/error methods. @default { level: 'ERROR', prefix: 'VWO-SDK' } */
  logger?: VWOLoggerOptions | VWOLogger;
  /**
   * Sticky-decision storage: an instance, a class Nest constructs (it may inject providers, e.g. a Redis
   * client, from the module's `imports` or global modules), `'memory'` for the in-process store bounded to
   * 100000 entries (one process only), or `false` for none. Without storage every replica still gives a user
   * the same variation (hashing); storage keeps it after a traffic or targeting change. A storage that also
   * caches settings (VWORedisStorage) lets a replica start during a VWO outage.
   * @default none, as in VWO's SDKs
   */
  storage?: VWOStorage | Type<VWOStorage> | 'memory' | false;
  /** Milliseconds one storage read may take before the decision goes on without it. @default 100 */
  storageTimeout?: number;
  /** VWO gateway service (location / user-agent segments; settings and events go through it too). */
  gatewayService?: VWOGatewayServiceOptions;
  /**
   * User aliasing through the gateway service: getFlag, trackEvent and setAttribute first ask the gateway which
   * user an id is an alias of (`setAlias` records one). Needs `gatewayService`. @default false
   */
  isAliasingEnabled?: boolean;
  /** Do not send `vwo_sdkUsageStats` (which options are in use, sent once per start when VWO asks for it). @default false */
  isUsageStatsDisabled?: boolean;
  /** Sends settings and event requests to this host instead of VWO's (its path is dropped). */
  proxyUrl?: string;
  /** Decision callback, e.g. for analytics tools. */
  integrations?: VWOIntegrationsOptions;
  /**
   * A settings document to start from: used offline (no `sdkKey`), in tests, and as the fallback while VWO
   * is unreachable (a fetched document replaces it).
   */
  settings?: VWOSettingsDocument;
  /** Event batching. @default { eventsPerRequest: 100, requestTimeInterval: 3 } */
  batchEventData?: VWOBatchEventDataOptions;
  /** Overrides the SDK name/version VWO sees in settings requests and events. @default this package's */
  sdkMeta?: VWOSdkMetaOptions;
  /** Fetches the settings without `s=prod` (VWO's development-mode flag of the settings request). @default false */
  isDevelopmentMode?: boolean;
  /** Sends every event on its own instead of in batches. @default false */
  isBatchingDisabled?: boolean;
  /** Retries of settings fetches and event sends. @default { shouldRetry: true, maxRetries: 3, initialDelay: 2, backoffMultiplier: 2 } */
  retryConfig?: VWORetryConfig;
  /**
   * getFlag, trackEvent and setAttribute resolve only once VWO answered their events (sent at once, with
   * whatever else is queued), and no request is retried, settings included: for serverless functions and
   * scripts, which may be frozen or ended as soon as a call resolves. @default false
   */
  shouldWaitForTrackingCalls?: boolean;
  /** Keep-alive agents of the requests to VWO. @default each client's own (events: keep-alive, 32 sockets) */
  httpsAgentConfig?: VWOHttpsAgentConfig;
  /** Queued events kept at most; past it the oldest are dropped. @default 10000 */
  maxQueueSize?: number;
  /**
   * What sends event requests. `'httpService'`: the app's HttpService (its axios interceptors apply).
   * `'workerThread'`: a worker thread with Node's own HTTP client, so request CPU (about 1 ms per batch of
   * 100) leaves the thread that serves the app; queueing, retries and shutdown flush stay the same.
   * @default 'httpService'
   */
  eventTransport?: VWOEventTransport;
  /** Milliseconds shutdown may spend flushing events. @default 5000 */
  shutdownTimeout?: number;
  /** Milliseconds one settings request may take (per attempt). @default 5000 */
  settingsTimeout?: number;
  /**
   * Milliseconds boot waits for the first settings; past it the app starts anyway (with the `settings`
   * fallback, or not ready: flags disabled with reason SETTINGS_NOT_READY) and polling keeps trying.
   * `0` does not wait. @default 5000
   */
  waitForSettings?: number;
  /**
   * Largest settings document accepted, in bytes. A larger answer is refused with an error naming this
   * option, and the last good settings stay in use. @default 67108864 (64 MB)
   */
  maxSettingsBytes?: number;
  /** OpenTelemetry span events and metrics, when `@opentelemetry/api` and an SDK are present. @default { enabled: true, contextId: false } */
  telemetry?: VWOTelemetryOptions;
  /** Opt-in webhook route for VWO's settings-change calls. @default none */
  webhook?: VWOWebhookOptions;
}

/**
 * The options after validation, with every default applied (provided under VWO_OPTIONS). It is each layer's
 * config at once: the compiler checks here that the layers that still inject VWO_OPTIONS get what their own
 * config type says (the others get theirs cut out in layer-configs.ts).
 */
export interface VWOResolvedOptions extends VWOModuleOptions, VWOSettingsConfig, VWOWebhookConfig, VWOHealthConfig {
  accountId: string | number;
  /** True when no sdkKey was given: settings come only from `settings`, nothing is fetched. */
  offline: boolean;
  storageTimeout: number;
  settingsTimeout: number;
  waitForSettings: number;
  maxSettingsBytes: number;
  shutdownTimeout: number;
  userIdHeader: string;
  retryConfig: Required<VWORetryConfig>;
}
