import 'reflect-metadata';
import { Controller, ExecutionContext, Get, HttpException, ImATeapotException, NotFoundException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { RpcException } from '@nestjs/microservices';
import { WsException } from '@nestjs/websockets';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import { requestStateOf, runInRequestState, vwoRequestStorage } from '../../lib/context/request-context';
import { FeatureFlag, FeatureFlagGuard, SkipFeatureFlag, type VWOHttpOptions } from '../../lib/http';
import type { VWOService } from '../../lib/vwo.service';
import { FakeFlag, FakeVWOService } from './support/fake-vwo.service';

// The guard is built by hand with a fake: the real VWOService (and its engine) is not needed here.
jest.mock('../../lib/vwo.service', () => ({ VWOService: class VWOService {} }), { virtual: true });

@FeatureFlag('ctrl')
@Controller()
class GatedController {
  @Get() plain(): void {}
  @SkipFeatureFlag() @Get() skipped(): void {}
  @FeatureFlag('own') @Get() own(): void {}
  @FeatureFlag('own', { status: 403 }) @Get() forbidden(): void {}
  @FeatureFlag('own', { exception: (key) => new ImATeapotException(key) }) @Get() teapot(): void {}
  @FeatureFlag('layout', { variable: 'layout', equals: 'v2' }) @Get() layoutV2(): void {}
  @FeatureFlag('layout', { variable: 'layout', matches: (v) => v === 'v1' }) @Get() layoutV1(): void {}
  @FeatureFlag('layout', { variable: 'beta' }) @Get() truthyVariable(): void {}
}

@SkipFeatureFlag()
@Controller()
class SkippedController {
  @Get() open(): void {}
  @FeatureFlag('own') @Get() gated(): void {}
}

@Controller()
class PlainController {
  @Get() open(): void {}
}

type Handler = keyof GatedController | keyof SkippedController | keyof PlainController;

interface FakeRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  user?: { id: string };
}

function request(userId?: string): FakeRequest {
  return { method: 'GET', url: '/x', headers: userId ? { 'x-vwo-user-id': userId } : {} };
}

/** An inherited handler: the same function object under two controllers with different flags. */
@FeatureFlag('own')
@Controller()
class OwnGatedController extends GatedController {}

function httpContext(controller: { prototype: object }, handler: Handler, req: object, res: object = {}): ExecutionContext {
  const proto = controller.prototype as Record<string, () => void>;
  const ctx = new ExecutionContextHost([req, res, () => undefined], controller as never, proto[handler]);
  ctx.setType('http');
  return ctx;
}

