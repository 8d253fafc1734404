import type { DynamicModule, Provider } from '@nestjs/common';
import { VWOEventsService } from './events/vwo-events.service';
import { VWOHealthIndicator } from './health/vwo.health-indicator';
import { VWORequestFlags, type VWOHttpOptions } from './http/vwo-request-flags';
import type { VWOLogger } from './logger/vwo-logger.interface';
import { SettingsStore } from './settings/settings-store';
import { VWO_STORAGE } from './vwo.constants';
import { VWO_HEALTH_CONFIG, VWO_HTTP_CONFIG, VWO_LOGGER, VWO_OPTIONS } from './vwo.internal-constants';
import { VWOService } from './vwo.service';
import { DEFAULT_VWO_INSTANCE, getVWOInstanceToken, VWO_INSTANCE_NAME, VWO_OWN_SERVICE, vwoInstanceName, type VWOInstancePart } from './instances/vwo-instance.tokens';
import { getVWOServiceToken } from './instances/vwo-service-token';

/** What the default instance exports, under its class and symbol tokens (unchanged since there was only one). */
// VWO_HTTP_CONFIG and VWO_HEALTH_CONFIG: a guard of the app's own that extends FeatureFlagGuard, and the app's
// VWOHealthIndicator, are constructed in the app's modules with them.
const DEFAULT_EXPORTS = [VWOService, SettingsStore, VWOEventsService, VWO_OPTIONS, VWO_HTTP_CONFIG, VWO_HEALTH_CONFIG, VWO_LOGGER, VWO_STORAGE];

/** The module-local tokens each name-derived token stands for. */
const PARTS: ReadonlyArray<[VWOInstancePart, symbol | Function]> = [
  ['options', VWO_OPTIONS],
  ['logger', VWO_LOGGER],
  ['storage', VWO_STORAGE],
  ['settings-store', SettingsStore],
  ['events', VWOEventsService],
];

/**
 * Gives one VWOModule.forRoot / forRootAsync its instance name: its VWOService (under the class token for
 * the default instance only, so `app.get(VWOService)` never answers with a named one), a provider saying
 * the name (poll job name, webhook path), its request flags and health indicator, and its exports. Every instance
 * exports its parts under name-derived tokens; only the default one also exports the class tokens, so a
 * named instance, global like the default, never shadows it.
 */
export function withVWOInstance(definition: DynamicModule, name: unknown): DynamicModule {
  const instance = vwoInstanceName(name);
  const named = instance !== DEFAULT_VWO_INSTANCE;
  const aliases: Provider[] = PARTS.map(([part, token]) => ({ provide: getVWOInstanceToken(instance, part), useExisting: token }));
  const serviceToken = getVWOServiceToken(instance);
  const providers: Provider[] = [
    named ? { provide: serviceToken, useClass: VWOService } : VWOService,
    { provide: VWO_OWN_SERVICE, useExisting: serviceToken },
    { provide: VWO_INSTANCE_NAME, useValue: instance },
    ...aliases,
    {
      provide: getVWOInstanceToken(instance, 'request-flags'),
      inject: [VWO_OWN_SERVICE, VWO_HTTP_CONFIG, VWO_LOGGER],
      useFactory: (vwo: VWOService, options: VWOHttpOptions, logger: VWOLogger) => new VWORequestFlags(vwo, options, logger, named ? instance : undefined),
    },
    {
      provide: getVWOInstanceToken(instance, 'health'),
      inject: [SettingsStore, VWO_HEALTH_CONFIG, VWOEventsService],
      useFactory: (store: SettingsStore, options: ConstructorParameters<typeof VWOHealthIndicator>[1], events: VWOEventsService) => new VWOHealthIndicator(store, options, events),
    },
  ];
  // Every string token (the name-derived ones); symbols stay inside the module.
  const ownExports = providers.flatMap((p) => (typeof (p as { provide?: unknown }).provide === 'string' ? [(p as { provide: string }).provide] : []));
  return {
    ...definition,
    providers: [...(definition.providers ?? []), ...providers],
    exports: [...(definition.exports ?? []), ...(named ? [] : DEFAULT_EXPORTS), ...ownExports],
  };
}
