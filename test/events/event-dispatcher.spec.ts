import { EventDispatcher, type DispatcherConfig } from '../../lib/events/event-dispatcher';
import type { PostOutcome } from '../../lib/events/event-http.client';
import { VWOTelemetry, type EventDropCause, type EventRequestReport } from '../../lib/telemetry/vwo-telemetry';
import { RecordingLogger } from './support/events-test-kit';

const OK: PostOutcome = { ok: true, status: 200, attempts: 1 };
const FAILED: PostOutcome = { ok: false, status: 503, attempts: 3 };
const range = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, i) => from + i);
const config = { eventsPerRequest: 100, intervalMs: 60_000, maxQueueSize: 10_000, maxConcurrentRequests: 8 };

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** A batch sender the test answers by hand: each call waits until the test settles it. */
class ManualSender {
  readonly calls: Array<{ batch: number[]; answer: (outcome: PostOutcome) => void }> = [];
  readonly send = (batch: number[]): Promise<PostOutcome> => new Promise((answer) => this.calls.push({ batch: [...batch], answer }));

  /** Answers the oldest unanswered call. */
  answerNext(outcome: PostOutcome): number[] {
    const call = this.calls.find((c) => !this.answered.has(c));
    if (!call) throw new Error('no call is waiting');
    this.answered.add(call);
    call.answer(outcome);
    return call.batch;
  }

  get waiting(): number {
    return this.calls.length - this.answered.size;
  }

  private readonly answered = new Set<object>();
}

/** What the dispatcher reported to telemetry (the rest of the recorder does nothing). */
class RecordingTelemetry extends VWOTelemetry {
  readonly active = false;
  queued = 0;
  readonly requests: Array<Omit<EventRequestReport, 'durationMs'>> = [];
  readonly dropped: Array<[number, EventDropCause]> = [];
  override eventsQueued(count: number): void {
    this.queued += count;
  }
  override eventRequest({ events, ok, attempts }: EventRequestReport): void {
    this.requests.push({ events, ok, attempts });
  }
  override eventsDropped(count: number, cause: EventDropCause): void {
    this.dropped.push([count, cause]);
  }
  decision(): void {}
  settingsFetch(): void {}
  storageTimeout(): void {}
  storageError(): void {}
  observe(): void {}
  dispose(): void {}
}

interface Bed {
  d: EventDispatcher<number>;
  sender: ManualSender;
  logger: RecordingLogger;
  telemetry: RecordingTelemetry;
}

/** A dispatcher over `send` (by default the bed's ManualSender), with a recording logger and telemetry. */
function bed(overrides: Partial<DispatcherConfig> = {}, send?: (batch: number[]) => Promise<PostOutcome>): Bed {
  const sender = new ManualSender();
  const logger = new RecordingLogger();
  const telemetry = new RecordingTelemetry();
  const d = new EventDispatcher<number>({ ...config, ...overrides }, send ?? sender.send, logger, telemetry);
  return { d, sender, logger, telemetry };
}

/** A dispatcher whose every request VWO accepts at once; `batches` are the batches it sent. */
function acceptingBed(overrides: Partial<DispatcherConfig> = {}): Bed & { batches: number[][] } {
  const batches: number[][] = [];
  return { ...bed(overrides, (batch) => (batches.push([...batch]), Promise.resolve(OK))), batches };
}

/** Lets promise callbacks and one event-loop turn run. */
const settle = async (): Promise<void> => {
  for (let i = 0; i < 3; i++) await nextTurn();
};

describe('EventDispatcher: bursts', () => {
  afterEach(() => jest.restoreAllMocks());

  it('arms one timer and one immediate for a burst, not one per event', async () => {
    const timeouts = jest.spyOn(global, 'setTimeout');
    const immediates = jest.spyOn(global, 'setImmediate');
    const { d, batches } = acceptingBed();
    for (let i = 0; i < 1000; i++) d.enqueue(i);
    expect(timeouts).toHaveBeenCalledTimes(1);
    expect(immediates).toHaveBeenCalledTimes(1);
    await d.close(1000);
    expect(batches.flat()).toEqual(Array.from({ length: 1000 }, (_, i) => i));
  });

  it('sends a full batch on the next turn of the event loop, never inside enqueue()', async () => {
    const { d, batches } = acceptingBed();
    for (let i = 0; i < 250; i++) d.enqueue(i);
    expect(batches).toEqual([]);
    await nextTurn();
    expect(batches.map((b) => b.length)).toEqual([100, 100]);
    expect(d.stats.queued).toBe(50);
    await d.close(1000);
    expect(batches.map((b) => b.length)).toEqual([100, 100, 50]);
  });
});

