/**
 * What delivering impressions costs a decision, ours vs VWO's official SDK (1.35), in one run.
 *
 * Each series makes N decisions (yielding to I/O every 128, as a server between requests would) and
 * the clock stops only when the loopback "VWO" (a child process, so its CPU is not charged here) has
 * received every impression. "Overhead" is the throughput lost against the same implementation with
 * no delivery. Ours gets a queue that holds a whole run (the producer outruns delivery; with the default
 * 10,000 the queue would drop events and the series would look faster than it is), and a run whose
 * events did not all reach the sink fails. The sink counts without parsing bodies, for every series alike.
 *
 *   ours decide()                    the engine alone (no event built)
 *   ours, network stubbed            + impressions queued, batched and serialised; the HTTP call answers 200 at once
 *   ours + impressions, HttpService  decide() + VWOEventsService.impressions(), batches of 100 to the sink (default)
 *   ours + impressions, worker       the same with `eventTransport: 'workerThread'` (HTTP off this thread)
 *   official getFlag, no network     vwo-fme-node-sdk getFlag, network client stubbed (payloads still built)
 *   official, unbatched (default)    1.35's default: one POST /events/t per impression, its own HTTP client
 *   official, batched 100/3s         batchEventData { 100, 3 }, requests forwarded to the sink
 *
 * Two overheads are shown. "vs no events" compares with the engine alone: everything events cost. "vs network
 * stubbed" compares with the same pipeline minus the network, which is how the official SDK's figures are
 * taken (its payloads are built inside getFlag and cannot be turned off): the cost of delivery itself.
 * Both are wall clock, which ends only when the sink has every event, so they are bounded by delivery too.
 * "Main-thread CPU µs/decision" is what the thread that would serve an app's requests spent (from /proc):
 * with the worker transport, the HTTP client runs on another thread (on this 2-core machine the worker and
 * the sink share the other core, which is why its wall-clock gain is smaller than its CPU gain).
 */
import { HttpService } from '@nestjs/axios';
import axios, { type AxiosInstance } from 'axios';
import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { init, type IVWOClient, type IVWOOptions } from 'vwo-fme-node-sdk';
import { compileSettings, decide } from '../lib/engine';
import type { StoredLookup } from '../lib/engine/types';
import { VWOEventsService } from '../lib/events/vwo-events.service';
import type { VWOLogger } from '../lib/logger/vwo-logger.interface';
import { EventSink } from '../test/events/support/event-sink';
import { benchContexts, rolloutAndTest } from './support/bench-settings';
import { createOfficialSdk } from './support/official-sdk';
import { median } from './support/stats';
import { renderTable } from './support/table';

const RUNS = 3;
const OURS_N = 40_000;
const OFFICIAL_N = 4_000;
const YIELD_EVERY = 128;
const SDK_KEY = 'bench-events-sdk-key-0000000000000';
const NOTHING_STORED: StoredLookup = () => undefined;
const OURS_STUBBED = 'ours, network stubbed';
/** USER_HZ: 100 on every Linux build Node supports. */
const CLOCK_TICKS_PER_SECOND = 100;
const SILENT: VWOLogger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

type Step = (i: number) => unknown;

interface Series {
  name: string;
  n: number;
  /** The series without any event work, if there is one (the engine alone). */
  noEvents?: string;
  /** The same pipeline with the network stubbed (payloads built). */
  stubbed?: string;
  step: Step;
  /** Waits until everything this run produced has been delivered. */
  settle(expectedEvents: number): Promise<void>;
  /** Impressions one decision produces (0 when nothing is delivered). */
  eventsPerDecision: number;
  perSecond: number[];
  /** CPU µs of the main thread per decision, per run (Linux; empty elsewhere). */
  mainCpuUs: number[];
}

const contexts = benchContexts();
const mask = contexts.length - 1;
const yieldToIo = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

async function timeRun(series: Series, sink: EventSink): Promise<number> {
  await sink.reset();
  const cpuBefore = mainThreadCpuUs();
  const start = process.hrtime.bigint();
  for (let i = 0; i < series.n; i++) {
    const r = series.step(i);
    if (r instanceof Promise) await r;
    if (i % YIELD_EVERY === YIELD_EVERY - 1) await yieldToIo();
  }
  await series.settle(series.n * series.eventsPerDecision);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const cpuAfter = mainThreadCpuUs();
  if (cpuBefore !== undefined && cpuAfter !== undefined) series.mainCpuUs.push((cpuAfter - cpuBefore) / series.n);
  return series.n / seconds;
}

