import { execFile } from 'node:child_process';
import { join } from 'node:path';
import type { EventsOptions, EventsTuning } from '../../lib/events/events-options.interface';
import { getUUID } from '../../lib/events/visitor-id';
import {
  ACCOUNT_ID,
  batchedEnvelopes,
  eventsTestBed,
  FAST_RETRY,
  makeDecision,
  makeSnapshot,
  SCHEDULING_SLACK_MS,
} from './support/events-test-kit';
import { ResettingServer } from '../support/resetting-server';

const BATCH = '/server-side/batch-events-v2';
/**
 * The probe child is killed after this long: below its 60 s batch timer and retry delay (what would keep it alive),
 * far above what starting it under a TypeScript loader takes on a busy machine.
 */
const PROBE_KILLED_AFTER_MS = 45_000;
const impression = makeDecision([{ campaignId: 1, variationId: 1, featureId: 1 }]);

// Every fault is checked on both transports: the app's HttpService (default) and the worker thread.
describe.each(['httpService', 'workerThread'] as const)('VWOEventsService under faults (docs/events.md), eventTransport %s', (eventTransport) => {
  const testBed = eventsTestBed();
  const { server } = testBed;
  const bed = { ...testBed, start: (options: Partial<EventsOptions>, tuning?: Partial<EventsTuning>) => testBed.start({ eventTransport, ...options }, tuning) };

  it('500, 500, then 200: the batch is resent unchanged and each event is delivered exactly once', async () => {
    const ctx = await bed.start({ proxyUrl: server.url, retryConfig: FAST_RETRY });
    const statuses: number[] = [];
    const plan = [500, 500];
    server.on(BATCH, () => {
      const status = plan.shift() ?? 200;
      statuses.push(status);
      return { status };
    });
    for (const id of ['a', 'b', 'c']) ctx.events.impressions(makeSnapshot(), impression, { id });
    await expect(ctx.events.flush()).resolves.toEqual({ status: 'success', events: 3 });
    expect(statuses).toEqual([500, 500, 200]);
    expect(new Set(server.requests.map((r) => r.body)).size).toBe(1);
    const delivered = batchedEnvelopes(server.requests.filter((_, i) => statuses[i] === 200));
    expect(delivered.map((e) => e.d.visId).sort()).toEqual(['a', 'b', 'c'].map((id) => getUUID(id, ACCOUNT_ID)).sort());
    // One error line for the outage, each further failure at debug level, one line when it ends.
    expect(ctx.logger.at('error').filter((m) => m.includes('Retrying in'))).toHaveLength(1);
    expect(ctx.logger.at('debug').filter((m) => m.includes('Retrying in'))).toHaveLength(1);
    expect(ctx.logger.at('info').filter((m) => /Event requests to VWO succeed again after 2 failed attempt/.test(m))).toHaveLength(1);
  });

  it('500, 500, then 200 on /events/t (batching off): one event delivered once, same URL resent', async () => {
    const ctx = await bed.start({ proxyUrl: server.url, isBatchingDisabled: true, retryConfig: FAST_RETRY });
    server.sequence('/events/t', [500, 500]);
    ctx.events.trackEvent(makeSnapshot(), 'purchase', { id: 'a' });
    await expect(ctx.events.flush()).resolves.toEqual({ status: 'success', events: 1 });
    expect(server.requests).toHaveLength(3);
    expect(new Set(server.requests.map((r) => r.rawQuery + r.body)).size).toBe(1);
  });

  it('a 400 is not retried, is logged, and its batch is not queued again', async () => {
    const ctx = await bed.start({ proxyUrl: server.url, retryConfig: FAST_RETRY });
    server.on(BATCH, { status: 400 });
    ctx.events.impressions(makeSnapshot(), impression, { id: 'a' });
    await expect(ctx.events.flush()).resolves.toEqual({ status: 'failed', events: 1 });
    // Nothing queued again and nothing in flight (no retry pending): a second flush has nothing to send.
    await expect(ctx.events.flush()).resolves.toEqual({ status: 'empty', events: 0 });
    expect(server.requests).toHaveLength(1);
    expect(ctx.events.stats).toMatchObject({ queued: 0, droppedEvents: 1 });
    expect(ctx.logger.at('error').join('\n')).toContain(`${BATCH} was rejected with status 400; not retried`);
    expect(ctx.logger.at('error').join('\n')).not.toContain('sdk');
  });

  it('a hanging server: the request times out and is retried', async () => {
    // Long enough for the retry to be answered on a busy machine (a worker thread starting included).
    const requestTimeoutMs = 3_000;
    const ctx = await bed.start({ proxyUrl: server.url, retryConfig: FAST_RETRY }, { requestTimeoutMs });
    let calls = 0;
    server.on(BATCH, () => (++calls === 1 ? { hang: true } : { status: 200 }));
    ctx.events.impressions(makeSnapshot(), impression, { id: 'a' });
    const started = Date.now();
    await expect(ctx.events.flush()).resolves.toEqual({ status: 'success', events: 1 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(requestTimeoutMs);
    expect(server.requests).toHaveLength(2);
    expect(ctx.logger.at('error')[0]).toMatch(/(timeout of 3000ms exceeded|timed out after 3000 ms)\. Retrying in 0\.02 seconds, attempt 1 of 3/);
  });

  it('failed batches stay queued through retries and go out on the next timer', async () => {
    const ctx = await bed.start({
      proxyUrl: server.url,
      retryConfig: { shouldRetry: false },
      batchEventData: { requestTimeInterval: 0.05 },
    });
    server.sequence(BATCH, [503]);
    ctx.events.impressions(makeSnapshot(), impression, { id: 'a' });
    await server.waitFor((r) => r.length === 2);
    expect(server.requests[0].body).toBe(server.requests[1].body);
  });

  it('shutdown finishes within shutdownTimeout while the server is down', async () => {
    const down = await ResettingServer.start();
    try {
      const ctx = await bed.start({ proxyUrl: down.url, shutdownTimeout: 300 });
      for (let i = 0; i < 250; i++) ctx.events.impressions(makeSnapshot(), impression, { id: `u${i}` });
      const started = Date.now();
      await bed.closeApp();
      const took = Date.now() - started;
      const { logger } = ctx;
      // It kept trying until the deadline (the default retries would go on for seconds), then gave up.
      expect(took).toBeGreaterThanOrEqual(250);
      expect(took).toBeLessThan(300 + SCHEDULING_SLACK_MS);
      expect(logger.at('warn').join('\n')).toMatch(/did not finish within 300 ms[\s\S]*Dropped 250 VWO event\(s\) because they could not be delivered before shutdown/);
    } finally {
      await down.stop();
    }
  });

  it('shutdown finishes within shutdownTimeout while the server hangs, aborting the requests', async () => {
    const ctx = await bed.start({ proxyUrl: server.url, shutdownTimeout: 200 }, { requestTimeoutMs: 60_000 });
    server.on(BATCH, { hang: true });
    ctx.events.impressions(makeSnapshot(), impression, { id: 'a' });
    const flushing = ctx.events.flush();
    await server.waitFor((r) => r.length === 1); // the request is out and hanging
    const started = Date.now();
    await bed.closeApp();
    // The request would hang for its 60 s timeout: shutdown aborts it at its 200 ms deadline instead.
    expect(Date.now() - started).toBeLessThan(200 + SCHEDULING_SLACK_MS);
    await expect(flushing).resolves.toEqual({ status: 'failed', events: 1 });
    expect(server.requests).toHaveLength(1);
  });

  it('with the server up, 10,000 queued events all arrive after app.close()', async () => {
    // What is promised is delivery, not its speed: a shutdown deadline a busy CI machine cannot miss. Exactly once
    // holds while requests are answered within their timeout: one a busy machine cannot miss either.
    const ctx = await bed.start({ proxyUrl: server.url, maxQueueSize: 10_000, shutdownTimeout: 60_000 }, { requestTimeoutMs: 60_000 });
    const snapshot = makeSnapshot();
    for (let i = 0; i < 10_000; i++) ctx.events.impressions(snapshot, impression, { id: `user-${i}` });
    expect(ctx.events.stats.queued).toBeGreaterThan(9000);
    await bed.closeApp();
    const { logger } = ctx;
    const envelopes = batchedEnvelopes(server.requests);
    expect(envelopes).toHaveLength(10_000);
    expect(new Set(envelopes.map((e) => e.d.visId)).size).toBe(10_000);
    expect(server.requests.every((r) => (r.json as { ev: unknown[] }).ev.length <= 100)).toBe(true);
    expect(logger.at('warn')).toEqual([]);
  });

  it('events after shutdown are dropped and counted, not sent', async () => {
    const ctx = await bed.start({ proxyUrl: server.url });
    await ctx.events.beforeApplicationShutdown();
    ctx.events.impressions(makeSnapshot(), impression, { id: 'late' });
    await ctx.events.flush();
    expect(server.requests).toHaveLength(0);
    expect(ctx.events.stats.droppedEvents).toBe(1);
  });

  it('no timer or retry keeps the process alive', async () => {
    const down = await ResettingServer.start();
    const probe = join(__dirname, 'support', 'unref-probe.ts');
    try {
      const out = await new Promise<string>((resolve, reject) =>
        execFile(process.execPath, ['-r', '@swc-node/register', probe, String(down.port)], { timeout: PROBE_KILLED_AFTER_MS }, (err, stdout) =>
          err ? reject(err) : resolve(stdout),
        ),
      );
      // On beforeExit the queue is sent (here: attempted, the server is down) within shutdownTimeout, then the
      // process ends by itself: the probe's 60 s batch timer and retry delay would otherwise keep it alive until killed.
      expect(out).toContain('exited queued=0');
    } finally {
      await down.stop();
    }
  }, PROBE_KILLED_AFTER_MS + 15_000);
});

describe('VWOEventsService unbatched during an outage', () => {
  const bed = eventsTestBed();

  it('bounds the events in flight by maxQueueSize and drops the rest', async () => {
    bed.server.on('/events/t', { hang: true });
    const ctx = await bed.start(
      { proxyUrl: bed.server.url, isBatchingDisabled: true, maxQueueSize: 5, shutdownTimeout: 100 },
      { requestTimeoutMs: 10_000 },
    );
    for (let i = 0; i < 8; i++) ctx.events.trackEvent(makeSnapshot(), 'purchase', { id: `u${i}` });
    expect(ctx.events.stats).toMatchObject({ inFlightRequests: 5, droppedEvents: 3 });
    expect(ctx.logger.at('warn')[0]).toContain('unbatched events are already in flight');
    await bed.closeApp();
    expect(ctx.events.stats.inFlightRequests).toBe(0);
  });
});