describe('EventDispatcher: batches and requests in flight', () => {
  it('keeps at most maxConcurrentRequests batches in flight; the next leaves when one is answered', async () => {
    const { d, sender, telemetry } = bed({ maxConcurrentRequests: 2 });
    for (const i of range(0, 450)) d.enqueue(i);
    await settle();
    expect(sender.calls.map((c) => c.batch)).toEqual([range(0, 100), range(100, 200)]);
    expect(d.stats).toMatchObject({ queued: 250, inFlightRequests: 2 });
    sender.answerNext(OK);
    await settle();
    expect(sender.calls.map((c) => c.batch[0])).toEqual([0, 100, 200]);
    sender.answerNext(OK);
    sender.answerNext(OK);
    await settle();
    // 50 left: not a full batch, so it waits for the timer (or a flush).
    expect(sender.calls).toHaveLength(4);
    expect(d.stats).toMatchObject({ queued: 50, sentEvents: 300 });
    const flushed = d.flush();
    await settle();
    sender.answerNext(OK);
    sender.answerNext(OK);
    expect(await flushed).toEqual({ status: 'success', events: 150 });
    expect(d.stats).toMatchObject({ queued: 0, inFlightRequests: 0, sentEvents: 450, failedRequests: 0, droppedEvents: 0 });
    expect(telemetry.queued).toBe(450);
    expect(telemetry.requests.map((r) => r.events)).toEqual([100, 100, 100, 100, 50]);
  });

});

