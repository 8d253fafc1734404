/**
 * A decision with its impressions, ours vs VWO's official SDK (1.35), side by side in one run, nothing stored
 * (every decision builds its impressions, as the official SDK's do). Three modes, for every fixture:
 *
 *   decide only       ours: decide(); official: getFlag with its network stubbed (it builds its payloads
 *                     inside getFlag, so no official figure leaves them out)
 *   built + queued    ours: decide() + VWOEventsService.impressions(), batches serialised and handed to an
 *                     HttpService whose axios answers 200 at once (network stubbed)
 *   delivered         impressions POSTed to a loopback sink in another process (its CPU is not ours), by
 *                     HttpService (the default; also with eventsPerRequest 1000, which VWO allows), by the
 *                     worker transport, by the official SDK unbatched (its default) and batched 100/3 s;
 *                     the run ends when the sink has every event.
 *                     Only for the headline fixture (segmented rollout + test), to keep the bench short.
 * and the floor of any decision: one Map lookup + three murmurhash.v3 + one await.
 *
 * Every call is awaited once (a getFlag is a promise). Calls come in ticks of TICK; between ticks the loop
 * yields to I/O (setImmediate), so timers, batch sends and responses run as they would between requests.
 *   decisions/s       calls ÷ wall time of the run (including those yields and, for delivered, the wait
 *                     for the last events to reach the sink)
 *   p50/p99/p99.9     per call, from before the call to after its await; the first call of a tick is
 *                     also charged the yield before it (a request arriving then waits for whatever the
 *                     loop ran: batch serialisation, HTTP), so event-loop stalls show up here
 *   CPU µs/decision   the main thread's CPU time (Linux schedstat, ns) ÷ calls
 *   CPU µs/event      (CPU/decision − CPU/decision of the same implementation's decide-only row) ÷ events
 *                     per decision: what building, queueing, serialising and sending cost per event
 *   GC ms/10k         V8's GC pauses on the main thread (perf_hooks 'gc'), per 10,000 decisions
 * Series are interleaved run by run; the table shows medians of RUNS runs (after one warm-up run each).
 */
import { HttpService } from '@nestjs/axios';
import axios, { type AxiosInstance } from 'axios';
import murmurhash from 'murmurhash';
import { performance } from 'node:perf_hooks';
import { init, type IVWOClient, type IVWOOptions } from 'vwo-fme-node-sdk';
import { compileSettings, decide } from '../lib/engine';
import type { StoredLookup } from '../lib/engine/types';
import { VWOEventsService } from '../lib/events/vwo-events.service';
import type { VWOLogger } from '../lib/logger/vwo-logger.interface';
import { EventSink } from '../test/events/support/event-sink';
import { benchContexts, BenchFixture, fullRollout, mutuallyExclusiveGroup, rolloutAndTest } from './support/bench-settings';
import { createOfficialSdk } from './support/official-sdk';
import { forwardingClient } from './support/forwarding-client';
import { median, percentile } from './support/stats';
import { renderTable } from './support/table';
import { GcPauses, mainThreadCpuNs } from './support/thread-meters';

const RUNS = Number(process.env.EVENTS_BENCH_RUNS ?? 5);
const OURS_N = 20_000;
const OFFICIAL_N = 600;
const TICK = 128;
const SDK_KEY = 'bench-events-sdk-key-0000000000000';
const NOTHING_STORED: StoredLookup = () => undefined;
const SILENT: VWOLogger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const GOAL = { timesOfficial: 500, floorShare: 0.5, p99Us: 20, cpuPerDeliveredEventUs: 3 };

type Mode = 'floor' | 'decide only' | 'built + queued' | 'delivered';
type Op = (i: number) => Promise<unknown>;

interface RunStats {
  perSecond: number;
  p50: number;
  p99: number;
  p999: number;
  cpuUsPerDecision: number;
  gcMsPer10k: number;
}

interface Series {
  fixture: string;
  name: string;
  mode: Mode;
  ours: boolean;
  n: number;
  op: Op;
  /** Events the call at index i makes the sink receive (0 when nothing is delivered). */
  deliveredPer(i: number): number;
  /** Events per decision (for CPU per event). */
  eventsPerDecision: number;
  /** Runs before every measured run, untimed. */
  prepare?(): Promise<void>;
  /** Waits until this run's work is done (queue flushed, sink has every event). */
  settle(expectedEvents: number): Promise<void>;
  /** The same implementation's row whose CPU/decision is subtracted for CPU per event. */
  cpuBaseline?: string;
  /** The official row this one is compared with. */
  official?: string;
  runs: RunStats[];
}

const yieldToIo = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
const nothingToSettle = async (): Promise<void> => undefined;

