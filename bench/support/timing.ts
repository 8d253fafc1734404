/**
 * Time-boxed measurement: each case runs for a wall-clock budget instead of a fixed iteration count,
 * so a 1 µs operation and a 700 ms one both finish on time. Throughput is measured in batches (the
 * clock is read once per batch); latency is measured per call (hrtime costs ~50 ns, noted in reports).
 */
import { percentile } from './stats';

/** The operation under test; `i` lets it rotate through a pool of inputs. */
export type SyncOp = (i: number) => unknown;
export type AsyncOp = (i: number) => Promise<unknown>;

export interface Throughput {
  iterations: number;
  elapsedMs: number;
  perSecond: number;
  /** Per-call durations (ns) of the calls that ran one per batch: all of them for slow operations. */
  singleCallNs: number[];
}

export interface Latency {
  samples: number;
  p50Us: number;
  p99Us: number;
}

export interface RunResult extends Throughput, Latency {}

const NS_PER_MS = 1e6;
/** Largest batch between two clock reads; keeps the overshoot of the budget small. */
const MAX_BATCH = 1 << 16;
/** Latency samples kept per run (enough for a stable p99, bounded memory). */
const MAX_SAMPLES = 200_000;
/** At or below this many calls in a throughput window, its per-call times serve as the latency samples. */
const SLOW_OP_CALLS = 32;

function nowNs(): bigint {
  return process.hrtime.bigint();
}

function toThroughput(iterations: number, elapsedNs: bigint, singleCallNs: number[]): Throughput {
  const elapsedMs = Number(elapsedNs) / NS_PER_MS;
  return { iterations, elapsedMs, perSecond: iterations / (elapsedMs / 1000), singleCallNs };
}

/**
 * The bookkeeping of one throughput window, shared by the sync and async loops: batch size (doubling while a
 * batch is shorter than ~1 ms, so fast ops read the clock rarely), call count and single-call times.
 */
class ThroughputWindow {
  i = 0;
  batch = 1;
  private readonly start = nowNs();
  private readonly budgetNs: bigint;
  private readonly singleCallNs: number[] = [];

  constructor(budgetMs: number) {
    this.budgetNs = BigInt(Math.round(budgetMs * NS_PER_MS));
  }

  /** Ends a batch that started at `batchStart`; returns the result once the budget is spent. */
  endBatch(batchStart: bigint): Throughput | undefined {
    const now = nowNs();
    const batchNs = now - batchStart;
    if (this.batch === 1) this.singleCallNs.push(Number(batchNs));
    if (now - this.start >= this.budgetNs) return toThroughput(this.i, now - this.start, this.singleCallNs);
    if (batchNs < 1_000_000n && this.batch < MAX_BATCH) this.batch *= 2;
    return undefined;
  }
}

export function throughputSync(op: SyncOp, budgetMs: number): Throughput {
  const w = new ThroughputWindow(budgetMs);
  for (;;) {
    const batchStart = nowNs();
    for (let k = 0; k < w.batch; k++) op(w.i++);
    const done = w.endBatch(batchStart);
    if (done) return done;
  }
}

export async function throughputAsync(op: AsyncOp, budgetMs: number): Promise<Throughput> {
  const w = new ThroughputWindow(budgetMs);
  for (;;) {
    const batchStart = nowNs();
    for (let k = 0; k < w.batch; k++) await op(w.i++);
    const done = w.endBatch(batchStart);
    if (done) return done;
  }
}

/** Per-call samples of one latency window, shared by the sync and async loops. */
class LatencyWindow {
  i = 0;
  private readonly deadline: bigint;
  private readonly samples: number[] = [];

  constructor(budgetMs: number) {
    this.deadline = nowNs() + BigInt(Math.round(budgetMs * NS_PER_MS));
  }

  /** Records one call; false once the window is over (deadline passed or enough samples). */
  record(t0: bigint, t1: bigint): boolean {
    this.samples.push(Number(t1 - t0));
    return t1 < this.deadline && this.samples.length < MAX_SAMPLES;
  }

  result(): Latency {
    return toLatency(this.samples);
  }
}

function toLatency(samplesNs: number[]): Latency {
  return {
    samples: samplesNs.length,
    p50Us: percentile(samplesNs, 50) / 1000,
    p99Us: percentile(samplesNs, 99) / 1000,
  };
}

export function latencySync(op: SyncOp, budgetMs: number): Latency {
  const w = new LatencyWindow(budgetMs);
  for (;;) {
    const t0 = nowNs();
    op(w.i++);
    if (!w.record(t0, nowNs())) return w.result();
  }
}

export async function latencyAsync(op: AsyncOp, budgetMs: number): Promise<Latency> {
  const w = new LatencyWindow(budgetMs);
  for (;;) {
    const t0 = nowNs();
    await op(w.i++);
    if (!w.record(t0, nowNs())) return w.result();
  }
}

function isSlow(t: Throughput): boolean {
  return t.iterations <= SLOW_OP_CALLS && t.singleCallNs.length === t.iterations;
}

/**
 * One run: a throughput window, then a latency window, each `budgetMs` long (at least one call each).
 * A slow operation (a few calls per window) gets no second window: its per-call times are the samples.
 */
export function runSync(op: SyncOp, budgetMs: number): RunResult {
  const t = throughputSync(op, budgetMs);
  return { ...t, ...(isSlow(t) ? toLatency(t.singleCallNs) : latencySync(op, budgetMs)) };
}

export async function runAsync(op: AsyncOp, budgetMs: number): Promise<RunResult> {
  const t = await throughputAsync(op, budgetMs);
  return { ...t, ...(isSlow(t) ? toLatency(t.singleCallNs) : await latencyAsync(op, budgetMs)) };
}
