/**
 * What applying a settings document costs: wall time, main-thread CPU, and the longest stretch the event loop
 * was held, for documents of 100, 1,000 and 10,000 features. "ours, module apply" is the path every refresh
 * takes: the response text handed to SettingsStore, which parses, checks and compiles it in slices and swaps
 * the snapshot. For reference: JSON.parse and compileSettings in one go each, and the official SDK's init on
 * the same (already parsed) document.
 */
import { compileSettings } from '../lib/engine';
import type { VWOLogger } from '../lib/logger/vwo-logger.interface';
import { SettingsStore } from '../lib/settings/settings-store';
import { manyFeatures } from './support/bench-settings';
import { createOfficialSdk } from './support/official-sdk';
import { median } from './support/stats';
import { mainThreadCpuNs } from './support/thread-meters';
import { renderTable, type Cell } from './support/table';

const RUNS = Number(process.env.BENCH_APPLY_RUNS ?? 5);
const SIZES = [100, 1_000, 10_000];

interface Sample {
  wallMs: number;
  cpuMs: number;
  longestBlockMs: number;
  longestBlockCpuMs: number;
}

interface LoopBlocks {
  /** Longest wall-clock gap between two turns of the loop. */
  wallMs: number;
  /** Most main-thread CPU spent between two turns: the work held in one turn, whatever else the machine runs. */
  cpuMs: number;
}

/** Main-thread CPU time in ms (schedstat on Linux), else the process' (all threads). */
function cpuNowMs(): number {
  const ns = mainThreadCpuNs();
  if (ns !== undefined) return ns / 1e6;
  const used = process.cpuUsage();
  return (used.user + used.system) / 1000;
}

/**
 * Longest gap between two turns of the event loop while it runs: a chain of setImmediate callbacks notes when
 * each one ran, so work that holds the loop (one synchronous compile, or one slice) shows as a gap. The CPU
 * the main thread spent in that gap is noted too: on a busy machine the wall gap also counts the time the
 * thread waited for a core, the CPU gap only the work done in one turn.
 */
function watchLoop(): () => LoopBlocks {
  let last = performance.now();
  let lastCpu = cpuNowMs();
  const longest: LoopBlocks = { wallMs: 0, cpuMs: 0 };
  let running = true;
  const tick = (): void => {
    const now = performance.now();
    const cpu = cpuNowMs();
    longest.wallMs = Math.max(longest.wallMs, now - last);
    longest.cpuMs = Math.max(longest.cpuMs, cpu - lastCpu);
    last = now;
    lastCpu = cpu;
    if (running) setImmediate(tick);
  };
  setImmediate(tick);
  return () => {
    running = false;
    return longest;
  };
}

/** Runs `work` once, with the loop watched, after a full GC when one can be asked for (node --expose-gc). */
async function measure(work: () => unknown): Promise<Sample> {
  (globalThis as { gc?: () => void }).gc?.();
  await new Promise((resolve) => setImmediate(resolve));
  const stopWatching = watchLoop();
  const cpuStart = cpuNowMs();
  const wallStart = performance.now();
  await work();
  const wallMs = performance.now() - wallStart;
  const cpuMs = cpuNowMs() - cpuStart;
  // One more turn of the loop, so a block at the very end is seen.
  await new Promise((resolve) => setImmediate(resolve));
  const blocks = stopWatching();
  return { wallMs, cpuMs, longestBlockMs: blocks.wallMs, longestBlockCpuMs: blocks.cpuMs };
}

const silent: VWOLogger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

/** One refresh as the module applies it: a fresh store each run, so that nothing is recognised as unchanged. */
async function moduleApply(json: string): Promise<void> {
  const { result } = await new SettingsStore(silent).submit({ text: json }, 'fetch', Date.now());
  if (result !== 'updated') throw new Error(`the bench document was not applied (${result})`);
}

async function series(label: string, json: string, work: (doc: Record<string, unknown>) => unknown): Promise<Cell[]> {
  const samples: Sample[] = [];
  for (let r = 0; r < RUNS; r++) {
    const doc = JSON.parse(json) as Record<string, unknown>;
    samples.push(await measure(() => work(doc)));
  }
  const med = (f: (s: Sample) => number): number => median(samples.map(f));
  return [label, med((s) => s.wallMs), med((s) => s.cpuMs), med((s) => s.longestBlockMs), med((s) => s.longestBlockCpuMs)];
}

export async function run(): Promise<void> {
  const rows: Cell[][] = [];
  for (const size of SIZES) {
    const doc = manyFeatures(size).doc as unknown as Record<string, unknown>;
    const json = JSON.stringify(doc);
    const name = `${size.toLocaleString('en-US')} features (${(json.length / 1e6).toFixed(1)} MB)`;
    rows.push([name, '', '', '', '', '']);
    rows.push(['', ...(await series('ours, module apply (text to swap)', json, () => moduleApply(json)))]);
    rows.push(['', ...(await series('official init(settings)', json, (d) => createOfficialSdk(d)))]);
    // A poll that brings the document in use: another string with the same text, as a new response would be.
    const bytes = Buffer.from(json);
    const holding = new SettingsStore(silent);
    await holding.submit({ text: json }, 'fetch', 1);
    const responses = Array.from({ length: RUNS }, () => bytes.toString('utf8'));
    rows.push(['', ...(await series('ours, unchanged poll (text compared)', json, () => holding.submit({ text: responses.pop()! }, 'fetch', 2)))]);
    rows.push(['', ...(await series('ref: response bytes to text (HTTP client)', json, () => bytes.toString('utf8')))]);
    rows.push(['', ...(await series('ref: JSON.parse in one go', json, () => JSON.parse(json)))]);
    rows.push(['', ...(await series('ref: ours compileSettings in one go', json, (d) => compileSettings(d)))]);
  }
  console.log(
    `medians of ${RUNS} runs; CPU is the main thread's; "longest block" is the longest the event loop was held (gap between two ` +
      'setImmediate turns), in wall time and in main-thread CPU (the wall gap also counts waiting for a core on a busy machine)',
  );
  console.log(renderTable(['document', 'what', 'wall ms', 'CPU ms', 'longest block ms', 'longest block CPU ms'], rows, [0, 0, 1, 1, 1, 1]));
}
