/**
 * Decision engine vs VWO's official SDK (1.35, offline) vs the floor of one decision, in one process and
 * one run. Each series is time-boxed (a throughput window and a latency window per run), runs are
 * interleaved across cases, and the table shows medians over RUNS runs.
 *
 *   ours decide()        the engine's synchronous decide()
 *   ours await decide()  the same plus one await (what the service path adds)
 *   official getFlag     vwo-fme-node-sdk getFlag, network stubbed, settings re-validated per call as it does
 *   floor                one Map lookup + three murmurhash.v3 of a ~40-byte key + one await
 */
import murmurhash from 'murmurhash';
import { compileSettings, decide } from '../lib/engine';
import type { StoredLookup } from '../lib/engine/types';
import {
  benchContexts,
  BenchFixture,
  fullRollout,
  manyFeatures,
  mutuallyExclusiveGroup,
  rolloutAndTest,
} from './support/bench-settings';
import { createOfficialSdk } from './support/official-sdk';
import { medianOf } from './support/stats';
import { renderTable } from './support/table';
import { AsyncOp, runAsync, runSync, RunResult, SyncOp } from './support/timing';

const RUNS = 5;
/** Length of each throughput and each latency window (a slow call still completes once). */
const WINDOW_MS = 120;
const NOTHING_STORED: StoredLookup = () => undefined;

type Impl = 'ours decide()' | 'ours await decide()' | 'official getFlag' | 'floor';

interface Series {
  caseName: string;
  impl: Impl;
  run(): Promise<RunResult>;
  results: RunResult[];
}

interface Summary {
  caseName: string;
  impl: Impl;
  perSecond: number;
  p50Us: number;
  p99Us: number;
}

const contexts = benchContexts();
const mask = contexts.length - 1;

async function seriesFor(fixture: BenchFixture): Promise<Series[]> {
  const snapshot = compileSettings(structuredClone(fixture.doc));
  const official = await createOfficialSdk(fixture.doc);
  const key = fixture.featureKey;
  const ours: SyncOp = (i) => decide(snapshot, key, contexts[i & mask], NOTHING_STORED);
  const awaited: AsyncOp = async (i) => await decide(snapshot, key, contexts[i & mask], NOTHING_STORED);
  const theirs: AsyncOp = (i) => official.client.getFlag(key, contexts[i & mask]);
  return [
    series(fixture.name, 'ours decide()', () => Promise.resolve(runSync(ours, WINDOW_MS))),
    series(fixture.name, 'ours await decide()', () => runAsync(awaited, WINDOW_MS)),
    series(fixture.name, 'official getFlag', () => runAsync(theirs, WINDOW_MS)),
  ];
}

function series(caseName: string, impl: Impl, run: () => Promise<RunResult>): Series {
  return { caseName, impl, run, results: [] };
}

/** The least a decision can cost: find the feature, hash three bucketing keys, hand back through one await. */
function floorSeries(): Series {
  const features = new Map([['checkout', { campaignId: 101, accountId: 123456 }]]);
  const ids = contexts.map((c) => String(c.id));
  const op: AsyncOp = async (i) => {
    const feature = features.get('checkout');
    const key = `${feature?.campaignId}_${feature?.accountId}_${ids[i & mask]}`;
    const sum = murmurhash.v3(key, 1) + murmurhash.v3(key, 1) + murmurhash.v3(key, 1);
    return await sum;
  };
  return series('floor', 'floor', () => runAsync(op, WINDOW_MS));
}

function summarize(s: Series): Summary {
  return {
    caseName: s.caseName,
    impl: s.impl,
    perSecond: medianOf(s.results, (r) => r.perSecond),
    p50Us: medianOf(s.results, (r) => r.p50Us),
    p99Us: medianOf(s.results, (r) => r.p99Us),
  };
}

function find(summaries: Summary[], caseName: string, impl: Impl): Summary | undefined {
  return summaries.find((s) => s.caseName === caseName && s.impl === impl);
}

function printTable(summaries: Summary[]): void {
  const floor = find(summaries, 'floor', 'floor');
  const rows = summaries.map((s) => {
    const official = find(summaries, s.caseName, 'official getFlag');
    const vsOfficial = s.impl.startsWith('ours') && official ? s.perSecond / official.perSecond : NaN;
    const floors = floor && s.impl !== 'floor' ? floor.perSecond / s.perSecond : NaN;
    return [s.caseName, s.impl, s.perSecond, s.p50Us, s.p99Us, vsOfficial, floors];
  });
  console.log(
    renderTable(
      ['case', 'implementation', 'decisions/s', 'p50 µs', 'p99 µs', '× official', 'cost in floors'],
      rows,
      [0, 0, 0, 2, 2, 0, 2],
    ),
  );
}

/** How much one decision costs with 10,000 features compared with 10. */
function printScaling(summaries: Summary[]): void {
  const small = manyFeaturesName(10);
  const large = manyFeaturesName(10_000);
  for (const impl of ['ours decide()', 'ours await decide()', 'official getFlag'] as Impl[]) {
    const a = find(summaries, small, impl);
    const b = find(summaries, large, impl);
    if (!a || !b) continue;
    const ratio = a.perSecond / b.perSecond;
    console.log(`${impl}: per-decision cost at 10,000 features = ${ratio.toFixed(2)}× the cost at 10 features`);
  }
}

function manyFeaturesName(count: number): string {
  return `${count.toLocaleString('en-US')} features`;
}

export async function run(): Promise<void> {
  const started = Date.now();
  const fixtures = [fullRollout(), rolloutAndTest(), mutuallyExclusiveGroup(), manyFeatures(10), manyFeatures(1_000), manyFeatures(10_000)];
  const all: Series[] = [floorSeries()];
  for (const fixture of fixtures) all.push(...(await seriesFor(fixture)));
  for (const s of all) await s.run(); // warm-up, discarded
  for (let r = 0; r < RUNS; r++) {
    for (const s of all) s.results.push(await s.run());
  }
  const summaries = all.map(summarize);
  console.log(`medians of ${RUNS} runs, ${WINDOW_MS} ms throughput + ${WINDOW_MS} ms latency window per run`);
  printTable(summaries);
  printScaling(summaries);
  console.log(`(latency per call includes ~0.05 µs of hrtime; engine bench took ${((Date.now() - started) / 1000).toFixed(1)} s)`);
}
