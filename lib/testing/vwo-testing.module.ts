import { DynamicModule, ExecutionContext, Module, Provider } from '@nestjs/common';
import { defaultUserContextOf, defaultUserSources } from '../context/transport-user-context';
import type { VWOUserContext } from '../engine/types';
import { FeatureFlagExplorer } from '../http/feature-flag.explorer';
import { VWORequestFlags } from '../http/vwo-request-flags';
import { getVWOInstanceToken, VWO_INSTANCE_NAME, VWO_OWN_SERVICE, vwoInstanceName } from '../instances/vwo-instance.tokens';
import { getVWOServiceToken } from '../instances/vwo-service-token';
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
    const httpConfig = httpConfigOf(resolved);
    const name = vwoInstanceName(options.name);
    const named = name !== vwoInstanceName(undefined);
    const storage = new VWOMemoryStorage();
    // The same name-derived tokens as VWOModule's instance of that name; the class tokens for the default one only.
    const byName: Provider[] = [
      { provide: getVWOInstanceToken(name, 'options'), useValue: resolved },
      { provide: getVWOInstanceToken(name, 'logger'), useValue: logger },
      { provide: getVWOInstanceToken(name, 'settings-store'), useFactory: () => storeReady },
      { provide: getVWOInstanceToken(name, 'storage'), useValue: storage },
      { provide: getVWOInstanceToken(name, 'request-flags'), useValue: new VWORequestFlags(service, httpConfig, logger, named ? name : undefined) },
    ];
    const byClass: Provider[] = [
      { provide: VWOTestingService, useValue: service },
      { provide: VWOService, useExisting: VWOTestingService },
      { provide: VWO_OPTIONS, useValue: resolved },
      { provide: VWO_HTTP_CONFIG, useValue: httpConfig },
      { provide: VWO_HEALTH_CONFIG, useValue: resolved },
      { provide: VWO_LOGGER, useValue: logger },
      { provide: SettingsStore, useFactory: () => storeReady },
      { provide: VWO_STORAGE, useValue: storage },
    ];
    const serviceToken = getVWOServiceToken(name);
    return {
      module: VWOTestingModule,
      global: options.isGlobal ?? true,
      providers: [
        ...byName,
        // A named one's explorer still needs the options and logger under the module-local tokens.
        ...(named
          ? [{ provide: serviceToken, useValue: service }, { provide: VWO_HTTP_CONFIG, useValue: httpConfig }, { provide: VWO_LOGGER, useValue: logger }]
          : byClass),
        { provide: VWO_OWN_SERVICE, useValue: service },
        { provide: VWO_INSTANCE_NAME, useValue: name },
        FeatureFlagExplorer,
      ],
      exports: [
        ...byName.map((p) => (p as { provide: string }).provide),
        ...(named ? [serviceToken] : [VWOTestingService, VWOService, VWO_OPTIONS, VWO_HTTP_CONFIG, VWO_HEALTH_CONFIG, VWO_LOGGER, SettingsStore, VWO_STORAGE]),
      ],
    };
  }

  /**
   * Replaces every `VWOModule.forRoot(...)` / `forRootAsync(...)` of the app under test with
   * `VWOTestingModule.forRoot(options)` (a named one with `instances[name]`, else `options`, under its name): nothing is fetched or sent, boot does not wait for settings, and the
   * options factory of `forRootAsync` never runs. (Nest's `overrideModule(VWOModule)` cannot do this: it
   * matches the exact object the AppModule imports, and `forRootAsync` returns a new one.)
   *
   * @example
   * const moduleRef = await VWOTestingModule.override(Test.createTestingModule({ imports: [AppModule] }), {
   *   flags: { new_checkout: { enabled: true } },
   * }).compile();
   */
  static override<Builder extends VWOModuleOverrider<Builder>>(
    builder: Builder,
    options: VWOTestingModuleOptions = {},
    instances: Readonly<Record<string, VWOTestingModuleOptions>> = {},
  ): Builder {
    const modules = vwoModuleInstances();
    if (modules.length === 0) {
      throw new Error('VWOTestingModule.override: no VWOModule.forRoot() / forRootAsync() has been created yet; import your AppModule first');
    }
    // One testing module per instance name, each with its own service (two instances never share flags).
    const replacements = new Map<string, DynamicModule>();
    const replacementFor = (name: string): DynamicModule => {
      let replacement = replacements.get(name);
      if (!replacement) {
        const named = name !== vwoInstanceName(undefined);
        replacement = VWOTestingModule.forRoot(named ? { ...(instances[name] ?? options), name } : options);
        replacements.set(name, replacement);
      }
      return replacement;
    };
    return modules.reduce((overridden, module) => overridden.overrideModule(module).useModule(replacementFor(instanceNameOf(module))), builder);
  }
}

/** The name a VWOModule dynamic module was given (withVWOInstance records it as a provider). */
function instanceNameOf(module: DynamicModule): string {
  const provider = module.providers?.find((p) => (p as { provide?: unknown }).provide === VWO_INSTANCE_NAME) as { useValue?: string } | undefined;
  return vwoInstanceName(provider?.useValue);
}

/** The request's user as VWOModule would build it, else the test default (unless disabled). */
function withDefaultUser(options: VWOTestingModuleOptions, defaultUser: VWOUserContext | false): UserContextFactory {
  const sources = defaultUserSources(options, DEFAULT_USER_ID_HEADER);
  const fromRequest: UserContextFactory = options.userContext ?? ((ctx: ExecutionContext) => defaultUserContextOf(ctx, requestOfContext(ctx), sources));
  return async (ctx) => (await fromRequest(ctx)) ?? (defaultUser || undefined);
}
