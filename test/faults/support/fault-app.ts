/**
 * Run as a child process by the fault suite: a real Nest HTTP app (Express or Fastify) importing VWOModule,
 * pointed at the parent's fake VWO. It prints one machine-readable line per event the parent waits on:
 *   LISTENING {"port":…,"bootMs":…,"vwoWaitMs":…}   once app.listen() resolved (bootMs: how long listen() took;
 *                                      vwoWaitMs: how much of it VWOModule spent waiting for settings)
 *   VWO <LEVEL> <message>              every line the module logs (level DEBUG, so each retry is visible)
 * and nothing else on stdout. It never closes itself: the parent asserts it stays up, then ends it.
 *
 * Environment: VWO_FAKE_URL, ADAPTER (express | fastify), FALLBACK=1 for the `settings` fallback,
 * WAIT_FOR_SETTINGS, SETTINGS_TIMEOUT, RETRY_BASE_MS (the failure back-off's first step).
 */
import 'reflect-metadata';
import { Controller, Get, INestApplication, Module } from '@nestjs/common';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import type { AddressInfo } from 'node:net';
import { FeatureFlag, FlagVariable } from '../../../lib/http';
import type { VWOLogger } from '../../../lib/logger/vwo-logger.interface';
import { VWO_SETTINGS_RECOVERY } from '../../../lib/settings/settings-recovery';
import { SettingsSyncService } from '../../../lib/settings/settings-sync.service';
import { VWOModule } from '../../../lib/vwo.module';
import { fakeVwoAccount, printedAs } from './child-vwo-options';
import { shopSettings } from '../../module/helpers/shop-settings.fixture';

const env = process.env;

@Controller()
class ShopController {
  @FeatureFlag('new-checkout')
  @Get('checkout')
  checkout(@FlagVariable('new-checkout', 'headline', 'none') headline: string): { headline: string } {
    return { headline };
  }

  @Get('health')
  health(): { up: true } {
    return { up: true };
  }
}

const stdoutLogger: VWOLogger = { trace: printedAs('TRACE'), debug: printedAs('DEBUG'), info: printedAs('INFO'), warn: printedAs('WARN'), error: printedAs('ERROR') };

@Module({
  imports: [
    VWOModule.forRoot({
      ...fakeVwoAccount(),
      waitForSettings: Number(env.WAIT_FOR_SETTINGS),
      settingsTimeout: Number(env.SETTINGS_TIMEOUT),
      // Long enough that only the failure back-off can explain a quick recovery.
      pollInterval: 600_000,
      // One retry inside each fetch: its wait is an unref'd timer pending during boot.
      retryConfig: { maxRetries: 1, initialDelay: 0.2 },
      settings: env.FALLBACK === '1' ? shopSettings({ headline: 'fallback' }) : undefined,
      logger: { level: 'DEBUG', transport: stdoutLogger },
    }),
  ],
  controllers: [ShopController],
})
class FaultAppModule {}

async function main(): Promise<void> {
  const moduleRef = await Test.createTestingModule({ imports: [FaultAppModule] })
    .overrideProvider(VWO_SETTINGS_RECOVERY)
    .useValue({ retryBaseMs: Number(env.RETRY_BASE_MS) })
    .compile();
  // Times the module's own wait, so a test on a loaded machine can tell it from the rest of Nest's boot.
  const sync = moduleRef.get(SettingsSyncService);
  const init = sync.onModuleInit.bind(sync);
  let vwoWaitMs = -1;
  sync.onModuleInit = async () => {
    const from = Date.now();
    await init();
    vwoWaitMs = Date.now() - from;
  };
  const adapter = env.ADAPTER === 'fastify' ? new FastifyAdapter() : new ExpressAdapter();
  const app: INestApplication = moduleRef.createNestApplication(adapter, { logger: ['error'] });
  // listen() runs the lifecycle hooks (where VWOModule waits for settings), then opens the port.
  const started = Date.now();
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  process.stdout.write(`LISTENING ${JSON.stringify({ port, bootMs: Date.now() - started, vwoWaitMs })}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`boot failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exitCode = 1;
});
