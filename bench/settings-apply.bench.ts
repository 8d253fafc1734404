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
import { renderTable, type Cell } from './support/table';

const RUNS = Number(process.env.BENCH_APPLY_RUNS ?? 5);
const SIZES = [100, 1_000, 10_000];

interface Sample {
  wallMs: number;
  cpuMs: number;
  longestBlockMs: number;
}

/**
 * Longest gap between two turns of the event loop while it runs: a chain of setImmediate callbacks notes when
 * each one ran, so work that holds the loop (one synchronous compile, or one slice) shows as a gap.
 */
function watchLoop(): () => number {
  let last = performance.now();
  let longest = 0;
  let running = true;
  const tick = (): void => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
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
  const cpu = process.cpuUsage();
  const wallStart = performance.now();
  await work();
  const wallMs = performance.now() - wallStart;
  const used = process.cpuUsage(cpu);
  // One more turn of the loop, so a block at the very end is seen.
  await new Promise((resolve) => setImmediate(resolve));
  return { wallMs, cpuMs: (used.user + used.system) / 1000, longestBlockMs: stopWatching() };
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
  return [label, med((s) => s.wallMs), med((s) => s.cpuMs), med((s) => s.longestBlockMs)];
}

export async function run(): Promise<void> {
  const rows: Cell[][] = [];
  for (const size of SIZES) {
    const doc = manyFeatures(size).doc as unknown as Record<string, unknown>;
    const json = JSON.stringify(doc);
    const name = `${size.toLocaleString('en-US')} features (${(json.length / 1e6).toFixed(1)} MB)`;
    rows.push([name, '', '', '', '']);
    rows.push(['', ...(await series('ours, module apply (text to swap)', json, () => moduleApply(json)))]);
    rows.push(['', ...(await series('official init(settings)', json, (d) => createOfficialSdk(d)))]);
    rows.push(['', ...(await series('ref: JSON.parse in one go', json, () => JSON.parse(json)))]);
    rows.push(['', ...(await series('ref: ours compileSettings in one go', json, (d) => compileSettings(d)))]);
  }
  console.log(`medians of ${RUNS} runs; "longest block" is the longest the event loop was held (gap between two setImmediate turns)`);
  console.log(renderTable(['document', 'what', 'wall ms', 'CPU ms', 'longest block ms'], rows, [0, 0, 1, 1, 1]));
}
