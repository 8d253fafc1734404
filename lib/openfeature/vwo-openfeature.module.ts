import { DynamicModule, Inject, Logger, Module, OnApplicationBootstrap } from '@nestjs/common';
import { OpenFeature } from '@openfeature/server-sdk';
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
      providers: [{ provide: VWO_OPENFEATURE_OPTIONS, useValue: options }, VWOOpenFeatureProvider],
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