describe('EventDispatcher: the batch timer', () => {
  beforeEach(() => jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] }));
  afterEach(() => jest.useRealTimers());

  /** Lets the batch timer fire, then answers the requests it started with `outcome`: the batches they carried. */
  async function tick({ sender }: Bed, outcome: PostOutcome = OK): Promise<number[][]> {
    const before = sender.calls.length;
    jest.advanceTimersByTime(1_000);
    const started = sender.calls.slice(before).map((c) => c.batch);
    for (let i = 0; i < started.length; i++) sender.answerNext(outcome);
    await settle();
    return started;
  }

  /** Answers the oldest waiting request and lets it settle. */
  async function answer({ sender }: Bed, outcome: PostOutcome): Promise<void> {
    sender.answerNext(outcome);
    await settle();
  }

  it('the timer sends a partial batch, and keeps going while events remain', async () => {
    const { d, sender } = bed({ intervalMs: 3_000, maxConcurrentRequests: 1, eventsPerRequest: 10 });
    for (const i of range(0, 5)) d.enqueue(i);
    await settle();
    expect(sender.calls).toHaveLength(0);
    jest.advanceTimersByTime(2_999);
    expect(sender.calls).toHaveLength(0);
    jest.advanceTimersByTime(1);
    expect(sender.calls.map((c) => c.batch)).toEqual([range(0, 5)]);
    // Queued while the only request slot is taken: the re-armed timer tries again.
    for (const i of range(5, 8)) d.enqueue(i);
    sender.answerNext(OK);
    await settle();
    jest.advanceTimersByTime(3_000);
    expect(sender.calls.map((c) => c.batch)).toEqual([range(0, 5), range(5, 8)]);
    sender.answerNext(OK);
    await d.flush();
    expect(d.stats.sentEvents).toBe(8);
  });

  it('after a failed batch only the timer sends, one batch per tick, until VWO accepts one', async () => {
    const { d, sender } = bed({ eventsPerRequest: 10, intervalMs: 1_000 });
    for (const i of range(0, 10)) d.enqueue(i);
    await settle();
    sender.answerNext(FAILED);
    await settle();
    // Full batches queued meanwhile do not leave on their own.
    for (const i of range(10, 40)) d.enqueue(i);
    await settle();
    expect(sender.calls).toHaveLength(1);
    jest.advanceTimersByTime(1_000);
    expect(sender.calls.map((c) => c.batch)).toEqual([range(0, 10), range(0, 10)]);
    sender.answerNext(FAILED);
    await settle();
    jest.advanceTimersByTime(1_000);
    expect(sender.calls).toHaveLength(3);
    // Accepted: the rest leaves at once, as many batches at a time as allowed.
    sender.answerNext(OK);
    await settle();
    expect(sender.calls.slice(3).map((c) => c.batch)).toEqual([range(10, 20), range(20, 30), range(30, 40)]);
    while (sender.waiting > 0) sender.answerNext(OK);
    await d.flush();
    expect(d.stats).toMatchObject({ sentEvents: 40, failedRequests: 2, queued: 0 });
  });

  it('what a timer tick could not send waits for the next tick', async () => {
    const b = bed({ eventsPerRequest: 10, intervalMs: 1_000, maxConcurrentRequests: 1 });
    for (const i of range(0, 15)) b.d.enqueue(i);
    await settle();
    // 15 is a batch and a half: the full one leaves on the next turn, the rest on the tick after it is answered.
    expect(b.sender.calls.map((c) => c.batch)).toEqual([range(0, 10)]);
    await answer(b, OK);
    expect(await tick(b)).toEqual([range(10, 15)]);
    expect(b.d.stats).toMatchObject({ queued: 0, sentEvents: 15 });
  });

  it('events of a failed flush go back to the queue and the timer retries them', async () => {
    const b = bed({ intervalMs: 1_000 });
    for (const i of range(0, 30)) b.d.enqueue(i);
    const flushed = b.d.flush();
    await settle();
    b.sender.answerNext(FAILED);
    expect(await flushed).toEqual({ status: 'failed', events: 30 });
    expect(b.d.stats.queued).toBe(30);
    expect(await tick(b)).toEqual([range(0, 30)]);
    expect(b.d.stats).toMatchObject({ queued: 0, sentEvents: 30 });
  });

  it('a batch that fails after the tick has passed is retried on a new tick', async () => {
    const b = bed({ eventsPerRequest: 10, intervalMs: 1_000 });
    for (const i of range(0, 10)) b.d.enqueue(i);
    await settle();
    // The tick comes while the batch is in flight: nothing is queued, so it does not arm another.
    expect(await tick(b)).toEqual([]);
    await answer(b, FAILED);
    expect(await tick(b)).toEqual([range(0, 10)]);
    expect(b.d.stats.sentEvents).toBe(10);
  });

  it('while retrying, a tick that leaves events queued arms the next one', async () => {
    const b = bed({ eventsPerRequest: 10, intervalMs: 1_000 });
    for (const i of range(0, 15)) b.d.enqueue(i);
    await settle();
    await answer(b, FAILED);
    // One batch per tick while retrying; the 5 after it are less than a batch: only a tick sends them.
    expect(await tick(b)).toEqual([range(0, 10)]);
    expect(await tick(b)).toEqual([range(10, 15)]);
    expect(b.d.stats).toMatchObject({ queued: 0, sentEvents: 15 });
  });

  it('a flush that leaves events queued (a batch in flight failed meanwhile) keeps the timer armed', async () => {
    const b = bed({ eventsPerRequest: 10, intervalMs: 1_000, maxConcurrentRequests: 1 });
    for (const i of range(0, 10)) b.d.enqueue(i);
    await settle();
    // In flight when flush() starts; it fails while flush waits for it.
    const flushed = b.d.flush();
    b.sender.answerNext(FAILED);
    expect(await flushed).toEqual({ status: 'failed', events: 10 });
    expect(b.d.stats.queued).toBe(10);
    expect(await tick(b)).toEqual([range(0, 10)]);
    expect(b.d.stats.sentEvents).toBe(10);
  });
});

