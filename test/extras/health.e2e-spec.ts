import { Controller, Get, INestApplication, Module } from '@nestjs/common';
import { HealthCheck, HealthCheckService, TerminusModule } from '@nestjs/terminus';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { VWOHealthIndicator } from '../../lib/health';
import type { VWOModuleOptions } from '../../lib/options/vwo-module-options.interface';
import { SettingsBuilder } from '../../lib/testing/settings-builder';
import { VWOModule } from '../../lib/vwo.module';
import { VWOService } from '../../lib/vwo.service';
import { FakeVwoServer } from '../support/fake-vwo-server';

const settings = (version: number) => new SettingsBuilder({ accountId: 123456, version }).flag('checkout', { enabled: true }).build();
/** Settings older than this are stale in these tests. */
const MAX_AGE_MS = 150;

@Controller('health')
class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly vwoHealth: VWOHealthIndicator,
  ) {}

  @Get()
  @HealthCheck()
  check() {
    return this.health.check([() => this.vwoHealth.isHealthy('vwo', { maxAgeMs: MAX_AGE_MS })]);
  }

  @Get('default')
  @HealthCheck()
  checkWithDefaults() {
    return this.health.check([() => this.vwoHealth.isHealthy()]);
  }
}

/** A user's health module: terminus plus our indicator, next to a global VWOModule. */
@Module({ imports: [TerminusModule.forRoot({ logger: false })], controllers: [HealthController], providers: [VWOHealthIndicator] })
class HealthModule {}

async function boot(options: VWOModuleOptions): Promise<INestApplication> {
  const moduleRef = await Test.createTestingModule({ imports: [VWOModule.forRoot(options), HealthModule] }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  await app.init();
  return app;
}

/** Settings age is read from Date.now(): only Date is faked, so the tests move the clock instead of sleeping. */
const FAKE_DATE_ONLY = {
  doNotFake: [
    'hrtime',
    'nextTick',
    'performance',
    'queueMicrotask',
    'setImmediate',
    'clearImmediate',
    'setInterval',
    'clearInterval',
    'setTimeout',
    'clearTimeout',
  ],
} as const satisfies Parameters<typeof jest.useFakeTimers>[0];
const advanceClock = (ms: number) => jest.setSystemTime(Date.now() + ms);

describe('VWOHealthIndicator under @nestjs/terminus', () => {
  let server: FakeVwoServer;
  let app: INestApplication | undefined;

  const online = (extra: VWOModuleOptions = {}): VWOModuleOptions => ({
    sdkKey: 'test-sdk-key-0123456789abcdef',
    accountId: 123456,
    proxyUrl: server.url,
    retryConfig: { shouldRetry: false },
    // Boot returns as soon as settings arrive: generous bounds cost nothing when the fake server answers at once.
    settingsTimeout: 5_000,
    waitForSettings: 10_000,
    ...extra,
  });

  beforeEach(async () => {
    jest.useFakeTimers(FAKE_DATE_ONLY);
    server = await new FakeVwoServer().start();
    server.settings = settings(7);
  });

  afterEach(async () => {
    await app?.close();
    app = undefined;
    await server.stop();
    jest.useRealTimers();
  });

  it('is up with fresh fetched settings, naming their version and age', async () => {
    app = await boot(online());
    const res = await request(app.getHttpServer()).get('/health').expect(200);
    expect(res.body.status).toBe('ok');
    expect(res.body.info.vwo).toMatchObject({ status: 'up', ready: true, version: 7, source: 'fetch', maxAgeMs: MAX_AGE_MS });
    expect(res.body.info.vwo.settingsAgeMs).toBe(0); // the clock stands still until a test moves it
    expect(Date.parse(res.body.info.vwo.lastUpdatedAt)).toBe(Date.now());
  });

  it('is down (503) before any settings, with the fetch error', async () => {
    server.on('/server-side/v2-settings', { status: 500 });
    app = await boot(online({ waitForSettings: 200 }));
    const res = await request(app.getHttpServer()).get('/health').expect(503);
    expect(res.body.status).toBe('error');
    expect(res.body.error.vwo).toMatchObject({ status: 'down', ready: false });
    expect(res.body.error.vwo.lastFetchError).toEqual(expect.stringContaining('500'));
    expect(res.body.error.vwo).not.toHaveProperty('settingsAgeMs');
  });

  it('goes down once settings are older than maxAgeMs and the refresh failed, and up again after a good fetch', async () => {
    app = await boot(online());
    await request(app.getHttpServer()).get('/health').expect(200);
    server.on('/server-side/v2-settings', () => (server.settings === null ? { status: 502 } : undefined));
    server.settings = null;
    expect(await app.get(VWOService).updateSettings(undefined, false)).toBe(false);
    advanceClock(MAX_AGE_MS);
    await request(app.getHttpServer()).get('/health').expect(200); // exactly maxAgeMs old: still fresh
    advanceClock(1);

    const down = await request(app.getHttpServer()).get('/health').expect(503);
    expect(down.body.error.vwo).toMatchObject({ status: 'down', ready: true, version: 7 });
    expect(down.body.error.vwo.settingsAgeMs).toBe(MAX_AGE_MS + 1);
    expect(down.body.error.vwo.lastFetchError).toEqual(expect.stringContaining('502'));
    expect(Date.parse(down.body.error.vwo.lastFetchErrorAt)).not.toBeNaN();

    server.settings = settings(8);
    expect(await app.get(VWOService).updateSettings(undefined, false)).toBe(true);
    const up = await request(app.getHttpServer()).get('/health').expect(200);
    expect(up.body.info.vwo).toMatchObject({ status: 'up', version: 8 });
    expect(up.body.info.vwo).not.toHaveProperty('lastFetchError');
  });

  it('defaults the maximum age to three poll intervals', async () => {
    app = await boot(online({ pollInterval: 60_000 }));
    const res = await request(app.getHttpServer()).get('/health/default').expect(200);
    expect(res.body.info.vwo.maxAgeMs).toBe(180_000);
  });

  it('never calls offline settings stale', async () => {
    app = await boot({ accountId: 123456, settings: settings(3) });
    advanceClock(10 * MAX_AGE_MS);
    const res = await request(app.getHttpServer()).get('/health').expect(200);
    expect(res.body.info.vwo).toMatchObject({ status: 'up', ready: true, version: 3, source: 'option' });
    expect(res.body.info.vwo).not.toHaveProperty('maxAgeMs');
    expect(server.requests).toHaveLength(0);
  });
});
