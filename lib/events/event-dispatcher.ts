import { setMaxListeners } from 'node:events';
import type { VWOLogger } from '../logger/vwo-logger.interface';
import { NOOP_TELEMETRY } from '../telemetry/noop-telemetry';
import type { EventDropCause, VWOTelemetry } from '../telemetry/vwo-telemetry';
import { abortableSleep } from './abortable-sleep';
import { BoundedQueue } from './bounded-queue';
import type { PostOutcome } from './event-http.client';
import { VWORequestError } from './vwo-request.error';

export interface DispatcherConfig {
  eventsPerRequest: number;
  intervalMs: number;
  maxQueueSize: number;
  maxConcurrentRequests: number;
}

export interface FlushResult {
  status: 'success' | 'failed' | 'empty';
  /** Events this flush sent (queued at the call), plus those of requests it waited for. */
  events: number;
}

export interface DispatcherStats {
  queued: number;
  inFlightRequests: number;
  sentEvents: number;
  failedRequests: number;
  droppedEvents: number;
  /** When (epoch ms) VWO last accepted a request; undefined before the first. */
  lastSentAt?: number;
  /** When (epoch ms) requests started failing, with none accepted since; undefined while they succeed. */
  failingSince?: number;
}

/** Sends one batch of queued events. */
export type BatchSender<T> = (batch: T[]) => Promise<PostOutcome>;

const DROP_WARN_EVERY = 1000;

/**
 * The event queue (docs/events.md, bounded): a timer or a full batch sends up to `eventsPerRequest`
 * events; failed batches go back to the head (except a 400, which is final) and wait for the timer, which then sends
 * one batch per tick until VWO accepts one; flush() sends everything queued and waits for every
 * request in flight; close() does that within a deadline, then cancels what is left. Timers are unref'd.
 * A full batch leaves on the next turn of the event loop (one setImmediate per batch), so building and
 * sending it never runs inside the caller's enqueue.
 */
export class EventDispatcher<T> {
  private readonly queue: BoundedQueue<T>;
  private readonly stopper = new AbortController();
  private readonly inFlight = new Set<Promise<RequestResult>>();
  private timer?: NodeJS.Timeout;
  private pumpSoon?: NodeJS.Immediate;
  private active = 0;
  private directEvents = 0;
  private closed = false;
  private sentEvents = 0;
  private failedRequests = 0;
  private droppedEvents = 0;
  private lastSentAt?: number;
  private failingSince?: number;

  constructor(
    private readonly config: DispatcherConfig,
    private readonly sendBatch: BatchSender<T>,
    private readonly logger: VWOLogger,
    private readonly telemetry: VWOTelemetry = NOOP_TELEMETRY,
  ) {
    this.queue = new BoundedQueue<T>(config.maxQueueSize);
    // Every request and backoff wait listens to it; their number is bounded by the queue and request limits.
    setMaxListeners(0, this.stopper.signal);
  }

  /** Aborted on close(): the HTTP client cancels attempts and backoff waits with it. */
  get signal(): AbortSignal {
    return this.stopper.signal;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  get stats(): DispatcherStats {
    return {
      queued: this.queue.length,
      inFlightRequests: this.inFlight.size,
      sentEvents: this.sentEvents,
      failedRequests: this.failedRequests,
      droppedEvents: this.droppedEvents,
      lastSentAt: this.lastSentAt,
      failingSince: this.failingSince,
    };
  }

  /** Queues one event; a full batch goes out on the next event-loop turn, the rest on the timer. */
  enqueue(event: T): void {
    if (this.closed) return this.drop(1, 'shutdown', 'the event service is shut down');
    this.telemetry.eventsQueued(1);
    const dropped = this.queue.push(event);
    if (dropped) this.drop(dropped, 'queue_full', `the queue is full (maxQueueSize ${this.config.maxQueueSize})`);
    if (this.queue.length >= this.config.eventsPerRequest) this.schedulePump();
    if (this.queue.length > 0) this.armTimer();
  }

  /** Runs an unqueued send (unbatched modes) and tracks it, so flush() and close() wait for it. */
  dispatch(events: number, send: () => Promise<PostOutcome>): void {
    if (this.closed) return this.drop(events, 'shutdown', 'the event service is shut down');
    // Unqueued sends are bounded too: during an outage their retry chains would otherwise pile up.
    if (this.directEvents + events > this.config.maxQueueSize) {
      return this.drop(events, 'queue_full', `${this.directEvents} unbatched events are already in flight (maxQueueSize ${this.config.maxQueueSize})`);
    }
    this.directEvents += events;
    this.telemetry.eventsQueued(events);
    const started = performance.now();
    this.track(
      safely(send).then((outcome) => {
        this.directEvents -= events;
        this.count(events, outcome, started);
        return { ok: outcome.ok, events };
      }),
    );
  }

  async flush(): Promise<FlushResult> {
    this.clearTimer();
    const chunks: T[][] = [];
    while (this.queue.length > 0) chunks.push(this.queue.shift(this.config.eventsPerRequest));
    const others = [...this.inFlight];
    if (chunks.length === 0 && others.length === 0) return { status: 'empty', events: 0 };
    const own = await this.sendAll(chunks);
    const waited = await Promise.all(others);
    const results = [...own, ...waited];
    if (!this.closed && this.queue.length > 0) this.armTimer();
    return {
      status: results.every((r) => r.ok) ? 'success' : 'failed',
      events: results.reduce((n, r) => n + r.events, 0),
    };
  }

  /** Flushes within timeoutMs, then cancels retries and requests still running; unsent events are counted as lost. */
  async close(timeoutMs: number): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.clearTimer();
    this.clearPump();
    const deadline = new AbortController();
    const flushed = this.flush();
    const inTime = await Promise.race([flushed.then(() => true), abortableSleep(timeoutMs, deadline.signal).then(() => false)]);
    deadline.abort();
    this.stopper.abort();
    // Aborted sends fail at once and put their events back, so these settle quickly.
    await flushed;
    await Promise.allSettled([...this.inFlight]);
    const lost = this.queue.clear();
    if (!inTime) this.logger.warn(`Event flush on shutdown did not finish within ${timeoutMs} ms.`);
    if (lost > 0) this.drop(lost, 'shutdown', 'they could not be delivered before shutdown', true);
  }

