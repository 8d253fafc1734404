/**
 * Run as a child process: a script (no HTTP server) that waits for VWO settings while VWO refuses
 * connections, and prints what it got. Node must not end it in the middle of the wait.
 *   MODE=when-ready-timeout  await vwo.whenReady(WAIT_MS)                        → "RESULT false after N ms"
 *   MODE=when-ready          await vwo.whenReady() (the parent heals VWO after "WAITING")  → "RESULT true after N ms"
 *   MODE=openfeature         VWOOpenFeatureModule's boot waits initTimeoutMs      → "RESULT <flag value> after N ms"
 * Then it closes the app and ends on its own.
 */
import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { OpenFeature } from '@openfeature/server-sdk';
import { VWOOpenFeatureModule } from '../../../lib/openfeature';
import type { VWOLogger } from '../../../lib/logger/vwo-logger.interface';
import { VWOModule } from '../../../lib/vwo.module';
import { fakeVwoAccount, printedAs } from './child-vwo-options';
import { VWOService } from '../../../lib/vwo.service';

const mode = process.env.MODE;
const stdoutLogger: VWOLogger = { debug: printedAs('DEBUG'), info: printedAs('INFO'), warn: printedAs('WARN'), error: printedAs('ERROR') };
const waitMs = Number(process.env.WAIT_MS);

@Module({
  imports: [
    VWOModule.forRoot({
      ...fakeVwoAccount(),
      // Boot does not wait: the wait under test is the script's own.
      waitForSettings: 0,
      settingsTimeout: 500,
      pollInterval: 1000,
      retryConfig: { maxRetries: 1, initialDelay: 0.2 },
      logger: { level: 'DEBUG', transport: stdoutLogger },
    }),
    ...(mode === 'openfeature' ? [VWOOpenFeatureModule.forRoot({ initTimeoutMs: waitMs })] : []),
  ],
})
class ScriptModule {}

async function main(): Promise<void> {
  const started = Date.now();
  const app = await NestFactory.createApplicationContext(ScriptModule, { logger: false });
  const vwo = app.get(VWOService);
  let result: unknown;
  if (mode === 'openfeature') {
    result = await OpenFeature.getClient().getBooleanValue('new-checkout', false, { targetingKey: 'user-1' });
  } else if (mode === 'when-ready') {
    process.stdout.write('WAITING\n');
    result = await vwo.whenReady();
  } else {
    result = await vwo.whenReady(waitMs);
  }
  process.stdout.write(`RESULT ${String(result)} after ${Date.now() - started} ms\n`);
  await app.close();
  await OpenFeature.close();
}

void main();
