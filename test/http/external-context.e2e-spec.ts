import { ExecutionContext, INestApplication, Injectable, type ParamData } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { ExternalContextCreator } from '@nestjs/core/helpers/external-context-creator';
import { RpcException } from '@nestjs/microservices';
import { Test } from '@nestjs/testing';
import type { VWOUserContext } from '../../lib/engine/types';
import { FeatureFlag, FeatureFlagGuard, FlagVariable, VWOContextInterceptor } from '../../lib/http';
import type { VWOModuleOptions } from '../../lib/options/vwo-module-options.interface';
import { VWOModule } from '../../lib/vwo.module';
import { VWOService } from '../../lib/vwo.service';
import { vwoTestOptions } from './support/http-test-app';

/*
 * Nest's ExternalContextCreator runs the same guards, interceptors and param pipes with an
 * ExecutionContext of type 'graphql' or 'rpc' for any external handler. These tests drive it directly,
 * so the real FeatureFlagGuard instance of a real module runs as it would under those packages (the
 * packages themselves are driven over real transports in test/transports).
 */

const USER = 'x-vwo-user-id';

type GqlContext = { req: { headers: Record<string, string> } };

/** Resolver-style handlers: (root, args, context, info); `@FlagVariable` reads the context's request. */
@Injectable()
class CheckoutResolver {
  constructor(private readonly vwo: VWOService) {}

  @FeatureFlag('checkout')
  checkout(): string {
    return 'checkout';
  }

  @FeatureFlag('checkout')
  layout(_root: unknown, _args: unknown, _context: GqlContext, _info: unknown, @FlagVariable('checkout', 'layout', 'v1') layout?: string): string | undefined {
    return layout;
  }

  /** No guard: the user comes from VWOContextInterceptor. */
  async pro(): Promise<boolean> {
    return (await this.vwo.getFlag('checkout')).isEnabled();
  }
}

/** Message-handler style: (data, context). */
@Injectable()
class CheckoutConsumer {
  constructor(private readonly vwo: VWOService) {}

  @FeatureFlag('checkout')
  handle(data: { order: number }): { accepted: number } {
    return { accepted: data.order };
  }

  async viaService(): Promise<boolean> {
    return (await this.vwo.getFlag('checkout')).isEnabled();
  }
}

/** Built-in GraphQL/RPC param types are not used here: only custom decorators (and pipes) fill parameters. */
const paramsFactory = { exchangeKeyForValue: (_type: number, _data: ParamData, _args: unknown[]): unknown => undefined };

type Handler = (...args: unknown[]) => Promise<unknown>;

