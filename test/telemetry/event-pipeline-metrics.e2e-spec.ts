import { VWOEventsService } from '../../lib/events/vwo-events.service';
import { VWOHealthIndicator } from '../../lib/health';
import type { VWOModuleOptions } from '../../lib/options/vwo-module-options.interface';
import { VWO_METRICS } from '../../lib/telemetry';
import { VWOService } from '../../lib/vwo.service';
import { fakeVwoBed } from '../support/fake-vwo-bed';
import { OtelTestKit, eventually } from './support/otel-test-kit';
import { createTelemetryTestApp, telemetrySettings } from './support/telemetry-test-app';
import { EVENTUALLY_MS } from '../module/helpers/wait-until';

const BATCH = '/server-side/batch-events-v2';
const kit = new OtelTestKit().register();
afterAll(() => kit.shutdown());

describe('vwo.events.* metrics and the health of the event pipeline', () => {
  const bed = fakeVwoBed({ settings: telemetrySettings });

  /** Online against the fake; events leave only on flush (a long interval, big batches). */
  async function start(options: Partial<VWOModuleOptions>): Promise<{ vwo: VWOService; events: VWOEventsService; health: VWOHealthIndicator }> {
    const app = bed.adopt(
      await createTelemetryTestApp('express', {
        sdkKey: 'telemetry-sdk-key-0123456789',
        settings: undefined,
        proxyUrl: bed.server.url,
        waitForSettings: 2000,
        batchEventData: { requestTimeInterval: 3600, eventsPerRequest: 100 },
        shutdownTimeout: 200,
        ...options,
      }),
    );
    const vwo = app.get(VWOService);
    // The SDK's init event leaves first, so each test counts only its own events.
    await expect(vwo.flushEvents()).resolves.toMatchObject({ status: 'success' });
    return { vwo, events: app.get(VWOEventsService), health: app.get(VWOHealthIndicator) };
  }

  /** Metric totals as deltas from the moment of this call (the SDK is shared by the whole file). */
  async function baseline(): Promise<(name: string, attributes?: Record<string, string>) => Promise<number>> {
    const names = [VWO_METRICS.eventsQueued, VWO_METRICS.eventsSent, VWO_METRICS.eventsRetried];
    const start = new Map<string, number>();
    for (const name of names) start.set(name, await kit.sum(name));
    const drops = new Map<string, number>();
    for (const cause of ['queue_full', 'rejected', 'shutdown']) drops.set(cause, await kit.sum(VWO_METRICS.eventsDropped, { 'vwo.drop.cause': cause }));
    return async (name, attributes) => {
      const now = await kit.sum(name, attributes);
      const from = name === VWO_METRICS.eventsDropped ? drops.get(attributes!['vwo.drop.cause'])! : start.get(name)!;
      return now - from;
    };
  }

  it('queued, sent and retried move as impressions go out through a 500 and a retry', async () => {
    const { vwo, events } = await start({ retryConfig: { maxRetries: 2, initialDelay: 0.01, backoffMultiplier: 1 } });
    const delta = await baseline();
    const requestsBefore = await kit.histogramCount(VWO_METRICS.eventRequestDuration, { 'vwo.outcome': 'success' });
    bed.server.sequence(BATCH, [500]);
    for (const id of ['a1', 'a2', 'a3']) await vwo.getFlag('checkout', { id });
    const queued = events.stats.queued;
    expect(queued).toBeGreaterThanOrEqual(3);
    expect(await delta(VWO_METRICS.eventsQueued)).toBe(queued);
    expect(await kit.gauge(VWO_METRICS.eventQueueLength)).toBe(queued);

    await expect(vwo.flushEvents()).resolves.toMatchObject({ status: 'success' });
    expect(await delta(VWO_METRICS.eventsSent)).toBe(queued);
    expect(await delta(VWO_METRICS.eventsRetried)).toBe(queued);
    expect(await kit.histogramCount(VWO_METRICS.eventRequestDuration, { 'vwo.outcome': 'success' })).toBe(requestsBefore + 1);
    expect(await kit.gauge(VWO_METRICS.eventQueueLength)).toBe(0);
  });

  it('with VWO down and a small maxQueueSize: drops by cause, the queue length, and health turning down', async () => {
    const { vwo, events, health } = await start({ maxQueueSize: 4, retryConfig: { shouldRetry: false } });
    const delta = await baseline();
    bed.server.on(BATCH, { status: 503 });
    for (let i = 0; i < 6; i++) await vwo.getFlag('checkout', { id: `down-${i}` });
    const queued = await delta(VWO_METRICS.eventsQueued);
    expect(queued).toBeGreaterThanOrEqual(6);
    expect(await delta(VWO_METRICS.eventsDropped, { 'vwo.drop.cause': 'queue_full' })).toBe(queued - 4);
    expect(events.stats).toMatchObject({ queued: 4, droppedEvents: queued - 4 });

    await expect(vwo.flushEvents()).resolves.toMatchObject({ status: 'failed' });
    expect(await kit.gauge(VWO_METRICS.eventQueueLength)).toBe(4);
    expect(await delta(VWO_METRICS.eventsSent)).toBe(0);
    expect(await kit.histogramCount(VWO_METRICS.eventRequestDuration, { 'vwo.outcome': 'failure' })).toBeGreaterThanOrEqual(1);

    const pipeline = () => health.isHealthy('vwo', { maxEventsFailingMs: 100 }).vwo;
    expect(pipeline().events).toMatchObject({ queueLength: 4, dropped: queued - 4, maxFailingMs: 100 });
    const failing = pipeline().events!;
    expect(failing.failingForMs).toBeGreaterThanOrEqual(0);
    expect(failing.lastSentAgoMs).toBeGreaterThanOrEqual(failing.failingForMs!); // the init event, sent before the outage
    const down = await eventually(pipeline, (details) => details.status === 'down', EVENTUALLY_MS);
    expect(down.events!.failingForMs).toBeGreaterThan(100);
    expect(health.isHealthy('vwo').vwo.status).toBe('up'); // the default tolerates 10 minutes

    // VWO is back: one good request and the pipeline is healthy again.
    bed.server.reset();
    await expect(vwo.flushEvents()).resolves.toMatchObject({ status: 'success' });
    const recovered = pipeline();
    expect(recovered.status).toBe('up');
    expect(recovered.events).toMatchObject({ queueLength: 0, dropped: queued - 4 });
    expect(recovered.events).not.toHaveProperty('failingForMs');
    expect(recovered.events!.lastSentAgoMs).toBeGreaterThanOrEqual(0);
  });

  it('a 400 drops its batch as rejected; shutdown with VWO down drops the rest as shutdown', async () => {
    const { vwo } = await start({ retryConfig: { shouldRetry: false } });
    const delta = await baseline();
    bed.server.on(BATCH, { status: 400 });
    await vwo.getFlag('checkout', { id: 'rejected-1' });
    const first = await delta(VWO_METRICS.eventsQueued);
    await vwo.flushEvents();
    expect(await delta(VWO_METRICS.eventsDropped, { 'vwo.drop.cause': 'rejected' })).toBe(first);

    bed.server.on(BATCH, { status: 503 });
    await vwo.getFlag('checkout', { id: 'lost-1' });
    const second = (await delta(VWO_METRICS.eventsQueued)) - first;
    await bed.closeApp();
    expect(await delta(VWO_METRICS.eventsDropped, { 'vwo.drop.cause': 'shutdown' })).toBe(second);
  });
});