async function measure(s: Series, gc: GcPauses, sink: EventSink): Promise<RunStats> {
  let expected = 0;
  for (let i = 0; i < s.n; i++) expected += s.deliveredPer(i);
  await s.prepare?.();
  if (expected > 0) await sink.reset();
  const samples = new Float64Array(s.n);
  gc.take();
  const cpu0 = mainThreadCpuNs();
  const t0 = performance.now();
  let charge = 0;
  for (let i = 0; i < s.n; i++) {
    const a = performance.now();
    await s.op(i);
    samples[i] = performance.now() - a + charge;
    charge = 0;
    if (i % TICK === TICK - 1) {
      const y = performance.now();
      await yieldToIo();
      charge = performance.now() - y;
    }
  }
  await s.settle(expected);
  const seconds = (performance.now() - t0) / 1000;
  const cpu1 = mainThreadCpuNs();
  const gcMs = gc.take();
  const us = (p: number): number => percentile(samples as unknown as number[], p) * 1000;
  return {
    perSecond: s.n / seconds,
    p50: us(50),
    p99: us(99),
    p999: us(99.9),
    cpuUsPerDecision: cpu0 !== undefined && cpu1 !== undefined ? (cpu1 - cpu0) / 1000 / s.n : NaN,
    gcMsPer10k: (gcMs / s.n) * 10_000,
  };
}

