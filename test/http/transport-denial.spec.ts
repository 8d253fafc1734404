import 'reflect-metadata';
import { Controller, ExecutionContext, Get, ImATeapotException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import { RpcException } from '@nestjs/microservices';
import { WsException } from '@nestjs/websockets';
import { FeatureFlag, FeatureFlagGuard, type VWOHttpOptions } from '../../lib/http';
import type { VWOService } from '../../lib/vwo.service';
import { FakeFlag, FakeVWOService } from './support/fake-vwo.service';

jest.mock('../../lib/vwo.service', () => ({ VWOService: class VWOService {} }), { virtual: true });

@Controller()
class Handlers {
  @FeatureFlag('beta') @Get() plain(): void {}
  @FeatureFlag('beta', { status: 403 }) @Get() withStatus(): void {}
  @FeatureFlag('beta', { exception: (key) => new ImATeapotException(key) }) @Get() teapot(): void {}
}

const DENIED = { status: 'error', code: 'FEATURE_DISABLED', featureKey: 'beta', message: 'Feature "beta" is not enabled' };

describe('FeatureFlagGuard denials beyond HTTP', () => {
  const debug = jest.fn();
  const vwo = new FakeVWOService({ beta: (user) => new FakeFlag(user?.id === 'bob') });

  function guard(options: VWOHttpOptions = {}): FeatureFlagGuard {
    return new FeatureFlagGuard(new Reflector(), vwo as unknown as VWOService, options, { debug, warn: jest.fn(), info: jest.fn(), error: jest.fn() });
  }

  function context(type: string, handler: keyof Handlers, args: unknown[]): ExecutionContext {
    const ctx = new ExecutionContextHost(args, Handlers, Handlers.prototype[handler]);
    ctx.setType(type);
    return ctx;
  }

  const rpc = (handler: keyof Handlers, userId?: string) => context('rpc', handler, [{ userId }, {}]);
  const ws = (handler: keyof Handlers, userId?: string, ack?: unknown) =>
    context('ws', handler, [{ handshake: { headers: userId ? { 'x-vwo-user-id': userId } : {} } }, {}, ack, handler]);
  const gql = (handler: keyof Handlers, userId?: string) => context('graphql', handler, [{}, {}, { req: { headers: userId ? { 'x-vwo-user-id': userId } : {} } }, {}]);

  beforeEach(() => debug.mockReset());

  it('allows the flag’s users on every transport', async () => {
    for (const ctx of [rpc('plain', 'bob'), ws('plain', 'bob'), gql('plain', 'bob')]) await expect(guard().canActivate(ctx)).resolves.toBe(true);
  });

  it('denies natively: an RpcException and a WsException with the payload, a GraphQL error code', async () => {
    const rpcError = await Promise.resolve(guard().canActivate(rpc('plain', 'alice'))).catch((e: unknown) => e);
    expect(rpcError).toBeInstanceOf(RpcException);
    expect((rpcError as RpcException).getError()).toEqual(DENIED);
    const wsError = await Promise.resolve(guard().canActivate(ws('plain', 'alice'))).catch((e: unknown) => e);
    expect(wsError).toBeInstanceOf(WsException);
    expect((wsError as WsException).getError()).toEqual(DENIED);
    await expect(guard().canActivate(gql('plain', 'alice'))).rejects.toMatchObject({
      message: 'Feature "beta" is not enabled',
      extensions: { code: 'FEATURE_DISABLED', featureKey: 'beta' },
    });
  });

  it('ignores an HTTP status off HTTP', async () => {
    await expect(guard().canActivate(rpc('withStatus', 'alice'))).rejects.toBeInstanceOf(RpcException);
    await expect(guard({ flagDisabled: { status: 410 } }).canActivate(ws('plain', 'alice'))).rejects.toBeInstanceOf(WsException);
  });

  it('lets the decorator’s exception, then the module’s, replace the native denial', async () => {
    await expect(guard().canActivate(rpc('teapot', 'alice'))).rejects.toBeInstanceOf(ImATeapotException);
    const moduleWide = guard({ flagDisabled: { exception: (key) => new RpcException(`module: ${key}`) } });
    await expect(moduleWide.canActivate(rpc('plain', 'alice'))).rejects.toMatchObject({ message: 'module: beta' });
  });

  it('answers a WebSocket ack with what the client’s exception event carries', async () => {
    const ack = jest.fn();
    await expect(guard().canActivate(ws('plain', 'alice', ack))).rejects.toBeInstanceOf(WsException);
    expect(ack).toHaveBeenCalledWith(DENIED);
    const stringError = guard({ flagDisabled: { exception: (key) => new WsException(`no ${key}`) } });
    await expect(stringError.canActivate(ws('plain', undefined, ack))).rejects.toBeInstanceOf(WsException);
    expect(ack).toHaveBeenLastCalledWith({ status: 'error', message: 'no beta' });
    await expect(guard().canActivate(ws('teapot', 'alice', ack))).rejects.toBeInstanceOf(ImATeapotException);
    expect(ack).toHaveBeenLastCalledWith({ status: 'error', message: 'Internal server error' });
    expect(ack).toHaveBeenCalledTimes(3);
  });

  it('logs each denial at debug level with the handler and the reason', async () => {
    await expect(guard().canActivate(rpc('plain', 'alice'))).rejects.toBeDefined();
    await expect(guard().canActivate(ws('plain'))).rejects.toBeDefined();
    expect(debug.mock.calls.map(([line]) => line)).toEqual([
      '@FeatureFlag("beta") denied rpc Handlers.plain: the flag is disabled',
      'Feature "beta" treated as disabled: the request has no user id',
      '@FeatureFlag("beta") denied ws Handlers.plain: the request has no user id',
    ]);
  });
});
