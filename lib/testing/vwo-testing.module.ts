import { DynamicModule, ExecutionContext, Module } from '@nestjs/common';
import { defaultUserContextOf, defaultUserSources } from '../context/transport-user-context';
import type { VWOUserContext } from '../engine/types';
import { FeatureFlagExplorer } from '../http/feature-flag.explorer';
import { requestOfContext } from '../http/request-of-context';
import { createVWOLogger } from '../logger/create-vwo-logger';
import type { VWOModuleOptions } from '../options/vwo-module-options.interface';
import { DEFAULT_USER_ID_HEADER, VWO_LOGGER, VWO_OPTIONS } from '../vwo.constants';
import { VWOService } from '../vwo.service';
import { VWOTestingService } from './vwo-testing.service';
import type { VWOTestingModuleOptions } from './vwo-testing.types';

type UserContextFactory = NonNullable<VWOModuleOptions['userContext']>;

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
    const service = new VWOTestingService(options.flags ?? {}, defaultUser);
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
        { provide: VWO_LOGGER, useValue: createVWOLogger(options.logger) },
        FeatureFlagExplorer,
      ],
      exports: [VWOTestingService, VWOService, VWO_OPTIONS, VWO_LOGGER],
    };
  }
}

/** The request's user as VWOModule would build it, else the test default (unless disabled). */
function withDefaultUser(options: VWOTestingModuleOptions, defaultUser: VWOUserContext | false): UserContextFactory {
  const sources = defaultUserSources(options, DEFAULT_USER_ID_HEADER);
  const fromRequest: UserContextFactory = options.userContext ?? ((ctx: ExecutionContext) => defaultUserContextOf(ctx, requestOfContext(ctx), sources));
  return async (ctx) => (await fromRequest(ctx)) ?? (defaultUser || undefined);
}
