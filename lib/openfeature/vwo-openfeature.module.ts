import { DynamicModule, Inject, Logger, Module, OnApplicationBootstrap, Provider } from '@nestjs/common';
import { OpenFeature } from '@openfeature/server-sdk';
import { getVWOInstanceToken, isDefaultVWOInstance } from '../instances/vwo-instance.tokens';
import { getVWOServiceToken } from '../instances/vwo-service-token';
import type { SettingsStore } from '../settings/settings-store';
import type { VWOServiceApi } from '../typed-flags/vwo-service-api';
import { VWOOpenFeatureProvider } from './vwo-openfeature.provider';
import { VWO_OPENFEATURE_OPTIONS, type VWOOpenFeatureModuleOptions } from './vwo-openfeature.options';

/**
 * Registers VWOOpenFeatureProvider with OpenFeature once the app has booted (VWOModule's settings are
 * loaded by then), so `@openfeature/nestjs-sdk` clients and decorators evaluate through VWO. Import it
 * next to `VWOModule.forRoot(...)` and `OpenFeatureModule.forRoot({})`.
 * @publicApi
 */
@Module({})
export class VWOOpenFeatureModule implements OnApplicationBootstrap {
  private readonly logger = new Logger('VWOOpenFeature');

  constructor(
    private readonly provider: VWOOpenFeatureProvider,
    @Inject(VWO_OPENFEATURE_OPTIONS) private readonly options: VWOOpenFeatureModuleOptions,
  ) {}

  static forRoot(options: VWOOpenFeatureModuleOptions = {}): DynamicModule {
    return {
      module: VWOOpenFeatureModule,
      providers: [{ provide: VWO_OPENFEATURE_OPTIONS, useValue: options }, providerFor(options.instance)],
      exports: [VWOOpenFeatureProvider],
    };
  }

  /** Boot goes on if VWO is late: evaluations answer PROVIDER_NOT_READY until the provider emits READY. */
  async onApplicationBootstrap(): Promise<void> {
    try {
      if (this.options.domain === undefined) await OpenFeature.setProviderAndWait(this.provider);
      else await OpenFeature.setProviderAndWait(this.options.domain, this.provider);
    } catch (err) {
      this.logger.warn(`VWO provider not ready yet: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}

/** The provider, over the default instance (class injection) or over a named one (its name-derived tokens). */
function providerFor(instance: string | undefined): Provider {
  if (isDefaultVWOInstance(instance)) return VWOOpenFeatureProvider;
  return {
    provide: VWOOpenFeatureProvider,
    inject: [getVWOServiceToken(instance), VWO_OPENFEATURE_OPTIONS, getVWOInstanceToken(instance, 'settings-store')],
    useFactory: (vwo: VWOServiceApi, options: VWOOpenFeatureModuleOptions, store: SettingsStore) => new VWOOpenFeatureProvider(vwo, options, store),
  };
}
