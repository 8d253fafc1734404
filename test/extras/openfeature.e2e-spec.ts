import { Controller, DynamicModule, Get, INestApplication, Module, Type } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import {
  BooleanFeatureFlag,
  ErrorCode,
  EvaluationDetails,
  FlagValue,
  OpenFeature,
  OpenFeatureModule,
  ProviderEvents,
  RequireFlagsEnabled,
  StandardResolutionReasons,
  StringFeatureFlag,
  type Client,
} from '@openfeature/nestjs-sdk';
import { lastValueFrom, type Observable } from 'rxjs';
import request from 'supertest';
import { VWOOpenFeatureModule, VWOOpenFeatureProvider } from '../../lib/openfeature';
import type { VWOModuleOptions } from '../../lib/options/vwo-module-options.interface';
import { SettingsBuilder, VWOTestingModule, VWOTestingService } from '../../lib/testing';
import { VWOMemoryStorage } from '../../lib/storage/memory-storage';
import { VWOModule } from '../../lib/vwo.module';
import { VWOService } from '../../lib/vwo.service';
import { SettingsStore } from '../../lib/settings/settings-store';
import { FakeVwoServer } from '../support/fake-vwo-server';
import { EVENTUALLY_MS, waitUntil } from '../module/helpers/wait-until';

const built = new SettingsBuilder({ accountId: 123456 })
  .feature('checkout', (f) =>
    f.rollout({ variables: { title: 'New checkout', discount: 10, ratio: 0.25, express: true, config: { steps: 2 }, legacy: '{"steps":3}' } }),
  )
  .flag('beta', { enabled: false })
  .feature('pro_only', (f) => f.rollout({ segments: { or: [{ custom_variable: { plan: 'pro' } }] }, variables: { limit: 100 } }))
  .feature('layout', (f) =>
    f.rollout().testing({ variations: [{ name: 'control', variables: { color: 'blue' } }, { name: 'red', variables: { color: 'red' } }] }),
  )
  .build() as { campaigns: Array<{ variations: Array<{ variables: Array<{ key: string; type: string }> }> }> };
// VWO may serve `json` variables as JSON text: mark the builder's string variable as such.
built.campaigns[0]!.variations[0]!.variables.find((v) => v.key === 'legacy')!.type = 'json';
const settings: Record<string, unknown> = built;

