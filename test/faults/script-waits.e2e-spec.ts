import { join } from 'node:path';
import { FakeVwoServer } from '../support/fake-vwo-server';
import { shopSettings } from '../module/helpers/shop-settings.fixture';
import { ChildApp } from './support/child-app';

const SCRIPT = join(__dirname, 'support', 'ready-wait-app.ts');
const WAIT_MS = 1500;
const RESULT = /^RESULT (\S+) after (\d+) ms/;

/** A fake VWO that resets every connection until healed (it keeps its port meanwhile). */
async function downVwo(): Promise<{ server: FakeVwoServer; url: string; heal: () => void }> {
  const server = await new FakeVwoServer().start();
  server.settings = shopSettings({ headline: 'from VWO' });
  server.goDown();
  return { server, url: server.url, heal: () => server.comeBack() };
}

/**
 * Runs the script (with `env`) against a VWO that is down, lets `waits` follow it, then holds it to ending by
 * itself with code 0: nothing of ours holds the process after the wait. Stops the script and VWO either way.
 */
async function runScript(env: Record<string, string>, waits: (child: ChildApp, vwo: { heal: () => void }) => Promise<void>): Promise<void> {
  const vwo = await downVwo();
  const child = new ChildApp(SCRIPT, { VWO_FAKE_URL: vwo.url, ...env });
  try {
    await waits(child, vwo);
    await child.waitForExit(10_000);
    expect(child.exit?.code).toBe(0);
  } finally {
    await child.stop();
    await vwo.server.stop();
  }
}

/**
 * Scripts and workers without an HTTP server: while they await settings with VWO down, only unref'd retry
 * timers are pending, so without a hold Node would end them midway with exit code 0.
 */
describe('a script waiting for settings while VWO is down', () => {
  it.concurrent.each([
    ['whenReady(timeoutMs) waits the whole timeout, then resolves false', 'when-ready-timeout', 'false'],
    ['VWOOpenFeatureModule waits initTimeoutMs at boot, then evaluates to the default', 'openfeature', 'false'],
  ])('%s', async (_name: string, mode: string, expected: string) => {
    await runScript({ MODE: mode, WAIT_MS: String(WAIT_MS) }, async (child) => {
      const line = await child.waitForLine(RESULT, 60_000);
      const [, value, elapsed] = RESULT.exec(line.text)!;
      expect(value).toBe(expected);
      expect(Number(elapsed)).toBeGreaterThanOrEqual(WAIT_MS);
    });
  }, 90_000);

  it.concurrent('whenReady() without a timeout holds the script until VWO answers', async () => {
    await runScript({ MODE: 'when-ready' }, async (child, vwo) => {
      const waiting = await child.waitForLine(/^WAITING$/, 60_000);
      // Failed fetches, each followed by an unref'd back-off: the script must still be there.
      await child.waitForLines(/retrying in \d+ ms/, 3, 30_000, waiting.at);
      expect(child.running).toBe(true);
      vwo.heal();
      const line = await child.waitForLine(RESULT, 30_000, waiting.at);
      expect(RESULT.exec(line.text)![1]).toBe('true');
    });
  }, 90_000);
});
