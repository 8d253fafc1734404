import { DynamicModule, ExecutionContext, Module } from '@nestjs/common';
import { defaultUserContextOf, defaultUserSources } from '../context/transport-user-context';
import type { VWOUserContext } from '../engine/types';
import { FeatureFlagExplorer } from '../http/feature-flag.explorer';
import { requestOfContext } from '../http/request-of-context';
import { createVWOLogger } from '../logger/create-vwo-logger';
import { httpConfigOf } from '../options/layer-configs';
import type { VWOModuleOptions } from '../options/vwo-module-options.interface';
import { SettingsStore } from '../settings/settings-store';
import { VWOMemoryStorage } from '../storage/memory-storage';
import { DEFAULT_USER_ID_HEADER, VWO_STORAGE } from '../vwo.constants';
import { VWO_HEALTH_CONFIG, VWO_HTTP_CONFIG, VWO_LOGGER, VWO_OPTIONS } from '../vwo.internal-constants';
import { vwoModuleInstances } from '../vwo-module-instances';
import { VWOService } from '../vwo.service';
import { SettingsBuilder } from './settings-builder';
import { VWOTestingService } from './vwo-testing.service';
import type { VWOTestingModuleOptions } from './vwo-testing.types';

type UserContextFactory = NonNullable<VWOModuleOptions['userContext']>;

/** What VWOTestingModule.override needs of a testing module builder (`Test.createTestingModule(...)`). */
export interface VWOModuleOverrider<Builder> {
  overrideModule(moduleToOverride: DynamicModule): { useModule(newModule: DynamicModule): Builder };
}

/**
 * Replaces VWOModule in tests: a drop-in VWOService answering from in-memory flags (no network, no
 * settings), under the same tokens, so `@FeatureFlag`, `@Flag`, `@FlagVariable` and your services work
 * unchanged. Change flags during a test through `VWOTestingService`.
 *
 * @example
 * const moduleRef = await Test.createTestingModule({
 *   imports: [VWOTestingModule.forRoot({ flags: { new_checkout: { enabled: true, variables: { title: 'New' } } } })],
 *   controllers: [CheckoutController],
 * }).compile();
 * moduleRef.get(VWOTestingService).disable('new_checkout');
 * @publicApi
 */
@Module({})
export class VWOTestingModule {
  static forRoot(options: VWOTestingModuleOptions = {}): DynamicModule {
    const defaultUser = options.defaultUser ?? { id: 'vwo-test-user' };
    const logger = createVWOLogger(options.logger);
    const service = new VWOTestingService(options.flags ?? {}, defaultUser, logger, options.events);
    // What VWOModule exports besides VWOService, so an app's own providers (a health indicator, a storage
    // reader) still resolve when VWOTestingModule replaces it: settings that are ready, and empty storage.
    const store = new SettingsStore(logger);
    const storeReady = store.apply(new SettingsBuilder().build(), 'option').then(() => store);
    const resolved: VWOModuleOptions = {
      userIdHeader: options.userIdHeader ?? DEFAULT_USER_ID_HEADER,
      userContext: withDefaultUser(options, defaultUser),
      flagDisabled: options.flagDisabled,
      logger: options.logger,
    };
    return {
      module: VWOTestingModule,
      global: options.isGlobal ?? true,
      providers: [
        { provide: VWOTestingService, useValue: service },
        { provide: VWOService, useExisting: VWOTestingService },
        { provide: VWO_OPTIONS, useValue: resolved },
        { provide: VWO_HTTP_CONFIG, useValue: httpConfigOf(resolved) },
        { provide: VWO_HEALTH_CONFIG, useValue: resolved },
        { provide: VWO_LOGGER, useValue: logger },
        { provide: SettingsStore, useFactory: () => storeReady },
        { provide: VWO_STORAGE, useValue: new VWOMemoryStorage() },
        FeatureFlagExplorer,
      ],
      exports: [VWOTestingService, VWOService, VWO_OPTIONS, VWO_HTTP_CONFIG, VWO_HEALTH_CONFIG, VWO_LOGGER, SettingsStore, VWO_STORAGE],
    };
  }

  /**
   * Replaces every `VWOModule.forRoot(...)` / `forRootAsync(...)` of the app under test with
   * `VWOTestingModule.forRoot(options)`: nothing is fetched or sent, boot does not wait for settings, and the
   * options factory of `forRootAsync` never runs. (Nest's `overrideModule(VWOModule)` cannot do this: it
   * matches the exact object the AppModule imports, and `forRootAsync` returns a new one.)
   *
   * @example
   * const moduleRef = await VWOTestingModule.override(Test.createTestingModule({ imports: [AppModule] }), {
   *   flags: { new_checkout: { enabled: true } },
   * }).compile();
   */
  static override<Builder extends VWOModuleOverrider<Builder>>(builder: Builder, options: VWOTestingModuleOptions = {}): Builder {
    const modules = vwoModuleInstances();
    if (modules.length === 0) {
      throw new Error('VWOTestingModule.override: no VWOModule.forRoot() / forRootAsync() has been created yet; import your AppModule first');
    }
    const replacement = VWOTestingModule.forRoot(options);
    return modules.reduce((overridden, module) => overridden.overrideModule(module).useModule(replacement), builder);
  }
}

/** The request's user as VWOModule would build it, else the test default (unless disabled). */
function withDefaultUser(options: VWOTestingModuleOptions, defaultUser: VWOUserContext | false): UserContextFactory {
  const sources = defaultUserSources(options, DEFAULT_USER_ID_HEADER);
  const fromRequest: UserContextFactory = options.userContext ?? ((ctx: ExecutionContext) => defaultUserContextOf(ctx, requestOfContext(ctx), sources));
  return async (ctx) => (await fromRequest(ctx)) ?? (defaultUser || undefined);
}
