import { Controller, Get, INestApplication, Injectable } from '@nestjs/common';
import { ScheduleModule, SchedulerRegistry } from '@nestjs/schedule';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import type { Flag as VWOFlag } from '../../lib/engine';
import { FeatureFlag, Flag, FlagVariable } from '../../lib/http';
import { getVWOInstanceToken, getVWOPollIntervalName, getVWOServiceToken, InjectVWO } from '../../lib/instances';
import type { VWOStorage } from '../../lib/storage/vwo-storage.interface';
import { VWOModule } from '../../lib/vwo.module';
import { VWOService } from '../../lib/vwo.service';
import { FakeVwoServer, type RecordedRequest } from '../support/fake-vwo-server';
import { fakeServerOptions } from '../module/helpers/boot';
import { shopSettings } from '../module/helpers/shop-settings.fixture';
import { waitUntil } from '../module/helpers/wait-until';

const US_ACCOUNT = 111111;
const EU_ACCOUNT = 222222;
const USER = 'same-user';

/** Injects both instances, the default one by type and the named one by name. */
@Injectable()
class Checkout {
  constructor(
    readonly us: VWOService,
    @InjectVWO('eu') readonly eu: VWOService,
  ) {}
}

/** One controller, a route gated by each instance, and param decorators of both. */
@Controller('shop')
class ShopController {
  @FeatureFlag('new-checkout')
  @Get('us')
  us(@FlagVariable('new-checkout', 'headline', 'none') headline: string): { headline: string } {
    return { headline };
  }

  @FeatureFlag('new-checkout', { instance: 'eu' })
  @Get('eu')
  eu(@Flag('new-checkout', { instance: 'eu' }) flag: VWOFlag): { headline: unknown } {
    return { headline: flag.getVariable('headline', 'none') };
  }

  @Get('both')
  both(
    @FlagVariable('new-checkout', 'headline', 'none') us: string,
    @FlagVariable('new-checkout', 'headline', 'none', { instance: 'eu' }) eu: string,
  ): { us: string; eu: string } {
    return { us, eu };
  }
}

/** Event names in the requests a fake server received (batch bodies and single events). */
function eventNames(requests: RecordedRequest[]): string[] {
  const names: string[] = [];
  for (const req of requests) {
    const fromQuery = req.query.get('en');
    if (fromQuery) names.push(fromQuery);
    const body = req.json as { ev?: Array<{ d?: { event?: { name?: string } } }> } | undefined;
    for (const event of body?.ev ?? []) if (event.d?.event?.name) names.push(event.d.event.name);
  }
  return names;
}

const eventRequests = (server: FakeVwoServer) => server.requests.filter((r) => !r.path.includes('/server-side/v2-settings'));

/**
 * Two VWO accounts in one app: the default instance on one fake VWO, a named one ('eu') on another, with
 * different settings and their own event sinks. The same user id meets each account's own flags, and
 * nothing (decisions, events, stored decisions, polling) crosses from one instance to the other.
 */
