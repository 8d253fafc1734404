import { join } from 'node:path';
import { FakeVwoServer } from '../support/fake-vwo-server';
import { shopSettings } from '../module/helpers/shop-settings.fixture';
import { ChildApp, ChildLine } from './support/child-app';
import { VWO_FAULTS, VwoFault } from './support/vwo-faults';

const FAULT_APP = join(__dirname, 'support', 'fault-app.ts');
const SDK_KEY = 'test-sdk-key-0123456789abcdef';
const WAIT_FOR_SETTINGS_MS = 1500;
const SETTINGS_TIMEOUT_MS = 500;
/** The in-fetch retry of fault-app.ts (retryConfig.initialDelay). */
const IN_FETCH_RETRY_MS = 200;
const RETRY_BASE_MS = 300;
/**
 * Room for a loaded machine (fourteen children at once on two shared cores) on top of the delays the module
 * promises; far below what breaking them would take (an app waiting for VWO waits until it is healed).
 */
const SLACK_MS = 5_000;
const FAILED_FETCH = /^VWO (ERROR|WARN|DEBUG) .*retrying in (\d+) ms/;

interface Run {
  child: ChildApp;
  port: number;
  bootMs: number;
  vwoWaitMs: number;
  listeningAt: number;
}

async function checkout(port: number): Promise<{ status: number; headline?: string }> {
  const response = await fetch(`http://127.0.0.1:${port}/checkout`, { headers: { 'x-vwo-user-id': 'user-1' } });
  const body = (await response.json()) as { headline?: string };
  return { status: response.status, headline: body.headline };
}

async function waitForCheckout(port: number, headline: string, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const answer = await checkout(port);
    if (answer.headline === headline) return Date.now();
    if (Date.now() > deadline) throw new Error(`checkout still answers ${JSON.stringify(answer)} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function start(url: string, adapter: string, fallback: boolean): Promise<Run> {
  const child = new ChildApp(FAULT_APP, {
    VWO_FAKE_URL: url,
    ADAPTER: adapter,
    FALLBACK: fallback ? '1' : '0',
    WAIT_FOR_SETTINGS: String(WAIT_FOR_SETTINGS_MS),
    SETTINGS_TIMEOUT: String(SETTINGS_TIMEOUT_MS),
    RETRY_BASE_MS: String(RETRY_BASE_MS),
  });
  // Loading Nest under a TS loader takes seconds on a busy machine; bootMs is what the module answers for.
  return child.waitForLine(/^LISTENING /, 60_000).then(
    (line: ChildLine) => ({ child, ...(JSON.parse(line.text.slice('LISTENING '.length)) as Omit<Run, 'child' | 'listeningAt'>), listeningAt: line.at }),
    async (err: unknown) => {
      await child.stop();
      throw err;
    },
  );
}

/**
 * Each fault, against a real Nest HTTP app in a child process: it listens within waitForSettings + 1 s,
 * stays up through failed fetches answering its gated route (fail closed, or from the `settings`
 * fallback), recovers within one failure back-off once VWO is healthy, and the process never exits.
 */
describe.each([
  { adapter: 'express', fallback: false, whileDown: { status: 404 } },
  { adapter: 'fastify', fallback: true, whileDown: { status: 200, headline: 'fallback' } },
])('VWO down at boot: $adapter app, settings fallback: $fallback', ({ adapter, fallback, whileDown }) => {
  it.concurrent.each(VWO_FAULTS.map((fault) => [fault.name, fault] as const))('VWO %s', async (_name: string, fault: VwoFault) => {
    const server = await new FakeVwoServer().start();
    server.settings = shopSettings({ headline: 'from VWO' });
    const { url, heal } = await fault.inject(server);
    const run = await start(url, adapter, fallback).catch(async (err: unknown) => {
      await server.stop();
      throw err;
    });
    const { child, port } = run;
    try {
      // The module's wait within waitForSettings + 1 s; the whole listen() too, with room for a loaded machine.
      expect(run.vwoWaitMs).toBeGreaterThanOrEqual(0);
      expect(run.vwoWaitMs).toBeLessThanOrEqual(WAIT_FOR_SETTINGS_MS + 1000 + SLACK_MS);
      expect(run.bootMs).toBeLessThanOrEqual(WAIT_FOR_SETTINGS_MS + 1000 + SLACK_MS);
      expect(await checkout(port)).toMatchObject(whileDown);
      if (!fallback) expect(child.matching(/^VWO ERROR No settings after (\d+) ms/)).toHaveLength(1);

      await child.waitForLines(FAILED_FETCH, fault.failuresWhileDown, 30_000, run.listeningAt);
      expect(await checkout(port)).toMatchObject(whileDown);
      expect(child.running).toBe(true);

      const healedAt = Date.now();
      await heal();
      const recoveredAt = await waitForCheckout(port, 'from VWO', 30_000);
      // One failure back-off: the longest wait announced, plus an attempt already under way when VWO healed.
      const backoffs = child.matching(FAILED_FETCH).filter((l) => l.at <= recoveredAt).map((l) => Number(FAILED_FETCH.exec(l.text)![2]));
      const oneBackoff = Math.max(...backoffs) + 2 * SETTINGS_TIMEOUT_MS + IN_FETCH_RETRY_MS;
      expect(recoveredAt - healedAt).toBeLessThanOrEqual(oneBackoff + SLACK_MS);

      expect(child.running).toBe(true);
      expect(child.output).not.toContain(SDK_KEY);
      // One error line per kind of failure in the outage, none per retry. Usually that is one line; on a loaded
      // machine an attempt may also time out, which is a second kind (network) and says so once.
      const kinds = child.matching(/^VWO ERROR Settings/).map((l) => l.text.replace(/ \(.*$/, ''));
      expect(kinds.length).toBeGreaterThanOrEqual(1);
      expect(new Set(kinds).size).toBe(kinds.length);
      expect(child.matching(/^VWO INFO Settings requests succeed again after \d+ failed attempt/)).toHaveLength(1);
    } finally {
      await child.stop();
      await server.stop();
    }
  }, 120_000);
});