async function boot(options: VWOModuleOptions, ...extra: Array<Type<unknown> | DynamicModule>): Promise<INestApplication> {
  const moduleRef = await Test.createTestingModule({ imports: [VWOModule.forRoot(options), VWOOpenFeatureModule.forRoot(), ...extra] }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  await app.init();
  return app;
}

describe('VWOOpenFeatureProvider through the OpenFeature server SDK', () => {
  let app: INestApplication;
  let client: Client;
  // Each test has its own users: the module's storage keeps decisions, so a shared user would see another test's (STORED_ROLLOUT).
  const user = (name: string) => ({ targetingKey: `of-${name}` });

  beforeAll(async () => {
    app = await boot({ accountId: 123456, settings, storage: new VWOMemoryStorage() });
    client = OpenFeature.getClient();
  });

  afterAll(async () => {
    await app.close();
    await OpenFeature.close();
  });

  it('registers itself as the default provider, ready, once the app has booted', () => {
    expect(OpenFeature.providerMetadata.name).toBe('VWO');
    expect(client.providerStatus).toBe('READY');
  });

  it('resolves `feature` as a boolean: isEnabled, with the rule as variant', async () => {
    const on = await client.getBooleanDetails('checkout', false, user('boolean'));
    expect(on).toMatchObject({ value: true, reason: StandardResolutionReasons.TARGETING_MATCH, variant: 'rolloutRule1' });
    expect(on.flagMetadata).toMatchObject({ vwoReason: 'ROLLOUT', rolloutRuleKey: 'rolloutRule1' });
    expect(on.errorCode).toBeUndefined();
    const off = await client.getBooleanDetails('beta', true, user('boolean'));
    expect(off).toMatchObject({ value: false, reason: StandardResolutionReasons.DISABLED });
    expect(off.errorCode).toBeUndefined();
  });

  it('resolves `feature.variable` as string, number, boolean and object', async () => {
    const u = user('variables');
    expect(await client.getStringValue('checkout.title', 'x', u)).toBe('New checkout');
    expect(await client.getNumberValue('checkout.discount', 0, u)).toBe(10);
    expect(await client.getNumberValue('checkout.ratio', 0, u)).toBe(0.25);
    expect(await client.getBooleanValue('checkout.express', false, u)).toBe(true);
    expect(await client.getObjectValue('checkout.config', {}, u)).toEqual({ steps: 2 });
    // VWO `json` variables may arrive as JSON text: they resolve as objects too.
    expect(await client.getObjectValue('checkout.legacy', {}, u)).toEqual({ steps: 3 });
  });

  it('answers the default with DISABLED for a variable of a feature that is off for the user', async () => {
    const details = await client.getNumberDetails('pro_only.limit', 5, { ...user('free-plan'), plan: 'free' });
    expect(details).toMatchObject({ value: 5, reason: StandardResolutionReasons.DISABLED });
    expect(details.errorCode).toBeUndefined();
    // Other context attributes are VWO custom variables: segmentation sees them.
    expect(await client.getNumberValue('pro_only.limit', 5, { ...user('pro-plan'), plan: 'pro' })).toBe(100);
  });

  it('reports experiment variations as SPLIT with the variation name', async () => {
    const seen = new Set<string>();
    for (let i = 0; i < 40; i++) {
      const details = await client.getStringDetails('layout.color', 'none', user(`split-${i}`));
      expect(details.reason).toBe(StandardResolutionReasons.SPLIT);
      expect(details.value).toBe(details.variant === 'red' ? 'red' : 'blue');
      seen.add(String(details.variant));
    }
    expect([...seen].sort()).toEqual(['control', 'red']);
  });

  const errors = user('errors');
  it.each<[string, () => Promise<EvaluationDetails<FlagValue>>, ErrorCode, FlagValue]>([
    ['an unknown feature', () => client.getBooleanDetails('nope', true, errors), ErrorCode.FLAG_NOT_FOUND, true],
    ['an unknown variable', () => client.getStringDetails('checkout.nope', 'd', errors), ErrorCode.FLAG_NOT_FOUND, 'd'],
    ['a string asked of a number variable', () => client.getStringDetails('checkout.discount', 'd', errors), ErrorCode.TYPE_MISMATCH, 'd'],
    ['an object asked of a string variable', () => client.getObjectDetails('checkout.title', { d: 1 }, errors), ErrorCode.TYPE_MISMATCH, { d: 1 }],
    ['a string asked of the boolean flag itself', () => client.getStringDetails('checkout', 'd', errors), ErrorCode.TYPE_MISMATCH, 'd'],
    ['no targeting key', () => client.getBooleanDetails('checkout', true, {}), ErrorCode.TARGETING_KEY_MISSING, true],
  ])('%s: its error code, the default value and reason ERROR', async (_case, evaluate, code, defaultValue) => {
    const details = await evaluate();
    expect(details).toMatchObject({ errorCode: code, reason: StandardResolutionReasons.ERROR, value: defaultValue });
    expect(details.errorMessage).toEqual(expect.any(String));
  });
});

describe('VWOOpenFeatureProvider before VWO settings arrive', () => {
  let server: FakeVwoServer;
  let app: INestApplication;

  beforeAll(async () => {
    server = await new FakeVwoServer().start();
    server.on('/server-side/v2-settings', () => (server.settings === null ? { status: 503 } : undefined));
    server.settings = null;
  });

  afterAll(async () => {
    await app?.close();
    await OpenFeature.close();
    await server.stop();
  });

  it('answers PROVIDER_NOT_READY, then turns READY when settings load', async () => {
    const options: VWOModuleOptions = {
      sdkKey: 'test-sdk-key-0123456789abcdef',
      accountId: 123456,
      proxyUrl: server.url,
      retryConfig: { shouldRetry: false },
      waitForSettings: 50,
      // The server answers at once (503, then the settings); a busy machine may take seconds to get the answer.
      settingsTimeout: 10_000,
    };
    const moduleRef = await Test.createTestingModule({ imports: [VWOModule.forRoot(options), VWOOpenFeatureModule.forRoot({ initTimeoutMs: 50 })] }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    const client = OpenFeature.getClient();
    const early = await client.getBooleanDetails('checkout', false, { targetingKey: 'u1' });
    expect(early).toMatchObject({ value: false, errorCode: ErrorCode.PROVIDER_NOT_READY, reason: StandardResolutionReasons.ERROR });

    const ready = new Promise<void>((resolve) => client.addHandler(ProviderEvents.Ready, () => resolve()));
    // Let the failed boot fetch finish first: updateSettings would share it while it is in flight.
    await waitUntil(() => app.get(SettingsStore).lastFetchError !== undefined, EVENTUALLY_MS);
    server.settings = settings;
    expect(await app.get(VWOService).updateSettings(undefined, false)).toBe(true);
    await ready;
    expect(client.providerStatus).toBe('READY');
    expect(await client.getBooleanValue('checkout', false, { targetingKey: 'u1' })).toBe(true);
  });
});

describe('VWOOpenFeatureProvider over VWOTestingModule', () => {
  afterEach(() => OpenFeature.close());

  it('resolves the testing flags and sends OpenFeature track() as VWO events', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [VWOTestingModule.forRoot({ flags: { promo: { enabled: true, variables: { code: 'X1' } } } }), VWOOpenFeatureModule.forRoot({ domain: 'shop' })],
    }).compile();
    const app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    const client = OpenFeature.getClient('shop');
    expect(await client.getStringValue('promo.code', '', { targetingKey: 'u1' })).toBe('X1');
    expect((await client.getBooleanDetails('missing', false, { targetingKey: 'u1' })).errorCode).toBe(ErrorCode.FLAG_NOT_FOUND);
    client.track('purchase', { targetingKey: 'u1', plan: 'pro' }, { value: 42 });
    const testing = app.get(VWOTestingService);
    await new Promise((resolve) => setImmediate(resolve));
    expect(testing.trackedEvents).toEqual([{ eventName: 'purchase', context: { id: 'u1', customVariables: { plan: 'pro' } }, properties: { value: 42 } }]);
    expect(app.get(VWOOpenFeatureProvider)).toBeInstanceOf(VWOOpenFeatureProvider);
    await app.close();
  });
});