describe('EventDispatcher: failed requests', () => {
  it('puts a failed batch back at the head, in order, and counts the outage until a request succeeds', async () => {
    const { d, sender, telemetry } = bed();
    for (const i of range(0, 100)) d.enqueue(i);
    await settle();
    for (const i of range(100, 130)) d.enqueue(i);
    const before = Date.now();
    sender.answerNext(FAILED);
    await settle();
    expect(d.stats).toMatchObject({ queued: 130, failedRequests: 1, sentEvents: 0, droppedEvents: 0 });
    expect(d.stats.failingSince).toBeGreaterThanOrEqual(before);
    expect(d.stats.lastSentAt).toBeUndefined();
    // Back at the head: the retried batch is the same 100 events, then the rest.
    const flushed = d.flush();
    await settle();
    expect(sender.calls.slice(1).map((c) => c.batch)).toEqual([range(0, 100), range(100, 130)]);
    sender.answerNext(OK);
    sender.answerNext(OK);
    expect(await flushed).toEqual({ status: 'success', events: 130 });
    expect(d.stats.failingSince).toBeUndefined();
    expect(d.stats.lastSentAt).toBeGreaterThanOrEqual(before);
    expect(telemetry.requests).toEqual([
      { events: 100, ok: false, attempts: 3 },
      { events: 100, ok: true, attempts: 1 },
      { events: 30, ok: true, attempts: 1 },
    ]);
  });

  it('an endpoint that fails at once is not called again before the timer', async () => {
    let calls = 0;
    // Answered on the next turn (as a refused connection is): a loop shows as more calls, not as a hang.
    const { d } = bed({ intervalMs: 60_000 }, () => (calls++, new Promise((resolve) => setImmediate(() => resolve(FAILED)))));
    for (const i of range(0, 300)) d.enqueue(i);
    for (let turn = 0; turn < 20; turn++) await nextTurn();
    // The first turn starts every batch there are slots for; none is sent again until the timer.
    expect(calls).toBe(3);
    expect(d.stats).toMatchObject({ queued: 300, failedRequests: 3 });
  });

  it('a 400 is final: the batch is dropped with a warning, not sent again', async () => {
    const { d, sender, logger, telemetry } = bed();
    for (const i of range(0, 100)) d.enqueue(i);
    await settle();
    sender.answerNext({ ok: false, status: 400, attempts: 1 });
    await settle();
    expect(d.stats).toMatchObject({ queued: 0, droppedEvents: 100, failedRequests: 1 });
    expect(logger.at('warn')).toEqual(['Dropped 100 VWO event(s) because VWO rejected their batch with status 400 (100 dropped in total).']);
    expect(telemetry.dropped).toEqual([[100, 'rejected']]);
    expect(await d.flush()).toEqual({ status: 'empty', events: 0 });
  });

  it('a 413 names the batch as too large, and keeps its events', async () => {
    const { d, sender, logger } = bed();
    for (const i of range(0, 100)) d.enqueue(i);
    await settle();
    sender.answerNext({ ok: false, status: 413, attempts: 1 });
    await settle();
    expect(logger.at('error')).toEqual(['Batch of 100 events was too large for VWO (413).']);
    expect(d.stats).toMatchObject({ queued: 100, droppedEvents: 0 });
  });

  it('a failed batch that no longer fits loses its oldest events, with a warning', async () => {
    const { d, sender, logger, telemetry } = bed({ maxQueueSize: 150, maxConcurrentRequests: 1 });
    for (const i of range(0, 100)) d.enqueue(i);
    await settle();
    for (const i of range(100, 200)) d.enqueue(i);
    await settle();
    expect(sender.calls).toHaveLength(1);
    sender.answerNext(FAILED);
    await settle();
    // Room for 50 of the failed batch: its newest 50 go back ahead of the 100 queued meanwhile.
    expect(d.stats).toMatchObject({ queued: 150, droppedEvents: 50 });
    expect(logger.at('warn')).toEqual(['Dropped 50 VWO event(s) because the queue is full (maxQueueSize 150) (50 dropped in total).']);
    expect(telemetry.dropped).toEqual([[50, 'queue_full']]);
    const flushed = d.flush();
    await settle();
    expect(sender.calls.slice(1).map((c) => c.batch)).toEqual([range(50, 150)]);
    sender.answerNext(OK);
    await settle();
    expect(sender.calls.slice(2).map((c) => c.batch)).toEqual([range(150, 200)]);
    sender.answerNext(OK);
    expect(await flushed).toEqual({ status: 'success', events: 150 });
  });

  it('a sender that throws or rejects is a failed request, not an unhandled rejection', async () => {
    let calls = 0;
    const send = (): Promise<PostOutcome> => {
      calls++;
      if (calls === 1) throw new Error('sync boom');
      if (calls === 2) return Promise.reject(new Error('async boom'));
      return Promise.resolve(OK);
    };
    const { d } = bed({ maxConcurrentRequests: 1 }, send);
    for (const i of range(0, 100)) d.enqueue(i);
    expect(await d.flush()).toEqual({ status: 'failed', events: 100 });
    expect(await d.flush()).toEqual({ status: 'failed', events: 100 });
    expect(await d.flush()).toEqual({ status: 'success', events: 100 });
    expect(d.stats).toMatchObject({ failedRequests: 2, sentEvents: 100, droppedEvents: 0 });
  });
});

