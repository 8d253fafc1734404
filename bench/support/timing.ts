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

/** Batch size doubles while a batch is shorter than ~1 ms, so fast ops read the clock rarely. */
function nextBatch(batch: number, batchNs: bigint): number {
  return batchNs < 1_000_000n && batch < MAX_BATCH ? batch * 2 : batch;
}

export function throughputSync(op: SyncOp, budgetMs: number): Throughput {
  const budgetNs = BigInt(Math.round(budgetMs * NS_PER_MS));
  const start = nowNs();
  let i = 0;
  let batch = 1;
  const singleCallNs: number[] = [];
  for (;;) {
    const batchStart = nowNs();
    for (let k = 0; k < batch; k++) op(i++);
    const now = nowNs();
    if (batch === 1) singleCallNs.push(Number(now - batchStart));
    if (now - start >= budgetNs) return toThroughput(i, now - start, singleCallNs);
    batch = nextBatch(batch, now - batchStart);
  }
}

export async function throughputAsync(op: AsyncOp, budgetMs: number): Promise<Throughput> {
  const budgetNs = BigInt(Math.round(budgetMs * NS_PER_MS));
  const start = nowNs();
  let i = 0;
  let batch = 1;
  const singleCallNs: number[] = [];
  for (;;) {
    const batchStart = nowNs();
    for (let k = 0; k < batch; k++) await op(i++);
    const now = nowNs();
    if (batch === 1) singleCallNs.push(Number(now - batchStart));
    if (now - start >= budgetNs) return toThroughput(i, now - start, singleCallNs);
    batch = nextBatch(batch, now - batchStart);
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
  const deadline = nowNs() + BigInt(Math.round(budgetMs * NS_PER_MS));
  const samples: number[] = [];
  let i = 0;
  do {
    const t0 = nowNs();
    op(i++);
    const t1 = nowNs();
    samples.push(Number(t1 - t0));
    if (t1 >= deadline) break;
  } while (samples.length < MAX_SAMPLES);
  return toLatency(samples);
}

export async function latencyAsync(op: AsyncOp, budgetMs: number): Promise<Latency> {
  const deadline = nowNs() + BigInt(Math.round(budgetMs * NS_PER_MS));
  const samples: number[] = [];
  let i = 0;
  do {
    const t0 = nowNs();
    await op(i++);
    const t1 = nowNs();
    samples.push(Number(t1 - t0));
    if (t1 >= deadline) break;
  } while (samples.length < MAX_SAMPLES);
  return toLatency(samples);
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