describe('named VWOModule instances side by side', () => {
  let usServer: FakeVwoServer;
  let euServer: FakeVwoServer;
  let app: INestApplication;
  let checkout: Checkout;

  beforeEach(async () => {
    [usServer, euServer] = await Promise.all([new FakeVwoServer().start(), new FakeVwoServer().start()]);
    usServer.settings = { ...shopSettings({ headline: 'Hello US' }), accountId: US_ACCOUNT };
    euServer.settings = { ...shopSettings({ headline: 'Hallo EU' }), accountId: EU_ACCOUNT };
    const moduleRef = await Test.createTestingModule({
      imports: [
        ScheduleModule.forRoot(),
        VWOModule.forRoot(fakeServerOptions(usServer.url, { accountId: US_ACCOUNT, storage: 'memory', pollInterval: 1000 })),
        VWOModule.forRootAsync({
          name: 'eu',
          useFactory: () =>
            fakeServerOptions(euServer.url, { sdkKey: 'eu-sdk-key-0123456789abcdef', accountId: EU_ACCOUNT, storage: 'memory', pollInterval: 1000 }),
        }),
      ],
      controllers: [ShopController],
      providers: [Checkout],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    checkout = app.get(Checkout);
  });

  afterEach(async () => {
    await app.close();
    await Promise.all([usServer.stop(), euServer.stop()]);
  });

  it('injects two different services: VWOService and @InjectVWO() are the default one, @InjectVWO(name) the named one', () => {
    expect(checkout.us).toBeInstanceOf(VWOService);
    expect(checkout.eu).toBeInstanceOf(VWOService);
    expect(checkout.eu).not.toBe(checkout.us);
    expect(app.get(getVWOServiceToken('eu'))).toBe(checkout.eu);
    expect(app.get(getVWOServiceToken())).toBe(checkout.us);
  });

  it("the same user gets each account's own flag", async () => {
    const [us, eu] = await Promise.all([checkout.us.getFlag('new-checkout', { id: USER }), checkout.eu.getFlag('new-checkout', { id: USER })]);
    expect(us.getVariable('headline', '')).toBe('Hello US');
    expect(eu.getVariable('headline', '')).toBe('Hallo EU');
  });

  it("each instance's events go to its own account, and only there", async () => {
    await checkout.us.getFlag('new-checkout', { id: USER });
    expect(await checkout.eu.trackEvent('purchase', { id: USER })).toEqual({ purchase: true });
    await Promise.all([checkout.us.flushEvents(), checkout.eu.flushEvents()]);
    await waitUntil(() => eventNames(eventRequests(usServer)).includes('vwo_variationShown'), 10_000);
    await waitUntil(() => eventNames(eventRequests(euServer)).includes('purchase'), 10_000);

    expect(eventNames(eventRequests(usServer))).not.toContain('purchase');
    expect(eventNames(eventRequests(euServer))).not.toContain('vwo_variationShown');
    for (const req of eventRequests(usServer)) expect(req.query.get('a') ?? String(US_ACCOUNT)).toBe(String(US_ACCOUNT));
    for (const req of eventRequests(euServer)) expect(req.query.get('a') ?? String(EU_ACCOUNT)).toBe(String(EU_ACCOUNT));
  });

  it('each instance keeps its decisions in its own storage', async () => {
    const usStorage = app.get<VWOStorage>(getVWOInstanceToken(undefined, 'storage'));
    const euStorage = app.get<VWOStorage>(getVWOInstanceToken('eu', 'storage'));
    expect(euStorage).not.toBe(usStorage);
    await checkout.us.getFlag('new-checkout', { id: USER });
    await waitUntil(async () => (await usStorage.get('new-checkout', USER)) != null, 5_000);
    expect(await euStorage.get('new-checkout', USER)).toBeFalsy();
  });

  it('each instance polls its own account under its own job, and a change in one account changes only that instance', async () => {
    const registry = app.get(SchedulerRegistry);
    expect(registry.getIntervals()).toEqual(expect.arrayContaining([getVWOPollIntervalName(), getVWOPollIntervalName('eu')]));
    euServer.settings = { ...shopSettings({ headline: 'Neu EU', version: 2 }), accountId: EU_ACCOUNT };
    await waitUntil(async () => (await checkout.eu.getFlag('new-checkout', { id: USER })).getVariable<string>('headline', '') === 'Neu EU', 15_000);
    expect((await checkout.us.getFlag('new-checkout', { id: USER })).getVariable('headline', '')).toBe('Hello US');
    for (const req of usServer.requestsTo('/server-side/v2-settings')) expect(req.query.get('a')).toBe(String(US_ACCOUNT));
    for (const req of euServer.requestsTo('/server-side/v2-settings')) expect(req.query.get('a')).toBe(String(EU_ACCOUNT));
  });

  it('routes gated by either instance on one controller: each guard decides with its own account', async () => {
    const http = request(app.getHttpServer());
    await http.get('/shop/us').set('x-vwo-user-id', USER).expect(200, { headline: 'Hello US' });
    await http.get('/shop/eu').set('x-vwo-user-id', USER).expect(200, { headline: 'Hallo EU' });
    await http.get('/shop/both').set('x-vwo-user-id', USER).expect(200, { us: 'Hello US', eu: 'Hallo EU' });
    await http.get('/shop/eu').expect(404);
  });

  it('a flag off in one account is denied by that instance only', async () => {
    euServer.settings = { ...shopSettings({ headline: 'Hallo EU', segments: { or: [{ custom_variable: { plan: 'pro' } }] }, version: 3 }), accountId: EU_ACCOUNT };
    // Wait for the new settings without deciding for anyone (a decision would be kept in storage).
    await waitUntil(() => checkout.eu.getSnapshot()?.version === 3, 15_000);
    const http = request(app.getHttpServer());
    await http.get('/shop/eu').set('x-vwo-user-id', USER).expect(404);
    await http.get('/shop/us').set('x-vwo-user-id', USER).expect(200, { headline: 'Hello US' });
  });
});
