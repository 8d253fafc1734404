import type { Provider } from '@nestjs/common';
import type { EventsOptions } from '../events/events-options.interface';
import type { VWOHttpOptions } from '../http/vwo-http-options.interface';
import type { VWOStorageConfig } from '../storage/storage-config';
import type { VWOTelemetryOptions } from '../telemetry/telemetry-options.interface';
import {
  VWO_EVENTS_CONFIG,
  VWO_HEALTH_CONFIG,
  VWO_HTTP_CONFIG,
  VWO_OPTIONS,
  VWO_SETTINGS_CONFIG,
  VWO_STORAGE_CONFIG,
  VWO_TELEMETRY_CONFIG,
  VWO_WEBHOOK_CONFIG,
} from '../vwo.internal-constants';
import type { VWOResolvedOptions } from './vwo-module-options.interface';

/** The storage layer's share: which storage, and how long a read may take. */
export function storageConfigOf(options: VWOResolvedOptions): VWOStorageConfig {
  return { storage: options.storage, storageTimeout: options.storageTimeout };
}

/** The HTTP layer's share: how a request's user is built and how a gated request is denied. */
export function httpConfigOf(options: VWOHttpOptions): VWOHttpOptions {
  const { userContext, userIdHeader, rpcUserIdField, wsUserIdField, flagDisabled, propagateContext } = options;
  return { userContext, userIdHeader, rpcUserIdField, wsUserIdField, flagDisabled, propagateContext };
}

export function telemetryConfigOf(options: VWOResolvedOptions): VWOTelemetryOptions {
  return options.telemetry ?? {};
}

/**
 * The events layer's share: the resolved options as they are (it reads a dozen of them, and its usage-stats event
 * describes a few more). A function rather than useExisting so the compiler checks the options against EventsOptions
 * (its `integrations`, `logger` and `storage` are `unknown`, so VWOResolvedOptions cannot extend it).
 */
export function eventsConfigOf(options: VWOResolvedOptions): EventsOptions {
  return options;
}

/**
 * Each layer's configuration under its own token, cut once from the resolved options: the options module
 * composes the layers' types, and a layer sees only its share.
 */
export const layerConfigProviders: Provider[] = [
  { provide: VWO_STORAGE_CONFIG, inject: [VWO_OPTIONS], useFactory: storageConfigOf },
  { provide: VWO_HTTP_CONFIG, inject: [VWO_OPTIONS], useFactory: httpConfigOf },
  { provide: VWO_TELEMETRY_CONFIG, inject: [VWO_OPTIONS], useFactory: telemetryConfigOf },
  { provide: VWO_EVENTS_CONFIG, inject: [VWO_OPTIONS], useFactory: eventsConfigOf },
  // The settings, webhook and health layers read a dozen fields between them: the resolved options object is
  // their config as it is (VWOResolvedOptions extends VWOSettingsConfig, VWOWebhookConfig and VWOHealthConfig).
  { provide: VWO_SETTINGS_CONFIG, useExisting: VWO_OPTIONS },
  { provide: VWO_WEBHOOK_CONFIG, useExisting: VWO_OPTIONS },
  { provide: VWO_HEALTH_CONFIG, useExisting: VWO_OPTIONS },
];