describe('FeatureFlagGuard', () => {
  let vwo: FakeVWOService;
  const debug = jest.fn();
  const warn = jest.fn();

  function guard(options: VWOHttpOptions = {}): FeatureFlagGuard {
    return new FeatureFlagGuard(new Reflector(), vwo as unknown as VWOService, options, { debug, warn, info: jest.fn(), error: jest.fn() });
  }

  beforeEach(() => {
    debug.mockReset();
    warn.mockReset();
    vwo = new FakeVWOService({
      ctrl: (user) => new FakeFlag(String(user?.id).startsWith('a')),
      own: (user) => new FakeFlag(String(user?.id).startsWith('b')),
      layout: (user) => new FakeFlag(true, { layout: user?.id === 'v2-user' ? 'v2' : 'v1', beta: user?.id === 'beta' }),
    });
  });

  describe('metadata', () => {
    it('gates a handler on its controller flag', async () => {
      await expect(guard().canActivate(httpContext(GatedController, 'plain', request('alice')))).resolves.toBe(true);
      await expect(guard().canActivate(httpContext(GatedController, 'plain', request('bob')))).rejects.toBeInstanceOf(NotFoundException);
      expect(vwo.calls.map((c) => c.featureKey)).toEqual(['ctrl', 'ctrl']);
    });

    it("uses the handler's flag instead of the controller's", async () => {
      await expect(guard().canActivate(httpContext(GatedController, 'own', request('bob')))).resolves.toBe(true);
      await expect(guard().canActivate(httpContext(GatedController, 'own', request('alice')))).rejects.toBeInstanceOf(NotFoundException);
      expect(vwo.calls.map((c) => c.featureKey)).toEqual(['own', 'own']);
    });

    it('lets @SkipFeatureFlag handlers through without evaluating', async () => {
      expect(guard().canActivate(httpContext(GatedController, 'skipped', request('bob')))).toBe(true);
      expect(vwo.calls).toHaveLength(0);
    });

    it("skips a skipped controller's handlers, except those with their own flag", async () => {
      expect(guard().canActivate(httpContext(SkippedController, 'open', request()))).toBe(true);
      await expect(guard().canActivate(httpContext(SkippedController, 'gated', request('alice')))).rejects.toBeInstanceOf(NotFoundException);
    });

    it('lets ungated routes through synchronously (e.g. when registered as a global guard)', () => {
      expect(guard().canActivate(httpContext(PlainController, 'open', request()))).toBe(true);
      expect(vwo.calls).toHaveLength(0);
    });
  });

  describe('metadata cache', () => {
    it('reads the metadata once per handler and controller', async () => {
      const reflector = new Reflector();
      const read = jest.spyOn(reflector, 'getAllAndOverride');
      const g = new FeatureFlagGuard(reflector, vwo as unknown as VWOService, {});
      for (const user of ['alice', 'ann', 'bob']) await Promise.resolve(g.canActivate(httpContext(GatedController, 'plain', request(user)))).catch(() => false);
      expect(g.canActivate(httpContext(PlainController, 'open', request()))).toBe(true);
      expect(g.canActivate(httpContext(PlainController, 'open', request()))).toBe(true);
      // GatedController.plain: the flag and the skip marker; PlainController.open: the flag only.
      expect(read).toHaveBeenCalledTimes(3);
    });

    it("keeps an inherited handler's controllers apart", async () => {
      const g = guard();
      await expect(g.canActivate(httpContext(GatedController, 'plain', request('alice')))).resolves.toBe(true);
      await expect(g.canActivate(httpContext(OwnGatedController, 'plain', request('alice')))).rejects.toBeInstanceOf(NotFoundException);
      await expect(g.canActivate(httpContext(OwnGatedController, 'plain', request('bob')))).resolves.toBe(true);
      expect(vwo.calls.map((c) => c.featureKey)).toEqual(['ctrl', 'own', 'own']);
    });
  });

  describe('async context', () => {
    const response = (): object => ({ writableEnded: false, destroyed: false });

    it("makes the request's state current for the rest of the request", async () => {
      expect.assertions(1); // made inside the callback
      const req = request('alice');
      await runInRequestState({}, async () => {
        await guard().canActivate(httpContext(GatedController, 'plain', req, response()));
        expect(vwoRequestStorage.getStore()).toBe(requestStateOf(req));
      });
    });

    it('leaves AsyncLocalStorage alone with propagateContext: false', async () => {
      expect.assertions(1); // made inside the callback
      const outer = {};
      await runInRequestState(outer, async () => {
        await guard({ propagateContext: false }).canActivate(httpContext(GatedController, 'plain', request('alice'), response()));
        expect(vwoRequestStorage.getStore()).toBe(outer);
      });
    });

    it('does not enter a state it could not close (no Node response)', async () => {
      expect.assertions(1); // made inside the callback
      const outer = {};
      await runInRequestState(outer, async () => {
        await guard().canActivate(httpContext(GatedController, 'plain', request('alice'), { send() {} }));
        expect(vwoRequestStorage.getStore()).toBe(outer);
      });
    });

    it("takes Fastify's reply.raw as the response", async () => {
      expect.assertions(1); // made inside the callback
      const raw = response();
      const req = request('alice');
      await runInRequestState({}, async () => {
        await guard().canActivate(httpContext(GatedController, 'plain', req, { raw }));
        expect(requestStateOf(req)?.response).toBe(raw);
      });
    });
  });

  describe('denial', () => {
    it("answers 404 like Nest's unknown-route response by default", async () => {
      const denial = guard().canActivate(httpContext(GatedController, 'plain', request('bob')));
      await expect(denial).rejects.toMatchObject({ status: 404, message: 'Cannot GET /x' });
    });

    it('uses the status of the decorator', async () => {
      const denial = guard({ flagDisabled: { status: 410 } }).canActivate(httpContext(GatedController, 'forbidden', request('alice')));
      await expect(denial).rejects.toMatchObject({ status: 403, message: 'Forbidden' });
    });

    it('uses the exception of the decorator before any module-wide setting', async () => {
      const options: VWOHttpOptions = { flagDisabled: { exception: () => new HttpException('module', 451) } };
      const denial = guard(options).canActivate(httpContext(GatedController, 'teapot', request('alice')));
      await expect(denial).rejects.toMatchObject({ status: 418, message: 'own' });
    });

    it('uses the module-wide exception, then the module-wide status', async () => {
      const withException: VWOHttpOptions = { flagDisabled: { status: 410, exception: (key) => new HttpException(`off: ${key}`, 451) } };
      await expect(guard(withException).canActivate(httpContext(GatedController, 'plain', request('bob')))).rejects.toMatchObject({
        status: 451,
        message: 'off: ctrl',
      });
      await expect(guard({ flagDisabled: { status: 410 } }).canActivate(httpContext(GatedController, 'plain', request('bob')))).rejects.toMatchObject({
        status: 410,
        message: 'Gone',
      });
    });
  });

  describe('variables', () => {
    it('requires the variable to equal the expected value', async () => {
      await expect(guard().canActivate(httpContext(GatedController, 'layoutV2', request('v2-user')))).resolves.toBe(true);
      await expect(guard().canActivate(httpContext(GatedController, 'layoutV2', request('other')))).rejects.toBeInstanceOf(NotFoundException);
    });

    it('accepts a predicate, or a truthy value when no expectation is given', async () => {
      await expect(guard().canActivate(httpContext(GatedController, 'layoutV1', request('other')))).resolves.toBe(true);
      await expect(guard().canActivate(httpContext(GatedController, 'layoutV1', request('v2-user')))).rejects.toBeInstanceOf(NotFoundException);
      await expect(guard().canActivate(httpContext(GatedController, 'truthyVariable', request('beta')))).resolves.toBe(true);
      await expect(guard().canActivate(httpContext(GatedController, 'truthyVariable', request('other')))).rejects.toBeInstanceOf(NotFoundException);
    });
  });

  describe('user context', () => {
    it('fails closed without a user id, logging at debug level, without evaluating', async () => {
      await expect(guard().canActivate(httpContext(GatedController, 'plain', request()))).rejects.toBeInstanceOf(NotFoundException);
      expect(vwo.calls).toHaveLength(0);
      expect(debug).toHaveBeenCalledWith(expect.stringContaining('"ctrl"'));
    });

    it('prefers request.user.id over the header, and reads a custom header', async () => {
      const req = { ...request('bob'), user: { id: 'alice' } };
      await expect(guard().canActivate(httpContext(GatedController, 'plain', req))).resolves.toBe(true);
      const custom = { ...request(), headers: { 'x-user': 'alice' } };
      await expect(guard({ userIdHeader: 'X-User' }).canActivate(httpContext(GatedController, 'plain', custom))).resolves.toBe(true);
    });

    it('uses an async userContext factory, once per request however many guards run', async () => {
      const factory = jest.fn(async (ctx: ExecutionContext) => ({ id: ctx.switchToHttp().getRequest<FakeRequest>().headers['x-who'] }));
      const req = { ...request(), headers: { 'x-who': 'alice' } };
      const g = guard({ userContext: factory });
      await expect(g.canActivate(httpContext(GatedController, 'plain', req))).resolves.toBe(true);
      await expect(g.canActivate(httpContext(GatedController, 'plain', req))).resolves.toBe(true);
      expect(factory).toHaveBeenCalledTimes(1);
      expect(vwo.calls).toHaveLength(1);
      expect(vwo.calls[0].context).toEqual({ id: 'alice' });
      expect(requestStateOf(req)?.user).toEqual({ id: 'alice' });
    });

    it('fails closed and warns when the factory throws', async () => {
      const g = guard({ userContext: () => { throw new Error('db down'); } });
      await expect(g.canActivate(httpContext(GatedController, 'plain', request('alice')))).rejects.toBeInstanceOf(NotFoundException);
      expect(warn).toHaveBeenCalledWith(expect.stringContaining('db down'));
    });

    it('fails closed when the factory returns a context without an id', async () => {
      const g = guard({ userContext: () => ({ id: '' }) });
      await expect(g.canActivate(httpContext(GatedController, 'plain', request('alice')))).rejects.toBeInstanceOf(NotFoundException);
      expect(vwo.calls).toHaveLength(0);
    });
  });

  describe('other context types', () => {
    function context(type: string, args: unknown[]): ExecutionContext {
      const ctx = new ExecutionContextHost(args, GatedController as never, GatedController.prototype.plain);
      ctx.setType(type);
      return ctx;
    }

    it('fails closed in an RPC or WebSocket context without a user, with the transport’s own exception', async () => {
      await expect(guard().canActivate(context('rpc', [{ data: 1 }, {}]))).rejects.toBeInstanceOf(RpcException);
      await expect(guard().canActivate(context('ws', [{}, { data: 1 }]))).rejects.toBeInstanceOf(WsException);
    });

    it("reads the GraphQL context's request", async () => {
      const gqlArgs = [{}, {}, { req: request('alice') }, {}];
      await expect(guard().canActivate(context('graphql', gqlArgs))).resolves.toBe(true);
    });

    it('serves RPC through a custom userContext factory', async () => {
      const g = guard({ userContext: (ctx) => ({ id: ctx.switchToRpc().getData<{ userId: string }>().userId }) });
      await expect(g.canActivate(context('rpc', [{ userId: 'alice' }, {}]))).resolves.toBe(true);
    });

    it('lets a subclass supply the request', async () => {
      class WsGuard extends FeatureFlagGuard {
        protected override getRequest(ctx: ExecutionContext): object | undefined {
          return ctx.switchToWs().getClient<{ handshake: object }>().handshake;
        }
      }
      const g = new WsGuard(new Reflector(), vwo as unknown as VWOService, {});
      await expect(g.canActivate(context('ws', [{ handshake: request('alice') }, {}]))).resolves.toBe(true);
    });
  });
});
