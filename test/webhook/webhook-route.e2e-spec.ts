import { CanActivate, Controller, Get, INestApplication, Injectable } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import type { VWOModuleOptions } from '../../lib/options/vwo-module-options.interface';
import { VWOOptionsError } from '../../lib/vwo-options.error';
import { VWOModule } from '../../lib/vwo.module';
import { VWOService } from '../../lib/vwo.service';
import { fakeServerOptions } from '../module/helpers/boot';
import { CaptureLogger } from '../module/helpers/capture-logger';
import { shopSettings } from '../module/helpers/shop-settings.fixture';
import { waitUntil } from '../module/helpers/wait-until';
import { FakeVwoServer } from '../support/fake-vwo-server';

const SECRET = 'route-secret';

/** Denies every request: the webhook must not depend on the app's guards. */
@Injectable()
class DenyAll implements CanActivate {
  canActivate(): boolean {
    return false;
  }
}

@Controller('shop')
class ShopController {
  @Get()
  list(): string {
    return 'shop';
  }
}

describe.each(['express', 'fastify'] as const)('the webhook route on %s', (platform) => {
  let server: FakeVwoServer;
  let app: INestApplication | undefined;
  let log: CaptureLogger;

  const start = async (extra: VWOModuleOptions = {}): Promise<string> => {
    const moduleRef = await Test.createTestingModule({
      imports: [VWOModule.forRoot(fakeServerOptions(server.url, { logger: { level: 'INFO', transport: log }, ...extra }))],
      controllers: [ShopController],
    }).compile();
    app = platform === 'fastify' ? moduleRef.createNestApplication(new FastifyAdapter(), { logger: false }) : moduleRef.createNestApplication({ logger: false });
    app.setGlobalPrefix('api');
    app.useGlobalGuards(new DenyAll());
    await app.listen(0, '127.0.0.1');
    const url = new URL(await app.getUrl());
    url.hostname = '127.0.0.1';
    return url.origin;
  };
  const post = async (url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: unknown }> => {
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: '{}' });
    return { status: response.status, body: await response.json().catch(() => undefined) };
  };
  const pulls = () => server.requestsTo('/server-side/v2-pull');

  beforeEach(async () => {
    server = await new FakeVwoServer().start();
    server.settings = shopSettings({ headline: 'first' });
    log = new CaptureLogger();
  });

  afterEach(async () => {
    await app?.close();
    app = undefined;
    await server.stop();
  });

  it('answers 202 to the right x-vwo-auth and pulls from VWO\'s webhook endpoint, past global guards and prefix, with no user', async () => {
    const base = await start({ webhook: { secret: SECRET } });
    expect((await fetch(`${base}/api/shop`)).status).toBe(403); // the app's guard denies its own routes
    server.settings = shopSettings({ headline: 'second', version: 2 });
    const answer = await post(`${base}/vwo/webhook`, { 'x-vwo-auth': SECRET });
    expect(answer).toEqual({ status: 202, body: { statusCode: 202, message: 'Accepted' } });
    await waitUntil(() => app!.get(VWOService).getSnapshot()?.version === 2, 5_000);
    expect(pulls()).toHaveLength(1);
    expect(pulls()[0].query.get('a')).toBe('123456');
    expect(log.matching(/Webhook route POST \/vwo\/webhook registered/, 'INFO')).toHaveLength(1);
  });

  it('answers 401 to a missing or wrong x-vwo-auth and pulls nothing', async () => {
    const base = await start({ webhook: { secret: SECRET } });
    expect(await post(`${base}/vwo/webhook`)).toEqual({ status: 401, body: { statusCode: 401, message: 'Unauthorized' } });
    expect((await post(`${base}/vwo/webhook`, { 'x-vwo-auth': 'nope' })).status).toBe(401);
    expect((await post(`${base}/vwo/webhook`, { 'x-vwo-auth': '' })).status).toBe(401);
    expect(pulls()).toHaveLength(0);
    expect(app!.get(VWOService).getSnapshot()?.version).toBe(1);
  });

  it('serves the configured path only, and no route at all without the option', async () => {
    const base = await start({ webhook: { path: '/hooks/vwo-settings', secret: SECRET } });
    expect((await post(`${base}/hooks/vwo-settings`, { 'x-vwo-auth': SECRET })).status).toBe(202);
    expect((await post(`${base}/vwo/webhook`, { 'x-vwo-auth': SECRET })).status).toBe(404);
    await app!.close();
    const without = await start();
    expect((await post(`${without}/vwo/webhook`, { 'x-vwo-auth': SECRET })).status).toBe(404);
  });
});

describe('the webhook option', () => {
  it.each([
    [{ secret: '' }, /webhook\.secret: must not be empty/],
    [{}, /webhook\.secret: is required/],
    [{ secret: 's', path: 'vwo/webhook' }, /webhook\.path: must be a path starting with "\/"/],
    [{ secret: 's', sekret: 's' }, /webhook\.sekret: unknown option/],
  ])('refuses %j with a message naming what is wrong', async (webhook, message) => {
    const error: unknown = await Test.createTestingModule({ imports: [VWOModule.forRoot({ settings: shopSettings(), webhook } as VWOModuleOptions)] })
      .compile()
      .catch((err: unknown) => err);
    expect(error).toBeInstanceOf(VWOOptionsError);
    expect((error as Error).message).toMatch(message);
  });

  it('in an application without an HTTP server, warns that the route is not served and boots', async () => {
    const log = new CaptureLogger();
    const app = await NestFactory.createApplicationContext(
      VWOModule.forRoot({ settings: shopSettings(), webhook: { secret: SECRET }, logger: { level: 'WARN', transport: log } }),
      { logger: false },
    );
    try {
      expect(app.get(VWOService).isReady()).toBe(true);
      expect(log.matching(/webhook: this application has no HTTP server, so POST \/vwo\/webhook is not served/, 'WARN')).toHaveLength(1);
    } finally {
      await app.close();
    }
  });
});
