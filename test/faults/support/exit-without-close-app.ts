/**
 * Run as a child process: a script on createApplicationContext that tracks EVENTS custom events and returns
 * without app.close(). Batches would leave only after 60 s, so everything is still queued when Node runs
 * out of work; the module must send it on `beforeExit`. Prints "TRACKED <n>" and, on exit, "EXIT <code>".
 */
import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { VWOLogger } from '../../../lib/logger/vwo-logger.interface';
import { VWOModule } from '../../../lib/vwo.module';
import { fakeVwoAccount, printedAs } from './child-vwo-options';
import { VWOService } from '../../../lib/vwo.service';

const stdoutLogger: VWOLogger = { debug: () => undefined, info: printedAs('INFO'), warn: printedAs('WARN'), error: printedAs('ERROR') };

@Module({
  imports: [
    VWOModule.forRoot({
      ...fakeVwoAccount(),
      batchEventData: { requestTimeInterval: 60, eventsPerRequest: 1000 },
      retryConfig: { maxRetries: 1, initialDelay: 0.1 },
      shutdownTimeout: Number(process.env.SHUTDOWN_TIMEOUT),
      logger: { level: 'INFO', transport: stdoutLogger },
    }),
  ],
})
class ScriptModule {}

async function main(): Promise<void> {
  const app = await NestFactory.createApplicationContext(ScriptModule, { logger: false });
  const vwo = app.get(VWOService);
  const count = Number(process.env.EVENTS);
  let tracked = 0;
  for (let i = 0; i < count; i++) if ((await vwo.trackEvent('purchase', { id: `buyer-${i}` }, { amount: i })).purchase) tracked++;
  process.stdout.write(`TRACKED ${tracked}\n`);
  process.on('exit', (code) => process.stdout.write(`EXIT ${code}\n`));
  // No app.close(): the script simply ends here.
}

void main();
