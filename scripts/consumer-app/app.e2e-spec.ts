/**
 * A user's Jest e2e test, run by scripts/consumer-check.sh inside the packed-tarball consumer app (Nest 11 and
 * Nest 12): the app's AppModule imports VWOModule through forRootAsync, and the test swaps in the testing module.
 * The VWO URL of the app's configuration is a local server that records requests and never answers: the real
 * module would wait there for settings (5 s); the swapped app must never call it.
 */
import 'reflect-metadata';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Controller, Get, Injectable, type INestApplication, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { FeatureFlag, Flag, VWOModule, VWOService } from 'nestjs-vwo';
import { VWOTestingModule, VWOTestingService } from 'nestjs-vwo/testing';

@Injectable()
class AppConfig {
  static vwoUrl = 'http://127.0.0.1:1';
  readonly vwo = { sdkKey: 'consumer-sdk-key-0123456789abcdef', accountId: 123456, proxyUrl: AppConfig.vwoUrl, waitForSettings: 5000 };
}

@Module({ providers: [AppConfig], exports: [AppConfig] })
class ConfigModule {}

@Controller()
class CheckoutController {
  constructor(private readonly vwo: VWOService) {}

  @Get('checkout')
  @FeatureFlag('checkout')
  async checkout(@Flag('checkout') flag: Flag): Promise<{ title: unknown; tracked: Record<string, boolean> }> {
    return { title: flag.getVariable('title', 'Checkout'), tracked: await this.vwo.trackEvent('purchase', { id: 'buyer' }) };
  }
}

@Module({
  imports: [VWOModule.forRootAsync({ imports: [ConfigModule], inject: [AppConfig], useFactory: (config: AppConfig) => config.vwo })],
  controllers: [CheckoutController],
})
class AppModule {}

describe('AppModule with VWOTestingModule in place of its forRootAsync VWOModule', () => {
  let vwoServer: Server;
  const vwoRequests: string[] = [];
  let app: INestApplication | undefined;

  beforeAll(async () => {
    vwoServer = createServer((req) => vwoRequests.push(req.url ?? ''));
    await new Promise<void>((resolve) => vwoServer.listen(0, '127.0.0.1', resolve));
    AppConfig.vwoUrl = `http://127.0.0.1:${(vwoServer.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await app?.close();
    vwoServer.closeAllConnections();
    await new Promise((resolve) => vwoServer.close(resolve));
  });

  it('serves the flags of the test, with no request to VWO and no wait', async () => {
    const moduleRef = await VWOTestingModule.override(Test.createTestingModule({ imports: [AppModule] }), {
      flags: { checkout: { enabled: true, variables: { title: 'From the test' } } },
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    // Boot does not wait for settings: the real module would have asked the (silent) server and waited for it.
    expect(vwoRequests).toEqual([]);
    await app.listen(0, '127.0.0.1');
    const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    const body = await (await fetch(`${url}/checkout`, { headers: { 'x-vwo-user-id': 'user-1' } })).json();

    expect(body).toEqual({ title: 'From the test', tracked: { purchase: true } });
    expect(app.get(VWOTestingService).trackedEvents.map((event) => event.eventName)).toEqual(['purchase']);
    app.get(VWOTestingService).disable('checkout');
    expect((await fetch(`${url}/checkout`, { headers: { 'x-vwo-user-id': 'user-1' } })).status).toBe(404);
    expect(vwoRequests).toEqual([]);
  }, 60_000); // a packed app under ts-jest: seconds on a busy machine
});
