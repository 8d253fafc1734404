import { Body, Controller, Get, INestApplication, Injectable, Post } from '@nestjs/common';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import type { Flag as VWOFlag } from '../../lib/engine';
import { FeatureFlag, Flag, FlagVariable } from '../../lib/http';
import { VWOTestingModule, VWOTestingService, type VWOTestingModuleOptions } from '../../lib/testing';
import { VWOService } from '../../lib/vwo.service';

/** Application code under test: it knows nothing of the testing module. */
@Injectable()
class PricingService {
  constructor(private readonly vwo: VWOService) {}

  async discountFor(userId: string): Promise<number> {
    const flag = await this.vwo.getFlag('pricing', { id: userId });
    return flag.getVariable('discount', 0) as number;
  }

  async checkout(userId: string): Promise<void> {
    await this.vwo.trackEvent('purchase', { id: userId }, { amount: 10 });
  }
}

@Controller()
class ShopController {
  constructor(private readonly pricing: PricingService) {}

  @Get('checkout')
  @FeatureFlag('new_checkout')
  checkout(@FlagVariable('new_checkout', 'title', 'Checkout') title: string, @Flag('new_checkout') flag: VWOFlag) {
    return { title, enabled: flag.isEnabled() };
  }

  @Get('beta')
  @FeatureFlag('beta', { status: 403 })
  beta() {
    return 'beta';
  }

  @Get('discount')
  async discount() {
    return { discount: await this.pricing.discountFor('user-1') };
  }

  @Post('buy')
  async buy(@Body() body: { user: string }) {
    await this.pricing.checkout(body.user);
    return { ok: true };
  }
}

const adapters = [
  ['express', () => new ExpressAdapter()],
  ['fastify', () => new FastifyAdapter()],
] as const;

describe.each(adapters)('VWOTestingModule on %s', (_name, adapter) => {
  let app: INestApplication;
  let testing: VWOTestingService;

  async function boot(options: VWOTestingModuleOptions): Promise<void> {
    const moduleRef = await Test.createTestingModule({
      imports: [VWOTestingModule.forRoot(options)],
      controllers: [ShopController],
      providers: [PricingService],
    }).compile();
    app = moduleRef.createNestApplication(adapter(), { logger: false });
    await app.init();
    await (app.getHttpAdapter().getInstance() as { ready?: () => Promise<void> }).ready?.();
    testing = app.get(VWOTestingService);
  }

  const flags = {
    new_checkout: { enabled: true, variables: { title: 'New checkout' } },
    beta: { enabled: false },
    pricing: (user: { id: string | number }) => ({ enabled: true, variables: { discount: user.id === 'vip' ? 30 : 5 } }),
  };

  afterEach(async () => {
    await app?.close();
  });

  it('serves gated routes and param decorators from the configured flags, with no user header', async () => {
    await boot({ flags });
    await request(app.getHttpServer()).get('/checkout').expect(200, { title: 'New checkout', enabled: true });
    await request(app.getHttpServer()).get('/beta').expect(403);
    expect(app.get(VWOService)).toBe(testing);
  });

  it('lets a test change flags while the app runs, and reset() restores them', async () => {
    await boot({ flags });
    testing.disable('new_checkout').enable('beta');
    await request(app.getHttpServer()).get('/checkout').expect(404);
    await request(app.getHttpServer()).get('/beta').expect(200);
    testing.setFlag('new_checkout', { enabled: true, variables: { title: 'Changed' } });
    await request(app.getHttpServer()).get('/checkout').expect(200, { title: 'Changed', enabled: true });
    testing.reset();
    await request(app.getHttpServer()).get('/beta').expect(403);
    await request(app.getHttpServer()).get('/checkout').expect(200, { title: 'New checkout', enabled: true });
  });

  it('decides function flags per user, with the user of the request header', async () => {
    await boot({ flags: { ...flags, new_checkout: (user) => ({ enabled: user.id === 'alice' }) } });
    await request(app.getHttpServer()).get('/checkout').set('x-vwo-user-id', 'alice').expect(200);
    await request(app.getHttpServer()).get('/checkout').set('x-vwo-user-id', 'bob').expect(404);
    const users = testing.evaluations.filter((e) => e.featureKey === 'new_checkout').map((e) => [e.context?.id, e.enabled]);
    expect(users).toEqual([
      ['alice', true],
      ['bob', false],
    ]);
  });

  it('drives services that inject VWOService, and records their events', async () => {
    await boot({ flags });
    await request(app.getHttpServer()).get('/discount').expect(200, { discount: 5 });
    await request(app.getHttpServer()).post('/buy').send({ user: 'vip' }).expect(201);
    expect(testing.trackedEvents).toEqual([{ eventName: 'purchase', context: { id: 'vip' }, properties: { amount: 10 } }]);
    expect((await testing.getFlag('pricing', { id: 'vip' })).getVariable('discount', 0)).toBe(30);
  });

  it('treats unknown flags as missing features, and keeps the real no-user behaviour when defaultUser is false', async () => {
    await boot({ flags: { beta: { enabled: true } }, defaultUser: false });
    await request(app.getHttpServer()).get('/checkout').set('x-vwo-user-id', 'u1').expect(404);
    await request(app.getHttpServer()).get('/beta').expect(403);
    await request(app.getHttpServer()).get('/beta').set('x-vwo-user-id', 'u1').expect(200);
    expect((await testing.getFlag('beta')).isEnabled()).toBe(false);
    expect(testing.evaluations.map((e) => [e.featureKey, e.enabled])).toEqual([
      ['new_checkout', false],
      ['beta', true],
      ['beta', false],
    ]);
  });

  it('uses a custom userContext factory, like VWOModule', async () => {
    await boot({ flags: { ...flags, beta: (user) => ({ enabled: user.id === 'from-factory' }) }, userContext: () => ({ id: 'from-factory' }) });
    await request(app.getHttpServer()).get('/beta').expect(200);
  });
});

describe('VWOTestingService as a plain object', () => {
  it('returns flags shaped like VWOService’s: variables with VWO types, defaults for disabled flags', async () => {
    const service = new VWOTestingService({ on: { enabled: true, variables: { n: 2, r: 0.5, s: 'x', b: false, j: { a: 1 } } }, off: { enabled: false, variables: { n: 1 } } });
    const on = await service.getFlag('on', { id: 'u' });
    expect(on.isEnabled()).toBe(true);
    expect(on.getVariables().map((v) => [v.key, v.type, v.value])).toEqual([
      ['n', 'integer', 2],
      ['r', 'double', 0.5],
      ['s', 'string', 'x'],
      ['b', 'boolean', false],
      ['j', 'json', { a: 1 }],
    ]);
    const off = await service.getFlag('off', { id: 'u' });
    expect(off.isEnabled()).toBe(false);
    expect(off.getVariables()).toEqual([]);
    expect(off.getVariable('n', 9)).toBe(9);
    expect(await service.trackEvent('e', { id: 'u' })).toEqual({ e: true });
    await service.setAttribute('plan', 'pro', { id: 'u' });
    await service.setAttribute({ a: 1 }, { id: 'u' });
    expect(service.attributes).toEqual([
      { attributes: { plan: 'pro' }, context: { id: 'u' } },
      { attributes: { a: 1 }, context: { id: 'u' } },
    ]);
    expect(await service.flushEvents()).toEqual({ status: 'empty', events: 0 });
    expect(service.isReady()).toBe(true);
  });
});
