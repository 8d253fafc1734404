import { HttpModule, HttpService } from '@nestjs/axios';
import { DynamicModule, Module, Provider } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { VWOEventsService } from './events/vwo-events.service';
import { FeatureFlagExplorer } from './http/feature-flag.explorer';
import { createVWOLogger } from './logger/create-vwo-logger';
import { layerConfigProviders } from './options/layer-configs';
import { resolveVWOOptions } from './options/resolve-options';
import type { VWOResolvedOptions } from './options/vwo-module-options.interface';
import { GatewayUserDetailsClient } from './settings/gateway-user-details.client';
import { SettingsCacheService } from './settings/settings-cache.service';
import { UserAliasClient } from './settings/user-alias.client';
import { SettingsFetcher } from './settings/settings-fetcher';
import { SettingsPoller } from './settings/settings-poller';
import { DEFAULT_SETTINGS_RECOVERY, VWO_SETTINGS_RECOVERY } from './settings/settings-recovery';
import { SettingsStore } from './settings/settings-store';
import { SettingsSyncService } from './settings/settings-sync.service';
import { VWOStorageAccess } from './storage/storage-access';
import { vwoStorageProvider } from './storage/storage.providers';
import { telemetryProviders } from './telemetry/telemetry.providers';
import { TelemetryGauges } from './vwo-telemetry-gauges';
import { VWO_HTTP_SERVICE, VWO_LOGGER, VWO_OPTIONS, VWO_SCHEDULER_REGISTRY } from './vwo.internal-constants';
import { rememberVWOModule } from './vwo-module-instances';
import {
  VWO_MODULE_RAW_OPTIONS,
  VWOConfigurableModuleClass,
  type VWOModuleAsyncOptions,
  type VWOModuleForRootOptions,
} from './vwo.module-definition';
import { SettingsFanoutService } from './webhook/settings-fanout.service';
import { VWOWebhookRoute } from './webhook/vwo-webhook.route';
import { WebhookRefreshService } from './webhook/webhook-refresh.service';
import { VWOHttpAgents } from './network/vwo-http-agents';

/** Validation happens here, so bad options stop boot with one VWOOptionsError naming each option and its fix. */
const optionsProvider: Provider = {
  provide: VWO_OPTIONS,
  inject: [VWO_MODULE_RAW_OPTIONS],
  useFactory: (raw: unknown): VWOResolvedOptions => resolveVWOOptions(raw),
};

const loggerProvider: Provider = {
  provide: VWO_LOGGER,
  inject: [VWO_OPTIONS],
  useFactory: (options: VWOResolvedOptions) => createVWOLogger(options.logger),
};

/**
 * The host's SchedulerRegistry when it imports ScheduleModule.forRoot() (before or after VWOModule: the
 * schedule module is global), else a registry of our own. Never ScheduleModule.forRoot() here: each call
 * explores the whole app, so the host's @Interval / @Cron jobs would be registered again, or switched on
 * in an app that never asked for scheduling.
 */
const schedulerRegistryProvider: Provider = {
  provide: VWO_SCHEDULER_REGISTRY,
  inject: [{ token: SchedulerRegistry, optional: true }],
  useFactory: (hostRegistry?: SchedulerRegistry) => hostRegistry ?? new SchedulerRegistry(),
};

/**
 * VWO Feature Management & Experimentation for Nest.
 * @example VWOModule.forRoot({ sdkKey: process.env.VWO_SDK_KEY, accountId: 123456 })
 * @example VWOModule.forRootAsync({ inject: [ConfigService], useFactory: (c) => ({ sdkKey: c.get('VWO_SDK_KEY'), accountId: c.get('VWO_ACCOUNT_ID') }) })
 */
@Module({
  imports: [HttpModule],
  providers: [
    optionsProvider,
    ...layerConfigProviders,
    loggerProvider,
    vwoStorageProvider,
    VWOStorageAccess,
    SettingsStore,
    SettingsFetcher,
    VWOHttpAgents,
    { provide: VWO_HTTP_SERVICE, useExisting: HttpService },
    schedulerRegistryProvider,
    SettingsPoller,
    { provide: VWO_SETTINGS_RECOVERY, useValue: DEFAULT_SETTINGS_RECOVERY },
    SettingsCacheService,
    SettingsSyncService,
    GatewayUserDetailsClient,
    UserAliasClient,
    VWOEventsService,
    // VWOService itself: see withVWOInstance (its token depends on the instance's name).
    ...telemetryProviders,
    TelemetryGauges,
    FeatureFlagExplorer,
    SettingsFanoutService,
    WebhookRefreshService,
    VWOWebhookRoute,
  ],
  // Exports depend on the instance's name: see withVWOInstance.
})
export class VWOModule extends VWOConfigurableModuleClass {
  static override forRoot(options: VWOModuleForRootOptions): DynamicModule {
    return rememberVWOModule(super.forRoot(options));
  }

  static override forRootAsync(options: VWOModuleAsyncOptions): DynamicModule {
    return rememberVWOModule(super.forRootAsync(options));
  }
}