/** Polls the sink until it has counted `expected` events (fire-and-forget senders give no other signal). */
async function sinkReached(sink: EventSink, expected: number): Promise<void> {
  const deadline = Date.now() + 120_000;
  while ((await sink.stats()).events < expected) {
    if (Date.now() > deadline) throw new Error(`sink saw fewer than ${expected} events`);
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

function officialClient(doc: Record<string, unknown>, extra: Partial<IVWOOptions>): Promise<IVWOClient> {
  return init({
    sdkKey: SDK_KEY,
    accountId: String(doc.accountId),
    settings: structuredClone(doc),
    isUsageStatsDisabled: true,
    logger: { level: 'ERROR', transports: [{ log: () => undefined }] },
    ...extra,
  } as IVWOOptions);
}

/** The least a decision can cost: find the feature, hash three bucketing keys, hand back through one await. */
function floorSeries(): Series {
  const features = new Map([['checkout', { campaignId: 101, accountId: 123456 }]]);
  const ids = benchContexts().map((c) => String(c.id));
  const mask = ids.length - 1;
  const op: Op = async (i) => {
    const feature = features.get('checkout');
    const key = `${feature?.campaignId}_${feature?.accountId}_${ids[i & mask]}`;
    return await (murmurhash.v3(key, 1) + murmurhash.v3(key, 1) + murmurhash.v3(key, 1));
  };
  return { fixture: '-', name: 'floor', mode: 'floor', ours: false, n: OURS_N, op, deliveredPer: () => 0, eventsPerDecision: 0, settle: nothingToSettle, runs: [] };
}

interface Resources {
  sink: EventSink;
  services: VWOEventsService[];
}

async function seriesFor(fixture: BenchFixture, delivered: boolean, res: Resources): Promise<Series[]> {
  const snapshot = compileSettings(structuredClone(fixture.doc));
  const key = fixture.featureKey;
  const contexts = benchContexts();
  // The official SDK adds fields to a context: it gets its own (equal) users.
  const officialContexts = benchContexts();
  const mask = contexts.length - 1;
  const impressions = contexts.map((c) => decide(snapshot, key, c, NOTHING_STORED).impressions.length);
  const perDecision = impressions.reduce((a, b) => a + b, 0) / impressions.length;
  const deliveredPer = (i: number): number => impressions[i & mask];
  const accountId = String(fixture.doc.accountId);
  const eventsService = (http: HttpService, extra: object = {}): VWOEventsService => {
    const options = { sdkKey: SDK_KEY, accountId, proxyUrl: res.sink.url, maxQueueSize: 10 * OURS_N * 4, ...extra };
    const service = new VWOEventsService(options, SILENT, http);
    res.services.push(service);
    return service;
  };
  // An axios whose every POST answers 200 at once: batches are still built and serialised.
  const answered = { post: () => Promise.resolve({ status: 200, data: '' }) } as unknown as AxiosInstance;
  const stubbed = eventsService(new HttpService(answered));
  const withEvents = (service: VWOEventsService): Op => async (i) => {
    const context = contexts[i & mask];
    const decision = decide(snapshot, key, context, NOTHING_STORED);
    service.impressions(snapshot, decision, context);
    return decision;
  };
  const deliveredBy = (service: VWOEventsService) => async (expected: number): Promise<void> => {
    await service.flush();
    await sinkReached(res.sink, expected);
    const dropped = service.stats.droppedEvents;
    if (dropped > 0) throw new Error(`${dropped} events were dropped: the run is not comparable`);
  };
  // The official SDK keeps its network client in a module-level singleton, so the last client created
  // sends for all: each official series creates its client again before each of its runs.
  let offline: IVWOClient | undefined;
  const prepareOffline = async (): Promise<void> => {
    offline = (await createOfficialSdk(fixture.doc, { sdkKey: SDK_KEY })).client;
  };
  const f = fixture.name;
  const base = (): Pick<Series, 'fixture' | 'eventsPerDecision' | 'runs'> => ({ fixture: f, eventsPerDecision: perDecision, runs: [] });
  const oursDecide = `${f}|ours decide()`;
  const officialStubbed = `${f}|official getFlag, network stubbed`;
  const all: Series[] = [
    { ...base(), name: 'ours decide()', mode: 'decide only', ours: true, n: OURS_N, op: async (i) => decide(snapshot, key, contexts[i & mask], NOTHING_STORED), deliveredPer: () => 0, settle: nothingToSettle, official: officialStubbed },
    {
      ...base(),
      name: 'ours + impressions, network stubbed',
      mode: 'built + queued',
      ours: true,
      n: OURS_N,
      op: withEvents(stubbed),
      deliveredPer: () => 0,
      settle: async () => {
        if ((await stubbed.flush()).status === 'failed') throw new Error('the stubbed network failed a batch');
      },
      cpuBaseline: oursDecide,
      official: officialStubbed,
    },
    { ...base(), name: 'official getFlag, network stubbed', mode: 'built + queued', ours: false, n: OFFICIAL_N, op: (i) => offline!.getFlag(key, officialContexts[i & mask]), deliveredPer: () => 0, settle: nothingToSettle, prepare: prepareOffline },
  ];
  if (!delivered) return all;

  const http = eventsService(new HttpService(axios.create()));
  const worker = eventsService(new HttpService(axios.create()), { eventTransport: 'workerThread' });
  // VWO accepts up to 5000 events per request: larger batches spread HttpService's per-request cost.
  const http1000 = eventsService(new HttpService(axios.create()), { batchEventData: { eventsPerRequest: 1000, requestTimeInterval: 3 } });
  let unbatched: IVWOClient | undefined;
  let batched: IVWOClient | undefined;
  const prepareUnbatched = async (): Promise<void> => {
    unbatched = await officialClient(fixture.doc, { gatewayService: { url: res.sink.url } });
  };
  const prepareBatched = async (): Promise<void> => {
    batched = await officialClient(fixture.doc, {
      batchEventData: { eventsPerRequest: 100, requestTimeInterval: 3 },
      network: { client: forwardingClient(Number(new URL(res.sink.url).port)) },
    });
  };
  const officialUnbatched = `${f}|official, unbatched (1.35 default)`;
  const delivery = { mode: 'delivered' as const, deliveredPer };
  all.push(
    { ...base(), ...delivery, name: 'ours + impressions, HttpService', ours: true, n: OURS_N, op: withEvents(http), settle: deliveredBy(http), cpuBaseline: oursDecide, official: officialUnbatched },
    { ...base(), ...delivery, name: 'ours + impressions, HttpService, 1000/request', ours: true, n: OURS_N, op: withEvents(http1000), settle: deliveredBy(http1000), cpuBaseline: oursDecide, official: officialUnbatched },
    { ...base(), ...delivery, name: 'ours + impressions, worker', ours: true, n: OURS_N, op: withEvents(worker), settle: deliveredBy(worker), cpuBaseline: oursDecide, official: officialUnbatched },
    { ...base(), ...delivery, name: 'official, unbatched (1.35 default)', ours: false, n: OFFICIAL_N, op: (i) => unbatched!.getFlag(key, officialContexts[i & mask]), prepare: prepareUnbatched, settle: (n) => sinkReached(res.sink, n), cpuBaseline: officialStubbed },
    {
      ...base(),
      ...delivery,
      name: 'official, batched 100/3s',
      ours: false,
      n: OFFICIAL_N,
      op: (i) => batched!.getFlag(key, officialContexts[i & mask]),
      prepare: prepareBatched,
      settle: async (n) => {
        await batched!.flushEvents();
        await sinkReached(res.sink, n);
      },
      cpuBaseline: officialStubbed,
    },
  );
  return all;
}

interface Row {
  series: Series;
  perSecond: number;
  p50: number;
  p99: number;
  p999: number;
  cpu: number;
  gc: number;
}

function summarise(s: Series): Row {
  const m = (field: keyof RunStats): number => median(s.runs.map((r) => r[field]));
  return { series: s, perSecond: m('perSecond'), p50: m('p50'), p99: m('p99'), p999: m('p999'), cpu: m('cpuUsPerDecision'), gc: m('gcMsPer10k') };
}

function printTables(rows: Row[]): void {
  const byKey = new Map(rows.map((r) => [`${r.series.fixture}|${r.series.name}`, r]));
  const floor = rows.find((r) => r.series.mode === 'floor');
  for (const fixture of [...new Set(rows.map((r) => r.series.fixture))]) {
    const mine = rows.filter((r) => r.series.fixture === fixture);
    console.log(fixture === '-' ? '\nfloor (one Map lookup + three murmurhash.v3 + one await)' : `\n${fixture}, ${mine[0].series.eventsPerDecision} impression(s) per decision`);
    const cells = mine.map((r) => {
      const official = r.series.official ? byKey.get(r.series.official) : undefined;
      const baseline = r.series.cpuBaseline ? byKey.get(r.series.cpuBaseline) : undefined;
      const perEvent = baseline && r.series.eventsPerDecision > 0 ? (r.cpu - baseline.cpu) / r.series.eventsPerDecision : NaN;
      return [
        r.series.mode,
        r.series.name,
        r.perSecond,
        official ? r.perSecond / official.perSecond : NaN,
        floor && r !== floor ? r.perSecond / floor.perSecond : NaN,
        r.p50,
        r.p99,
        r.p999,
        r.cpu,
        perEvent,
        r.gc,
      ];
    });
    console.log(
      renderTable(
        ['mode', 'series', 'decisions/s', '× official', 'of floor', 'p50 µs', 'p99 µs', 'p99.9 µs', 'CPU µs/decision', 'CPU µs/event', 'GC ms/10k'],
        cells,
        [0, 0, 0, 0, 2, 2, 1, 1, 2, 2, 1],
      ),
    );
  }
  printGoals(rows, byKey, floor);
}

function printGoals(rows: Row[], byKey: Map<string, Row>, floor: Row | undefined): void {
  console.log(`\ngoals (built + queued, every fixture; CPU per delivered event through HttpService):`);
  for (const r of rows.filter((x) => x.series.ours && x.series.mode === 'built + queued')) {
    const official = byKey.get(r.series.official!)!;
    const times = r.perSecond / official.perSecond;
    const share = floor ? r.perSecond / floor.perSecond : NaN;
    const mark = (ok: boolean): string => (ok ? 'met' : 'NOT met');
    // The floor's own ratio shows how far below the floor a decision must go for the ×official goal.
    const floorTimes = floor ? floor.perSecond / official.perSecond : NaN;
    console.log(
      `  ${r.series.fixture}: ${times.toFixed(0)}× official (${mark(times >= GOAL.timesOfficial)}; the floor itself is ${floorTimes.toFixed(0)}×), ${share.toFixed(2)} of floor (${mark(share >= GOAL.floorShare)}), p99 ${r.p99.toFixed(1)} µs (${mark(r.p99 < GOAL.p99Us)})`,
    );
  }
  for (const r of rows.filter((x) => x.series.name.startsWith('ours + impressions, HttpService'))) {
    const perEvent = (r.cpu - byKey.get(r.series.cpuBaseline!)!.cpu) / r.series.eventsPerDecision;
    console.log(`  ${r.series.fixture}, ${r.series.name}: ${perEvent.toFixed(2)} µs main-thread CPU per delivered event (${perEvent <= GOAL.cpuPerDeliveredEventUs ? 'met' : 'NOT met'})`);
  }
}

export async function run(): Promise<void> {
  const started = Date.now();
  const res: Resources = { sink: await EventSink.start({ countOnly: true }), services: [] };
  const gc = new GcPauses();
  try {
    const all: Series[] = [floorSeries()];
    all.push(...(await seriesFor(fullRollout(), false, res)));
    all.push(...(await seriesFor(rolloutAndTest(), true, res)));
    all.push(...(await seriesFor(mutuallyExclusiveGroup(), false, res)));
    for (const s of all) await measure({ ...s, n: Math.ceil(s.n / 4) }, gc, res.sink); // warm-up, discarded
    for (let r = 0; r < RUNS; r++) for (const s of all) s.runs.push(await measure(s, gc, res.sink));
    console.log(`medians of ${RUNS} runs; ours ${OURS_N.toLocaleString('en-US')} and official ${OFFICIAL_N} decisions per run, ${TICK} per tick`);
    printTables(all.map(summarise));
  } finally {
    gc.close();
    await Promise.all(res.services.map((s) => s.beforeApplicationShutdown()));
    await res.sink.stop();
  }
  console.log(`(events bench took ${((Date.now() - started) / 1000).toFixed(1)} s)`);
}