@Controller()
class OpenFeatureController {
  @Get('checkout')
  @RequireFlagsEnabled({ flags: [{ flagKey: 'checkout' }] })
  // The SDK bundles its own rxjs, so its Observables are awaited here rather than returned to Nest.
  checkout(@StringFeatureFlag({ flagKey: 'checkout.title', defaultValue: 'Old' }) title: Observable<EvaluationDetails<string>>) {
    return lastValueFrom(title);
  }

  @Get('beta')
  beta(@BooleanFeatureFlag({ flagKey: 'beta', defaultValue: true }) beta: Observable<EvaluationDetails<boolean>>) {
    return lastValueFrom(beta);
  }
}

@Module({ controllers: [OpenFeatureController] })
class OpenFeatureAppModule {}

describe('VWO through @openfeature/nestjs-sdk decorators', () => {
  let app: INestApplication;

  beforeAll(async () => {
    app = await boot(
      { accountId: 123456, settings },
      OpenFeatureModule.forRoot({
        contextFactory: (ctx) => {
          const id = ctx.switchToHttp().getRequest<{ headers: Record<string, string> }>().headers['x-user-id'];
          return id ? { targetingKey: id } : undefined;
        },
      }),
      OpenFeatureAppModule,
    );
  });

  afterAll(async () => {
    await app.close();
    await OpenFeature.close();
  });

  it('gates routes and injects flag values evaluated by VWO for the request user', async () => {
    const res = await request(app.getHttpServer()).get('/checkout').set('x-user-id', 'u1').expect(200);
    expect(res.body).toMatchObject({ value: 'New checkout', reason: 'TARGETING_MATCH', flagKey: 'checkout.title' });
    const beta = await request(app.getHttpServer()).get('/beta').set('x-user-id', 'u1').expect(200);
    expect(beta.body).toMatchObject({ value: false, reason: 'DISABLED' });
  });

  it('denies the gated route without a user (TARGETING_KEY_MISSING falls back to the default false)', async () => {
    await request(app.getHttpServer()).get('/checkout').expect(404);
  });
});
