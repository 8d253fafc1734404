import { inspect } from 'node:util';
import { VWORequestError } from '../../lib/events/vwo-request.error';
import { eventsTestBed, makeSnapshot, SDK_KEY } from '../events/support/events-test-kit';
import { ResettingServer } from '../support/resetting-server';

const BATCH = '/server-side/batch-events-v2';

describe.each(['httpService', 'workerThread'] as const)('event faults, eventTransport %s', (eventTransport) => {
  const bed = eventsTestBed();
  const { server } = bed;
  // A VWO that is down: a server of this test's own that resets every connection (never a released port).
  let down: ResettingServer | undefined;
  const downUrl = async (): Promise<string> => (down = await ResettingServer.start()).url;
  afterEach(async () => {
    await down?.stop();
    down = undefined;
  });

  it.each([
    ['VWO answers 500', async () => void server.on(BATCH, { status: 500 }).url],
    ['VWO refuses connections', undefined],
  ])('%s: the error handed to flushCallback is a VWORequestError without the SDK key', async (_name, breakServer) => {
    const errors: Array<Error | null> = [];
    const proxyUrl = breakServer ? (await breakServer(), server.url) : await downUrl();
    const ctx = await bed.start({
      eventTransport,
      proxyUrl,
      retryConfig: { maxRetries: 1, initialDelay: 0.01 },
      batchEventData: { flushCallback: (err) => errors.push(err) },
    });
    ctx.events.trackEvent(makeSnapshot(), 'purchase', { id: 'a' });
    await expect(ctx.events.flush()).resolves.toMatchObject({ status: 'failed' });
    const [error] = errors;
    expect(error).toBeInstanceOf(VWORequestError);
    const requestError = error as VWORequestError;
    expect(requestError).toMatchObject({ name: 'VWORequestError', attempts: 2, status: breakServer ? 500 : undefined });
    expect(requestError.url).toContain(`${BATCH}?`);
    expect(requestError.url).toMatch(/env=abcd\*\*\*\*89/);
    // Everything a user might print or ship to an error tracker.
    for (const text of [inspect(error, { depth: 10, showHidden: true }), JSON.stringify(error), String(error), error!.stack ?? '']) {
      expect(text).not.toContain(SDK_KEY);
    }
    expect(JSON.stringify(ctx.logger.lines)).not.toContain(SDK_KEY);
  });

  it('an outage of 100 failed attempts (minutes of retries at the default delays) logs one error line, not one per attempt', async () => {
    const ctx = await bed.start({
      eventTransport,
      proxyUrl: await downUrl(),
      retryConfig: { maxRetries: 3, initialDelay: 0.01, backoffMultiplier: 1 },
      batchEventData: { requestTimeInterval: 0.01 },
    });
    const snapshot = makeSnapshot();
    ctx.events.trackEvent(snapshot, 'purchase', { id: 'a' });
    // 30 s of outage in fast-forward: 100 failed attempts (10 ms apart) instead of a few per minute.
    await waitForAttempts(() => ctx.events.stats.failedRequests, 25, 20_000);
    const visible = ctx.logger.lines.filter((l) => l.level !== 'debug');
    expect(visible.length).toBeLessThanOrEqual(3);
    expect(ctx.logger.at('error')).toHaveLength(1);
    expect(ctx.logger.at('debug').length).toBeGreaterThanOrEqual(25 * 3);
  }, 30_000);
});

async function waitForAttempts(count: () => number, atLeast: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (count() < atLeast) {
    if (Date.now() > deadline) throw new Error(`only ${count()} failed requests within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
