import { Controller, Get, INestApplication, Injectable, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import type { Flag as VWOFlag } from '../../lib/engine';
import { VWOHealthIndicator } from '../../lib/health';
import { FeatureFlag, Flag } from '../../lib/http';
import { SettingsBuilder, VWOTestingModule, VWOTestingService } from '../../lib/testing';
import { VWOModule } from '../../lib/vwo.module';
import { VWOService } from '../../lib/vwo.service';
import { FakeVwoServer } from '../support/fake-vwo-server';

/** The app's configuration, as a ConfigService would hold it: here, a VWO server that never answers. */
@Injectable()
class AppConfig {
  static vwoUrl = '';
  readonly vwo = { sdkKey: 'override-sdk-key-0123456789abcdef', accountId: 123456, proxyUrl: AppConfig.vwoUrl, waitForSettings: 3000 };
}

@Module({ providers: [AppConfig], exports: [AppConfig] })
class AppConfigModule {}

@Injectable()
class CheckoutService {
  constructor(private readonly vwo: VWOService) {}

  purchase(userId: string): Promise<Record<string, boolean>> {
    return this.vwo.trackEvent('purchase', { id: userId }, { amount: 10 });
  }
}

@Controller()
class CheckoutController {
  constructor(
    private readonly checkout: CheckoutService,
    private readonly health: VWOHealthIndicator,
  ) {}

  @Get('checkout')
  @FeatureFlag('new_checkout')
  show(@Flag('new_checkout') flag: VWOFlag): { title: unknown } {
    return { title: flag.getVariable('title', 'Checkout') };
  }

  @Get('beta')
  @FeatureFlag('beta')
  beta(): string {
    return 'beta';
  }

  @Get('buy')
  buy(): Promise<Record<string, boolean>> {
    return this.checkout.purchase('buyer-1');
  }

  @Get('health')
  status(): unknown {
    return this.health.isHealthy('vwo');
  }
}

/** The user's real AppModule: VWOModule through forRootAsync, options from configuration. */
@Module({
  imports: [
    VWOModule.forRootAsync({ imports: [AppConfigModule], inject: [AppConfig], useFactory: (config: AppConfig) => config.vwo }),
  ],
  controllers: [CheckoutController],
  providers: [CheckoutService, VWOHealthIndicator],
})
class AppModule {}

describe('VWOTestingModule.override: the testing module in place of an AppModule’s forRootAsync VWOModule', () => {
  let server: FakeVwoServer;
  let app: INestApplication | undefined;

  beforeAll(async () => {
    server = await new FakeVwoServer().start();
    server.on(/.*/, { hang: true });
    AppConfig.vwoUrl = server.url;
  });

  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  afterAll(() => server.stop());

  it('boots without contacting VWO or waiting for settings, and the app’s routes and services use the test flags', async () => {
    const requestsBefore = server.requests.length;
    const moduleRef = await VWOTestingModule.override(Test.createTestingModule({ imports: [AppModule] }), {
      flags: { new_checkout: { enabled: true, variables: { title: 'New' } }, beta: { enabled: false } },
      events: ['purchase'],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    // The real module would have asked the (hanging) server for settings by now (next test): nothing was asked.
    expect(server.requests.length).toBe(requestsBefore);

    const http = request(app.getHttpServer());
    expect((await http.get('/checkout').expect(200)).body).toEqual({ title: 'New' });
    await http.get('/beta').expect(404);
    expect((await http.get('/buy').expect(200)).body).toEqual({ purchase: true });
    expect((await http.get('/health').expect(200)).body).toEqual({ vwo: expect.objectContaining({ status: 'up' }) });
    const testing = app.get(VWOTestingService);
    expect(app.get(VWOService)).toBe(testing);
    expect(testing.trackedEvents).toEqual([{ eventName: 'purchase', context: { id: 'buyer-1' }, properties: { amount: 10 } }]);
    expect(server.requests.length).toBe(requestsBefore);
  });

  it('without it, the same AppModule boots the real module, which asks the VWO server for settings', async () => {
    const requestsBefore = server.requests.length;
    const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    const init = app.init();
    await server.waitFor((requests) => requests.slice(requestsBefore).some((r) => r.path.includes('/server-side/')), 10_000);
    await init;
    expect(app.get(VWOService)).not.toBeInstanceOf(VWOTestingService);
  });
});

/**
 * The double refuses what VWOService refuses: each call is made on both, VWOService running offline on
 * settings whose only metric is "purchase", VWOTestingService told the same with `events`.
 */
describe('VWOTestingService refuses what VWOService refuses', () => {
  let real: INestApplication;
  let vwo: VWOService;
  let testing: VWOTestingService;

  beforeAll(async () => {
    const settings = new SettingsBuilder({ accountId: 123456 }).feature('checkout', (f) => f.rollout({ percent: 100 }).metric('purchase')).build();
    const moduleRef = await Test.createTestingModule({ imports: [VWOModule.forRoot({ accountId: 123456, settings, logger: { level: 'ERROR', transport: SILENT } })] }).compile();
    real = moduleRef.createNestApplication({ logger: false });
    await real.init();
    vwo = real.get(VWOService);
    const testingRef = await Test.createTestingModule({
      imports: [VWOTestingModule.forRoot({ flags: { checkout: { enabled: true } }, events: ['purchase'], defaultUser: false, logger: { transport: SILENT } })],
    }).compile();
    testing = testingRef.get(VWOTestingService);
  });

  afterAll(() => real.close());

  const user = { id: 'user-1' };
  it.each<[string, (service: VWOService | VWOTestingService) => Promise<unknown>, unknown]>([
    ['a known event', (s) => s.trackEvent('purchase', user), { purchase: true }],
    ['an event that is not a metric', (s) => s.trackEvent('refund', user), { refund: false }],
    ['an empty event name', (s) => s.trackEvent('', user), { '': false }],
    ['properties that are not a plain object', (s) => s.trackEvent('purchase', user, ['x'] as unknown as Record<string, unknown>), { purchase: false }],
    ['an event without a user', (s) => s.trackEvent('purchase', undefined), { purchase: false }],
    ['an event for user id 0', (s) => s.trackEvent('purchase', { id: 0 }), { purchase: false }],
    ['an event for an id with a lone surrogate', (s) => s.trackEvent('purchase', { id: 'a\uD800' }), { purchase: false }],
    ['a flag with an empty key', async (s) => (await s.getFlag('', user)).reason, 'INVALID_FEATURE_KEY'],
    ['a flag for an id with a lone surrogate', async (s) => (await s.getFlag('checkout', { id: 'a\uD800' })).reason, 'INVALID_CONTEXT'],
    ['a flag for a good user', async (s) => (await s.getFlag('checkout', user)).isEnabled(), true],
  ])('%s: same answer from both', async (_name, call, expected) => {
    expect(await call(vwo)).toEqual(expected);
    expect(await call(testing)).toEqual(expected);
  });

  it('setAttribute records only what VWOService would send', async () => {
    testing.reset();
    await testing.setAttribute('plan', 'pro', user);
    await testing.setAttribute('plan', { nested: true } as unknown as string, user);
    await testing.setAttribute({}, user);
    await testing.setAttribute('plan', 'pro', { id: '' });
    expect(testing.attributes).toEqual([{ attributes: { plan: 'pro' }, context: user }]);
  });
});

const SILENT = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
