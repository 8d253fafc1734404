import { Controller, Get, INestApplication, Inject, Injectable, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { OpenFeature } from '@openfeature/server-sdk';
import request from 'supertest';
import type { Flag as VWOFlag } from '../../lib/engine';
import { VWOHealthIndicator } from '../../lib/health';
import { FeatureFlag, Flag } from '../../lib/http';
import { getVWOInstanceToken, getVWOServiceToken, InjectVWO } from '../../lib/instances';
import { VWOOpenFeatureModule } from '../../lib/openfeature';
import { SettingsBuilder, VWOTestingModule, VWOTestingService } from '../../lib/testing';
import { VWOModule } from '../../lib/vwo.module';
import { VWOService } from '../../lib/vwo.service';

const account = (accountId: number, title: string) =>
  new SettingsBuilder({ accountId }).flag('checkout', { enabled: true, variables: { title } }).flag('beta', { enabled: false }).build();

/** Gated by a named instance only: an app may have no default VWOModule at all. */
@Controller('eu')
class EuController {
  constructor(@InjectVWO('eu') private readonly vwo: VWOService) {}

  @FeatureFlag('checkout', { instance: 'eu' })
  @Get()
  index(@Flag('checkout', { instance: 'eu' }) flag: VWOFlag): { title: unknown } {
    return { title: flag.getVariable('title', 'none') };
  }

  @FeatureFlag('beta', { instance: 'eu' })
  @Get('beta')
  beta(): string {
    return 'beta';
  }

  @Get('service')
  async service(): Promise<{ enabled: boolean }> {
    return { enabled: (await this.vwo.getFlag('checkout', { id: 'u' })).isEnabled() };
  }
}

@Injectable()
class Healths {
  constructor(
    @Inject(getVWOInstanceToken('eu', 'health')) readonly eu: VWOHealthIndicator,
    @Inject(getVWOInstanceToken('apac', 'health')) readonly apac: VWOHealthIndicator,
  ) {}
}

describe('named VWOModule instances: without a default one, health, OpenFeature, testing', () => {
  let app: INestApplication | undefined;

  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  async function boot(imports: NonNullable<Parameters<typeof Test.createTestingModule>[0]['imports']>, extra: Parameters<typeof Test.createTestingModule>[0] = {}) {
    const moduleRef = await Test.createTestingModule({ ...extra, imports }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    return app;
  }

  it('an app with named instances only: guards, param decorators and @InjectVWO work; there is no VWOService class token', async () => {
    const booted = await boot(
      [
        VWOModule.forRoot({ name: 'eu', accountId: 2, settings: account(2, 'EU') }),
        VWOModule.forRoot({ name: 'apac', accountId: 3, settings: account(3, 'APAC') }),
      ],
      { controllers: [EuController] },
    );
    const http = request(booted.getHttpServer());
    await http.get('/eu').set('x-vwo-user-id', 'u1').expect(200, { title: 'EU' });
    await http.get('/eu/beta').set('x-vwo-user-id', 'u1').expect(404);
    await http.get('/eu/service').expect(200, { enabled: true });
    expect(() => booted.get(VWOService)).toThrow();
    expect(booted.get<VWOService>(getVWOServiceToken('apac'))).not.toBe(booted.get(getVWOServiceToken('eu')));
  });

  it('a @FeatureFlag naming an instance the app lacks fails the request with a message naming it', async () => {
    @Controller('missing')
    class MissingController {
      @FeatureFlag('checkout', { instance: 'nowhere' })
      @Get()
      index(): string {
        return 'never';
      }
    }
    const moduleRef = await Test.createTestingModule({
      imports: [VWOModule.forRoot({ accountId: 1, settings: account(1, 'US') })],
      controllers: [MissingController],
    }).compile();
    const logged: string[] = [];
    const note = (message: unknown, ...rest: unknown[]) => void logged.push([message, ...rest].map((m) => (m instanceof Error ? m.message : String(m))).join(' '));
    app = moduleRef.createNestApplication({ logger: { log: () => {}, warn: () => {}, error: note } });
    await app.init();
    const response = await request(app.getHttpServer()).get('/missing').set('x-vwo-user-id', 'u1');
    expect(response.status).toBe(500);
    expect(logged.join('\n')).toContain('No VWOModule named "nowhere"');
  });

  it("each instance's webhook has a route of its own (/vwo/webhook/<name> by default) and its own secret", async () => {
    const booted = await boot([
      VWOModule.forRoot({ accountId: 1, settings: account(1, 'US'), webhook: { secret: 'us-secret' } }),
      VWOModule.forRoot({ name: 'eu', accountId: 2, settings: account(2, 'EU'), webhook: { secret: 'eu-secret' } }),
    ]);
    const http = request(booted.getHttpServer());
    await http.post('/vwo/webhook').set('x-vwo-auth', 'us-secret').expect(202);
    await http.post('/vwo/webhook').set('x-vwo-auth', 'eu-secret').expect(401);
    await http.post('/vwo/webhook/eu').set('x-vwo-auth', 'eu-secret').expect(202);
    await http.post('/vwo/webhook/eu').set('x-vwo-auth', 'us-secret').expect(401);
  });

  it('refuses a name that cannot be one', () => {
    expect(() => VWOModule.forRoot({ name: 'e u', accountId: 1, settings: account(1, 'US') })).toThrow(/name "e u" is not usable/);
    expect(() => VWOModule.forRoot({ name: '', accountId: 1, settings: account(1, 'US') })).toThrow(/not usable/);
  });

  it("each instance's health indicator reports that instance's settings", async () => {
    const booted = await boot(
      [
        VWOModule.forRoot({ name: 'eu', accountId: 2, settings: account(2, 'EU') }),
        VWOModule.forRoot({ name: 'apac', accountId: 3, settings: account(3, 'APAC') }),
      ],
      { providers: [Healths] },
    );
    const healths = booted.get(Healths);
    expect(healths.eu).not.toBe(healths.apac);
    await booted.get<VWOService>(getVWOServiceToken('apac')).updateSettings({ ...account(3, 'APAC'), version: 7 });
    expect(healths.eu.isHealthy('eu').eu).toMatchObject({ status: 'up', version: 1 });
    expect(healths.apac.isHealthy('apac').apac).toMatchObject({ status: 'up', version: 7 });
  });

  it('an OpenFeature provider per instance, each in its own domain', async () => {
    try {
      await boot([
        VWOModule.forRoot({ accountId: 1, settings: account(1, 'US') }),
        VWOModule.forRoot({ name: 'eu', accountId: 2, settings: account(2, 'EU') }),
        VWOOpenFeatureModule.forRoot({ domain: 'us' }),
        VWOOpenFeatureModule.forRoot({ domain: 'eu', instance: 'eu' }),
      ]);
      const context = { targetingKey: 'of-user' };
      expect(await OpenFeature.getClient('us').getStringValue('checkout.title', 'x', context)).toBe('US');
      expect(await OpenFeature.getClient('eu').getStringValue('checkout.title', 'x', context)).toBe('EU');
    } finally {
      await OpenFeature.close();
    }
  });

  it('VWOTestingModule.forRoot({ name }) stands in for a named instance, next to the default one', async () => {
    const booted = await boot(
      [VWOTestingModule.forRoot({ flags: { checkout: { enabled: false } } }), VWOTestingModule.forRoot({ name: 'eu', flags: { checkout: { enabled: true, variables: { title: 'EU test' } } } })],
      { controllers: [EuController] },
    );
    const http = request(booted.getHttpServer());
    await http.get('/eu').expect(200, { title: 'EU test' });
    const eu = booted.get<VWOTestingService>(getVWOServiceToken('eu'));
    eu.disable('checkout');
    await http.get('/eu').expect(404);
    expect(booted.get(VWOTestingService)).not.toBe(eu);
    expect(booted.get(VWOTestingService).evaluations).toEqual([]);
  });

  it('VWOTestingModule.override replaces each instance with a testing module of its name', async () => {
    @Module({
      imports: [
        VWOModule.forRootAsync({ useFactory: () => ({ sdkKey: 'never-used-0123456789abcdef', accountId: 1, proxyUrl: 'http://127.0.0.1:9', waitForSettings: 0 }) }),
        VWOModule.forRootAsync({ name: 'eu', useFactory: () => ({ sdkKey: 'never-used-0123456789abcdef', accountId: 2, proxyUrl: 'http://127.0.0.1:9', waitForSettings: 0 }) }),
      ],
      controllers: [EuController],
    })
    class AppModule {}
    const moduleRef = await VWOTestingModule.override(
      Test.createTestingModule({ imports: [AppModule] }),
      { flags: { checkout: { enabled: false } } },
      { eu: { flags: { checkout: { enabled: true, variables: { title: 'overridden' } } } } },
    ).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    await request(app.getHttpServer()).get('/eu').expect(200, { title: 'overridden' });
    expect(app.get(getVWOServiceToken('eu'))).toBeInstanceOf(VWOTestingService);
    expect(app.get(VWOService)).toBeInstanceOf(VWOTestingService);
    expect(app.get(VWOService)).not.toBe(app.get(getVWOServiceToken('eu')));
  });
});
