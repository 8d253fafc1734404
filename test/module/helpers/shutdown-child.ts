/**
 * Run as a child process by shutdown.e2e-spec.ts: boots VWOModule against the fake server whose URL is in
 * VWO_FAKE_URL, waits for settings, then (CLOSE=1) closes the app and returns. The process must then exit
 * by itself: anything still holding the event loop (a timer, a socket) makes the parent's test fail.
 */
import 'reflect-metadata';
import { bootVWO, fakeServerOptions } from './boot';

async function main(): Promise<void> {
  const { app, vwo } = await bootVWO(fakeServerOptions(process.env.VWO_FAKE_URL!, { pollInterval: 1000 }));
  process.stdout.write(`ready=${vwo.isReady()}\n`);
  if (process.env.CLOSE === '1') {
    await app.close();
    process.stdout.write('closed\n');
  }
}

void main();
