import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { EventSink } from './support/event-sink';
import { ResettingServer } from '../support/resetting-server';
import { EventsApp, makeDecision, makeSnapshot, startEventsApp } from './support/events-test-kit';

const TOTAL = 100_000;
/** Impressions per event-loop turn: a busy app that still yields to I/O between requests. */
const SLICE = 200;
/**
 * The producer waits while this many events are queued: past maxQueueSize (10,000) the queue drops the oldest by
 * design (the next test), and on a busy machine the sink may drain slower than the loop produces. Here the
 * subject is delivery, exactly once and in full batches, with bounded memory.
 */
const HIGH_WATER = 5_000;
/** Retained heap is sampled after a full GC every this many impressions (garbage not yet collected says nothing). */
const SAMPLE_EVERY = 10_000;
/** These tests push 100,000 and 40,000 events through a real app: seconds when idle, far more on a busy 2-core CI. */
const LOAD_TEST_TIMEOUT_MS = 180_000;

/** A full collection, so heap samples measure what is retained (queue, caches), not garbage awaiting GC. */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

/**
 * Feeds `total` impressions of distinct users in slices (yielding to I/O between slices) and reports the
 * largest queue seen and the peak retained heap growth in MB. Above `highWater` queued events it waits for the sends.
 */
async function driveImpressions(ctx: EventsApp, total: number, userPrefix: string, highWater = Infinity): Promise<{ maxQueued: number; growthMb: number }> {
  const snapshot = makeSnapshot();
  const decision = makeDecision([{ campaignId: 1, variationId: 1, featureId: 1 }]);
  collectGarbage();
  const baseline = process.memoryUsage().heapUsed;
  let peak = baseline;
  let maxQueued = 0;
  for (let i = 0; i < total; i += SLICE) {
    for (let j = i; j < i + SLICE; j++) ctx.events.impressions(snapshot, decision, { id: `${userPrefix}-${j}` });
    if ((i + SLICE) % SAMPLE_EVERY === 0) {
      collectGarbage();
      peak = Math.max(peak, process.memoryUsage().heapUsed);
    }
    maxQueued = Math.max(maxQueued, ctx.events.stats.queued);
    await new Promise((r) => setImmediate(r));
    while (ctx.events.stats.queued > highWater) await new Promise((r) => setTimeout(r, 5));
  }
  return { maxQueued, growthMb: (peak - baseline) / 1048576 };
}

describe('VWOEventsService under load', () => {
  let sink: EventSink;
  let ctx: EventsApp | undefined;

  beforeAll(async () => {
    sink = await EventSink.start();
  });
  afterAll(async () => {
    await ctx?.app.close();
    await sink.stop();
  });

  it('100,000 impressions over distinct users arrive in batches of 100 with bounded heap growth', async () => {
    // Exactly-once is only promised while requests answer within the timeout: one a busy machine cannot miss.
    ctx = await startEventsApp({ proxyUrl: sink.url }, { requestTimeoutMs: 60_000 });
    const started = Date.now();
    const { maxQueued, growthMb } = await driveImpressions(ctx, TOTAL, 'load-user', HIGH_WATER);
    await ctx.events.flush();
    const elapsed = Date.now() - started;
    const received = await sink.stats();
    process.stdout.write(
      `[events load] ${TOTAL} impressions in ${elapsed} ms, ${received.requests} batch requests, ` +
        `peak retained heap growth ${growthMb.toFixed(1)} MB, max queued ${maxQueued}, dropped ${ctx.events.stats.droppedEvents}\n`,
    );

    expect(ctx.events.stats).toMatchObject({ droppedEvents: 0, queued: 0, sentEvents: TOTAL });
    expect(received).toEqual({ requests: TOTAL / 100, events: TOTAL, distinctVisitors: TOTAL, maxBatch: 100, minBatch: 100 });
    expect(maxQueued).toBeLessThanOrEqual(10_000);
    expect(growthMb).toBeLessThan(50);
  }, LOAD_TEST_TIMEOUT_MS);
});

const OUTAGE_TOTAL = 40_000;

describe('VWOEventsService during an outage', () => {
  it('keeps at most maxQueueSize events, dropping and counting the oldest', async () => {
    const down = await ResettingServer.start();
    try {
      const ctx = await startEventsApp({ proxyUrl: down.url, maxQueueSize: 5_000, shutdownTimeout: 100 });
      const { maxQueued, growthMb } = await driveImpressions(ctx, OUTAGE_TOTAL, 'outage-user');
      const { droppedEvents, inFlightRequests } = ctx.events.stats;
      process.stdout.write(
        `[events outage] max queued ${maxQueued}, dropped ${droppedEvents}, peak retained heap growth ${growthMb.toFixed(1)} MB\n`,
      );
      expect(maxQueued).toBe(5_000);
      expect(growthMb).toBeLessThan(50);
      expect(droppedEvents).toBeGreaterThanOrEqual(OUTAGE_TOTAL - 5_000 - inFlightRequests * 100);
      expect(ctx.logger.at('warn').length).toBeLessThanOrEqual(OUTAGE_TOTAL / 1000 + 1);
      await ctx.app.close();
      expect(ctx.events.stats.droppedEvents + ctx.events.stats.sentEvents).toBe(OUTAGE_TOTAL);
    } finally {
      await down.stop();
    }
  }, LOAD_TEST_TIMEOUT_MS);
});