  /** Sends chunks with at most maxConcurrentRequests at a time. */
  private async sendAll(chunks: T[][]): Promise<RequestResult[]> {
    const results: RequestResult[] = [];
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < chunks.length) results.push(await this.launch(chunks[next++]));
    };
    const workers = Math.min(this.config.maxConcurrentRequests, chunks.length);
    await Promise.all(Array.from({ length: workers }, worker));
    return results;
  }

  /**
   * Starts batches while there is a full one (or any, when forced) and a free request slot. While requests fail, only
   * the timer sends, one batch per tick (VWO retries a failed batch on its next timer), so an endpoint that fails fast
   * is not called in a loop.
   */
  private pump(force: boolean): void {
    const failing = this.failingSince !== undefined;
    if (failing && !force) return;
    const slots = failing ? 1 : this.config.maxConcurrentRequests;
    while (
      this.active < slots &&
      (this.queue.length >= this.config.eventsPerRequest || (force && this.queue.length > 0))
    ) {
      void this.launch(this.queue.shift(this.config.eventsPerRequest));
    }
  }

  private launch(chunk: T[]): Promise<RequestResult> {
    this.active++;
    const started = performance.now();
    return this.track(
      safely(() => this.sendBatch(chunk)).then((outcome) => {
        this.active--;
        this.afterBatch(chunk, outcome, started);
        if (!this.closed) this.pump(false);
        return { ok: outcome.ok, events: chunk.length };
      }),
    );
  }

  private afterBatch(chunk: T[], outcome: PostOutcome, started: number): void {
    this.count(chunk.length, outcome, started);
    if (outcome.status === 400) {
      // VWO refused the payload itself: sending it again would fail forever.
      this.drop(chunk.length, 'rejected', 'VWO rejected their batch with status 400', true);
    } else if (!outcome.ok) {
      const dropped = this.queue.unshiftAll(chunk);
      if (dropped) this.drop(dropped, 'queue_full', `the queue is full (maxQueueSize ${this.config.maxQueueSize})`);
      if (outcome.status === 413) this.logger.error(`Batch of ${chunk.length} events was too large for VWO (413).`);
      if (!this.closed && this.queue.length > 0) this.armTimer();
    }
  }

  private count(events: number, outcome: PostOutcome, started: number): void {
    if (outcome.ok) {
      this.sentEvents += events;
      this.lastSentAt = Date.now();
      this.failingSince = undefined;
    } else {
      this.failedRequests++;
      this.failingSince ??= Date.now();
    }
    this.telemetry.eventRequest({ events, ok: outcome.ok, attempts: outcome.attempts, durationMs: performance.now() - started });
  }

  private track(p: Promise<RequestResult>): Promise<RequestResult> {
    const guarded = p.catch((err: unknown): RequestResult => {
      this.logger.error(`Event request failed unexpectedly: ${asError(err).message}`);
      return { ok: false, events: 0 };
    });
    this.inFlight.add(guarded);
    void guarded.then(() => this.inFlight.delete(guarded));
    return guarded;
  }

  private schedulePump(): void {
    if (this.pumpSoon) return;
    this.pumpSoon = setImmediate(() => {
      this.pumpSoon = undefined;
      if (!this.closed) this.pump(false);
    });
    this.pumpSoon.unref();
  }

  private armTimer(): void {
    if (this.timer || this.closed) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.pump(true);
      if (this.queue.length > 0) this.armTimer();
    }, this.config.intervalMs);
    this.timer.unref();
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private clearPump(): void {
    if (this.pumpSoon) clearImmediate(this.pumpSoon);
    this.pumpSoon = undefined;
  }

  /** Warns on the first drop, then once per DROP_WARN_EVERY, so an outage cannot flood the log. */
  private drop(count: number, cause: EventDropCause, why: string, always = false): void {
    const before = this.droppedEvents;
    this.droppedEvents += count;
    this.telemetry.eventsDropped(count, cause);
    if (always || before === 0 || Math.floor(before / DROP_WARN_EVERY) !== Math.floor(this.droppedEvents / DROP_WARN_EVERY)) {
      this.logger.warn(`Dropped ${count} VWO event(s) because ${why} (${this.droppedEvents} dropped in total).`);
    }
  }
}

interface RequestResult {
  ok: boolean;
  events: number;
}

/** A sender that throws counts as a failed request instead of leaking a rejection (or the thrown object). */
function safely(send: () => Promise<PostOutcome>): Promise<PostOutcome> {
  const failed = (err: unknown): PostOutcome => ({ ok: false, attempts: 0, error: new VWORequestError(asError(err).message, undefined, 0, '') });
  try {
    return send().catch(failed);
  } catch (err) {
    return Promise.resolve(failed(err));
  }
}

function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}