describe('EventDispatcher: a full queue', () => {
  it('drops the oldest events, warning on the first drop and then once per 1,000', async () => {
    const { d, logger, telemetry } = acceptingBed({ maxQueueSize: 10, eventsPerRequest: 100 });
    for (const i of range(0, 2015)) d.enqueue(i);
    expect(d.stats).toMatchObject({ queued: 10, droppedEvents: 2005 });
    expect(logger.at('warn')).toEqual([
      'Dropped 1 VWO event(s) because the queue is full (maxQueueSize 10) (1 dropped in total).',
      'Dropped 1 VWO event(s) because the queue is full (maxQueueSize 10) (1000 dropped in total).',
      'Dropped 1 VWO event(s) because the queue is full (maxQueueSize 10) (2000 dropped in total).',
    ]);
    expect(telemetry.dropped).toHaveLength(2005);
    expect(telemetry.queued).toBe(2015);
    const kept = acceptingBed({ maxQueueSize: 10 });
    for (const i of range(0, 25)) kept.d.enqueue(i);
    await kept.d.flush();
    expect(kept.batches).toEqual([range(15, 25)]);
  });
});

describe('EventDispatcher: unbatched sends', () => {
  it('are bounded by maxQueueSize in flight, and flush() waits for them', async () => {
    const { d, sender, logger, telemetry } = bed({ maxQueueSize: 10 });
    d.dispatch(6, () => sender.send([1]));
    d.dispatch(6, () => sender.send([2]));
    expect(sender.calls).toHaveLength(1);
    expect(logger.at('warn')).toEqual(['Dropped 6 VWO event(s) because 6 unbatched events are already in flight (maxQueueSize 10) (6 dropped in total).']);
    expect(telemetry.dropped).toEqual([[6, 'queue_full']]);
    let flushed = false;
    const flushing = d.flush().then((r) => ((flushed = true), r));
    await settle();
    expect(flushed).toBe(false);
    sender.answerNext(OK);
    expect(await flushing).toEqual({ status: 'success', events: 6 });
    // Answered: its events no longer count against the bound.
    d.dispatch(6, () => sender.send([3]));
    expect(sender.calls).toHaveLength(2);
    sender.answerNext(FAILED);
    expect(await d.flush()).toEqual({ status: 'failed', events: 6 });
    expect(await d.flush()).toEqual({ status: 'empty', events: 0 });
    expect(d.stats).toMatchObject({ sentEvents: 6, failedRequests: 1 });
  });
});

describe('EventDispatcher: close()', () => {
  it('flushes what is queued and waits for requests in flight', async () => {
    const { d, sender } = bed();
    for (const i of range(0, 150)) d.enqueue(i);
    await settle();
    const closing = d.close(60_000);
    await settle();
    expect(sender.calls.map((c) => c.batch.length)).toEqual([100, 50]);
    sender.answerNext(OK);
    sender.answerNext(OK);
    await closing;
    expect(d.stats).toMatchObject({ sentEvents: 150, droppedEvents: 0 });
    expect(d.isClosed).toBe(true);
  });

  it('past its deadline, cancels what is in flight and counts what was not delivered as lost', async () => {
    // Like the HTTP client: an attempt ends, failed, when the dispatcher's stop signal is aborted.
    const b: Bed = bed({}, (batch) => {
      const pending = b.sender.send(batch);
      b.d.signal.addEventListener('abort', () => b.sender.answerNext({ ok: false, attempts: 1 }));
      return pending;
    });
    const { d, logger, telemetry } = b;
    for (const i of range(0, 120)) d.enqueue(i);
    expect(d.signal.aborted).toBe(false);
    await d.close(50);
    expect(d.signal.aborted).toBe(true);
    expect(d.stats).toMatchObject({ queued: 0, sentEvents: 0, droppedEvents: 120 });
    expect(logger.at('warn')).toEqual([
      'Event flush on shutdown did not finish within 50 ms.',
      'Dropped 120 VWO event(s) because they could not be delivered before shutdown (120 dropped in total).',
    ]);
    expect(telemetry.dropped).toEqual([[120, 'shutdown']]);
  });

  it('after close, new events are dropped (counted, one warning) and a second close does nothing', async () => {
    const { d, logger, telemetry } = acceptingBed();
    await d.close(1_000);
    d.enqueue(1);
    d.enqueue(2);
    d.dispatch(3, () => Promise.resolve(OK));
    expect(d.stats).toMatchObject({ queued: 0, droppedEvents: 5 });
    expect(logger.at('warn')).toEqual(['Dropped 1 VWO event(s) because the event service is shut down (1 dropped in total).']);
    expect(telemetry.dropped).toEqual([
      [1, 'shutdown'],
      [1, 'shutdown'],
      [3, 'shutdown'],
    ]);
    expect(telemetry.queued).toBe(0);
    await d.close(1_000);
    expect(logger.at('warn')).toHaveLength(1);
  });
});
