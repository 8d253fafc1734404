/**
 * What VWOService.getFlag adds on top of the engine: the service runs in a real Nest application context
 * (VWOModule.forRoot on offline settings, no network), in one process with the engine and VWO's official SDK.
 *
 *   decide()              the engine's synchronous decide(), nothing stored
 *   await decide()        the same plus one await: the floor of any promise-returning getFlag
 *   getFlag, no storage   VWOService.getFlag with `storage: false`
 *   getFlag, memory       VWOService.getFlag with the in-memory storage (`storage: 'memory'`) (records read back after warm-up)
 *   official getFlag      vwo-fme-node-sdk 1.35 getFlag, created offline
 *
 * Runs are interleaved across series; the table shows medians of RUNS runs (throughput and latency windows).
 */
import { Module, type DynamicModule, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { compileSettings, decide } from '../lib/engine';
import type { StoredLookup } from '../lib/engine/types';
import { VWOModule } from '../lib/vwo.module';
import { VWOService } from '../lib/vwo.service';
import { benchContexts, BenchFixture, fullRollout, mutuallyExclusiveGroup, rolloutAndTest } from './support/bench-settings';
import { createOfficialSdk } from './support/official-sdk';
import { medianOf } from './support/stats';
import { renderTable } from './support/table';
import { AsyncOp, runAsync, runSync, RunResult, SyncOp } from './support/timing';

const RUNS = 5;
const WINDOW_MS = 100;
const NOTHING_STORED: StoredLookup = () => undefined;

const IMPLS = ['decide()', 'await decide()', 'getFlag, no storage', 'getFlag, memory', 'official getFlag'] as const;
type Impl = (typeof IMPLS)[number];

interface Series {
  caseName: string;
  impl: Impl;
  run(): Promise<RunResult>;
  results: RunResult[];
}

const contexts = benchContexts();
const mask = contexts.length - 1;

/** A Nest application context around VWOModule on `doc`, offline (no sdkKey: nothing fetched or sent). */
async function bootService(doc: Record<string, unknown>, storage: false | 'memory'): Promise<INestApplicationContext> {
  const vwo: DynamicModule = VWOModule.forRoot({ accountId: doc.accountId as number, settings: structuredClone(doc), storage });
  @Module({ imports: [vwo] })
  class BenchAppModule {}
  return NestFactory.createApplicationContext(BenchAppModule, { logger: false });
}

async function seriesFor(fixture: BenchFixture, apps: INestApplicationContext[]): Promise<Series[]> {
  const snapshot = compileSettings(structuredClone(fixture.doc));
  const official = await createOfficialSdk(fixture.doc);
  const key = fixture.featureKey;
  const withoutStorage = await bootService(fixture.doc, false);
  const withMemory = await bootService(fixture.doc, 'memory');
  apps.push(withoutStorage, withMemory);
  const plain = withoutStorage.get(VWOService);
  const memory = withMemory.get(VWOService);
  const sync: SyncOp = (i) => decide(snapshot, key, contexts[i & mask], NOTHING_STORED);
  const ops: Record<Exclude<Impl, 'decide()'>, AsyncOp> = {
    'await decide()': async (i) => await decide(snapshot, key, contexts[i & mask], NOTHING_STORED),
    'getFlag, no storage': (i) => plain.getFlag(key, contexts[i & mask]),
    'getFlag, memory': (i) => memory.getFlag(key, contexts[i & mask]),
    'official getFlag': (i) => official.client.getFlag(key, contexts[i & mask]),
  };
  return IMPLS.map((impl) => ({
    caseName: fixture.name,
    impl,
    results: [],
    run: impl === 'decide()' ? () => Promise.resolve(runSync(sync, WINDOW_MS)) : () => runAsync(ops[impl], WINDOW_MS),
  }));
}

function printTable(all: Series[]): void {
  const perSecond = (s: Series): number => medianOf(s.results, (r) => r.perSecond);
  const rows = all.map((s) => {
    const official = all.find((o) => o.caseName === s.caseName && o.impl === 'official getFlag');
    const awaited = all.find((o) => o.caseName === s.caseName && o.impl === 'await decide()');
    const own = s.impl !== 'official getFlag';
    return [
      s.caseName,
      s.impl,
      perSecond(s),
      medianOf(s.results, (r) => r.p50Us),
      medianOf(s.results, (r) => r.p99Us),
      own && official ? perSecond(s) / perSecond(official) : NaN,
      s.impl.startsWith('getFlag') && awaited ? perSecond(awaited) / perSecond(s) : NaN,
    ];
  });
  console.log(
    renderTable(['case', 'implementation', 'decisions/s', 'p50 µs', 'p99 µs', '× official', 'cost in await decide()'], rows, [0, 0, 0, 2, 2, 1, 2]),
  );
}

export async function run(): Promise<void> {
  const started = Date.now();
  const apps: INestApplicationContext[] = [];
  try {
    const all: Series[] = [];
    for (const fixture of [fullRollout(), rolloutAndTest(), mutuallyExclusiveGroup()]) all.push(...(await seriesFor(fixture, apps)));
    for (const s of all) await s.run(); // warm-up (and fills the memory storage), discarded
    for (let r = 0; r < RUNS; r++) {
      for (const s of all) s.results.push(await s.run());
    }
    console.log(`medians of ${RUNS} runs, ${WINDOW_MS} ms throughput + ${WINDOW_MS} ms latency window per run; ${contexts.length} users`);
    printTable(all);
  } finally {
    for (const app of apps) await app.close();
  }
  console.log(`(latency per call includes ~0.05 µs of hrtime; service bench took ${((Date.now() - started) / 1000).toFixed(1)} s)`);
}