/**
 * CPU time of this process's main thread (not the worker thread, not the sink), from /proc on Linux: what
 * the thread serving an app's requests spends. Clock ticks of 10 ms, so runs are kept around a second.
 */
function mainThreadCpuUs(): number | undefined {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    // Fields after the ")" that closes the command name: utime and stime are the 12th and 13th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1e6) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/** Polls the sink until it has counted `expected` events (fire-and-forget senders give no other signal). */
async function sinkReached(sink: EventSink, expected: number): Promise<void> {
  const deadline = Date.now() + 60_000;
  while ((await sink.stats()).events < expected) {
    if (Date.now() > deadline) throw new Error(`sink saw fewer than ${expected} events`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** A network.client that forwards the SDK's requests to the sink the way its own client would (no keep-alive). */
function forwardingClient(sinkPort: number): NonNullable<NonNullable<IVWOOptions['network']>['client']> {
  const ok = { getData: () => ({}), getStatusCode: () => 200, getError: () => undefined, getTotalAttempts: () => 0, getHeaders: () => ({}) };
  const send = (req: { getOptions(): Record<string, any> }): Promise<typeof ok> =>
    new Promise((resolve, reject) => {
      const o = req.getOptions();
      const body = o.body === undefined ? undefined : JSON.stringify(o.body);
      const r = httpRequest({ host: '127.0.0.1', port: sinkPort, path: o.path, method: o.method, headers: o.headers, agent: false }, (res) => {
        res.resume();
        res.on('end', () => resolve(ok));
      });
      r.on('error', reject);
      r.end(body);
    });
  return { GET: send, POST: send } as never;
}

async function officialClient(doc: Record<string, unknown>, extra: Partial<IVWOOptions>): Promise<IVWOClient> {
  return init({
    sdkKey: SDK_KEY,
    accountId: String(doc.accountId),
    settings: structuredClone(doc),
    isUsageStatsDisabled: true,
    logger: { level: 'ERROR', transports: [{ log: () => undefined }] },
    ...extra,
  } as IVWOOptions);
}

export async function run(): Promise<void> {
  const sink = await EventSink.start({ countOnly: true });
  try {
    const fixture = rolloutAndTest();
    const snapshot = compileSettings(structuredClone(fixture.doc));
    const key = fixture.featureKey;
    const impressionsPer = decide(snapshot, key, contexts[0], NOTHING_STORED).impressions.length;
    const accountId = String(fixture.doc.accountId);
    const eventsOptions = { sdkKey: SDK_KEY, accountId, proxyUrl: sink.url, maxQueueSize: OURS_N * impressionsPer };
    const events = new VWOEventsService(eventsOptions, SILENT, new HttpService(axios.create()));
    const workerEvents = new VWOEventsService({ ...eventsOptions, eventTransport: 'workerThread' }, SILENT, new HttpService(axios.create()));
    // An axios whose every POST answers 200 at once: batches are still built and serialised.
    const answered = { post: () => Promise.resolve({ status: 200, data: '' }) } as unknown as AxiosInstance;
    const stubbedEvents = new VWOEventsService(eventsOptions, SILENT, new HttpService(answered));
    const oursWith = (service: VWOEventsService): Step => (i) => {
      const context = contexts[i & mask];
      service.impressions(snapshot, decide(snapshot, key, context, NOTHING_STORED), context);
    };
    const deliveredBy = (service: VWOEventsService) => async (expected: number): Promise<void> => {
      await service.flush();
      await sinkReached(sink, expected);
      const dropped = service.stats.droppedEvents;
      if (dropped > 0) throw new Error(`${dropped} events were dropped: the run is not comparable`);
    };

    const offline = await createOfficialSdk(fixture.doc, { sdkKey: SDK_KEY });
    const unbatched = await officialClient(fixture.doc, { gatewayService: { url: sink.url } });
    const sinkPort = Number(new URL(sink.url).port);
    const batched = await officialClient(fixture.doc, {
      batchEventData: { eventsPerRequest: 100, requestTimeInterval: 3 },
      network: { client: forwardingClient(sinkPort) },
    });
    const ctx = (i: number): Record<string, unknown> => structuredClone(contexts[i & mask]) as never;
    const noSettle = async (): Promise<void> => undefined;

    const all: Series[] = [
      { name: 'ours decide()', n: OURS_N, step: (i) => decide(snapshot, key, contexts[i & mask], NOTHING_STORED), settle: noSettle, eventsPerDecision: 0, perSecond: [], mainCpuUs: [] },
      {
        name: OURS_STUBBED,
        noEvents: 'ours decide()',
        n: OURS_N,
        step: oursWith(stubbedEvents),
        settle: async () => {
          const flushed = await stubbedEvents.flush();
          if (flushed.status === 'failed') throw new Error('the stubbed network failed a batch');
        },
        eventsPerDecision: 0,
        perSecond: [],
        mainCpuUs: [],
      },
      {
        name: 'ours + impressions, HttpService',
        noEvents: 'ours decide()',
        stubbed: OURS_STUBBED,
        n: OURS_N,
        step: oursWith(events),
        settle: deliveredBy(events),
        eventsPerDecision: impressionsPer,
        perSecond: [],
        mainCpuUs: [],
      },
      {
        name: 'ours + impressions, worker',
        noEvents: 'ours decide()',
        stubbed: OURS_STUBBED,
        n: OURS_N,
        step: oursWith(workerEvents),
        settle: deliveredBy(workerEvents),
        eventsPerDecision: impressionsPer,
        perSecond: [],
        mainCpuUs: [],
      },
      { name: 'official getFlag, no network', n: OFFICIAL_N, step: (i) => offline.client.getFlag(key, ctx(i)), settle: noSettle, eventsPerDecision: 0, perSecond: [], mainCpuUs: [] },
      {
        name: 'official, unbatched (1.35 default)',
        stubbed: 'official getFlag, no network',
        n: OFFICIAL_N,
        step: (i) => unbatched.getFlag(key, ctx(i)),
        settle: (expected) => sinkReached(sink, expected),
        eventsPerDecision: impressionsPer,
        perSecond: [],
        mainCpuUs: [],
      },
      {
        name: 'official, batched 100/3s',
        stubbed: 'official getFlag, no network',
        n: OFFICIAL_N,
        step: (i) => batched.getFlag(key, ctx(i)),
        settle: async (expected) => {
          await batched.flushEvents();
          await sinkReached(sink, expected);
        },
        eventsPerDecision: impressionsPer,
        perSecond: [],
        mainCpuUs: [],
      },
    ];

    for (const s of all) await timeRun({ ...s, n: Math.ceil(s.n / 10), mainCpuUs: [] }, sink); // warm-up
    for (let r = 0; r < RUNS; r++) for (const s of all) s.perSecond.push(await timeRun(s, sink));
    await Promise.all([events, workerEvents, stubbedEvents].map((e) => e.beforeApplicationShutdown()));

    const medians = new Map(all.map((s) => [s.name, median(s.perSecond)]));
    /** Share of throughput lost against a baseline series, and µs added per decision. */
    const overhead = (mine: number, baseline?: string): string[] => {
      const base = baseline ? medians.get(baseline) : undefined;
      if (base === undefined) return ['-', '-'];
      return [`${((1 - mine / base) * 100).toFixed(1)}%`, (1e6 / mine - 1e6 / base).toFixed(1)];
    };
    console.log(`fixture "${fixture.name}", ${impressionsPer} impression(s) per decision, medians of ${RUNS} runs`);
    console.log(
      renderTable(
        ['series', 'decisions/s', 'overhead vs no events', 'µs added', 'overhead vs network stubbed', 'µs added', 'main-thread CPU µs/decision'],
        all.map((s) => {
          const mine = medians.get(s.name)!;
          const cpu = s.mainCpuUs.length ? median(s.mainCpuUs).toFixed(2) : '-';
          return [s.name, Math.round(mine).toLocaleString('en-US'), ...overhead(mine, s.noEvents), ...overhead(mine, s.stubbed), cpu];
        }),
      ),
    );
  } finally {
    await sink.stop();
  }
}