async function createApp(vwo: Partial<VWOModuleOptions> = {}): Promise<INestApplication> {
  const moduleRef = await Test.createTestingModule({
    imports: [VWOModule.forRoot(vwoTestOptions(vwo))],
    providers: [CheckoutResolver, CheckoutConsumer, { provide: APP_INTERCEPTOR, useClass: VWOContextInterceptor }],
  }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  await app.init();
  return app;
}

/** What @nestjs/graphql or @nestjs/microservices would call for `method` of `type`. */
function handler<T extends object>(app: INestApplication, type: { new (...args: never[]): T }, method: keyof T & string, contextType: 'graphql' | 'rpc'): Handler {
  const instance = app.get(type);
  const callback = (instance as Record<string, unknown>)[method] as (...args: unknown[]) => unknown;
  const options = { guards: true, interceptors: true, filters: true };
  const creator = app.get(ExternalContextCreator);
  return creator.create(instance, callback, method, ROUTE_ARGS_METADATA, paramsFactory, undefined, undefined, options, contextType);
}

function gqlArgs(userId?: string): unknown[] {
  const context: GqlContext = { req: { headers: userId ? { [USER]: userId } : {} } };
  return [{}, {}, context, {}];
}

describe('@FeatureFlag outside HTTP, through Nest’s external context pipeline', () => {
  describe('GraphQL-like resolvers, default user context (the GraphQL context’s req)', () => {
    let app: INestApplication;
    let getFlag: jest.SpyInstance;

    beforeAll(async () => {
      app = await createApp();
      getFlag = jest.spyOn(app.get(VWOService), 'getFlag');
    });
    afterAll(() => app.close());
    beforeEach(() => getFlag.mockClear());

    it('gates a resolver with the module’s own guard instance', async () => {
      const canActivate = jest.spyOn(app.get(FeatureFlagGuard, { strict: false }), 'canActivate');
      const checkout = handler(app, CheckoutResolver, 'checkout', 'graphql');
      await expect(checkout(...gqlArgs('alice'))).resolves.toBe('checkout');
      await expect(checkout(...gqlArgs('bob'))).rejects.toMatchObject({ extensions: { code: 'FEATURE_DISABLED', featureKey: 'checkout' } });
      await expect(checkout(...gqlArgs())).rejects.toMatchObject({ extensions: { code: 'FEATURE_DISABLED', featureKey: 'checkout' } });
      expect(canActivate).toHaveBeenCalledTimes(3);
      expect((canActivate.mock.calls[0][0] as ExecutionContext).getType()).toBe('graphql');
      canActivate.mockRestore();
    });

    it('injects a flag variable, with one evaluation shared with the guard', async () => {
      const layout = handler(app, CheckoutResolver, 'layout', 'graphql');
      await expect(layout(...gqlArgs('ann'))).resolves.toBe('v2');
      expect(getFlag).toHaveBeenCalledTimes(1);
    });

    it('gives VWOService calls without a context the resolver’s user (interceptor)', async () => {
      const pro = handler(app, CheckoutResolver, 'pro', 'graphql');
      await expect(pro(...gqlArgs('alice'))).resolves.toBe(true);
      await expect(pro(...gqlArgs('bob'))).resolves.toBe(false);
    });
  });

  describe('RPC-style message handlers', () => {
    it('read the user from the payload’s userId by default, and fail closed without one', async () => {
      const app = await createApp();
      try {
        const handle = handler(app, CheckoutConsumer, 'handle', 'rpc');
        await expect(handle({ order: 1, userId: 'alice' }, { pattern: 'orders' })).resolves.toEqual({ accepted: 1 });
        await expect(handle({ order: 2 }, { pattern: 'orders' })).rejects.toBeInstanceOf(RpcException);
        await expect(handle({ order: 3, userId: 'bob' }, { pattern: 'orders' })).rejects.toBeInstanceOf(RpcException);
      } finally {
        await app.close();
      }
    });

    describe('with a userContext factory that reads the message', () => {
      let app: INestApplication;
      const factory = jest.fn((ctx: ExecutionContext): VWOUserContext | undefined => {
        const id = ctx.switchToRpc().getData<{ userId?: string }>().userId;
        return id ? { id } : undefined;
      });

      beforeAll(async () => {
        app = await createApp({ userContext: factory });
      });
      afterAll(() => app.close());
      beforeEach(() => factory.mockClear());

      it('gates each message on its own user', async () => {
        const handle = handler(app, CheckoutConsumer, 'handle', 'rpc');
        await expect(handle({ order: 7, userId: 'ann' }, { pattern: 'orders' })).resolves.toEqual({ accepted: 7 });
        await expect(handle({ order: 8, userId: 'bob' }, { pattern: 'orders' })).rejects.toBeInstanceOf(RpcException);
        expect(factory.mock.calls.map(([ctx]) => ctx.getType())).toEqual(['rpc', 'rpc']);
      });

      it('keeps concurrent messages apart for VWOService calls without a context', async () => {
        const viaService = handler(app, CheckoutConsumer, 'viaService', 'rpc');
        const users = ['alice', 'bob', 'ann', 'carol'];
        const seen = await Promise.all(users.map((userId) => viaService({ userId }, { pattern: 'orders' })));
        expect(seen).toEqual([true, false, true, false]);
        expect(factory).toHaveBeenCalledTimes(users.length);
      });
    });
  });
});
