/**
 * The child process of events-instructions.bench.ts, run under callgrind: it builds every operation
 * once, tells the parent their names, then runs `{ op, n }` on request (n calls, awaited one by one,
 * yielding to I/O every TICK as events.bench.ts does) and answers `{ done }` once the work is settled
 * (queues flushed, every event delivered to the sink).
 */
import { HttpService } from '@nestjs/axios';
import axios, { type AxiosInstance } from 'axios';
import murmurhash from 'murmurhash';
import { compileSettings, decide } from '../../lib/engine';
import type { StoredLookup } from '../../lib/engine/types';
import { VWOEventsService } from '../../lib/events/vwo-events.service';
import type { VWOLogger } from '../../lib/logger/vwo-logger.interface';
import { benchContexts, fullRollout, manyFeatures, mutuallyExclusiveGroup, rolloutAndTest } from './bench-settings';
import { createOfficialSdk } from './official-sdk';

const TICK = 128;
const SDK_KEY = 'bench-events-sdk-key-0000000000000';
const NOTHING_STORED: StoredLookup = () => undefined;
const SILENT: VWOLogger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

interface Operation {
  call(i: number): unknown;
  /** Run after the n calls, inside the measured window. */
  settle(): Promise<void>;
  eventsPerDecision: number;
}

const yieldToIo = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
const nothing = async (): Promise<void> => undefined;

async function operations(sinkUrl: string): Promise<Map<string, Operation>> {
  const ops = new Map<string, Operation>();
  const contexts = benchContexts();
  const officialContexts = benchContexts();
  const mask = contexts.length - 1;
  const ids = contexts.map((c) => String(c.id));
  const features = new Map([['checkout', { campaignId: 101, accountId: 123456 }]]);
  ops.set('floor', {
    call: (i) => {
      const feature = features.get('checkout');
      const key = `${feature?.campaignId}_${feature?.accountId}_${ids[i & mask]}`;
      return murmurhash.v3(key, 1) + murmurhash.v3(key, 1) + murmurhash.v3(key, 1);
    },
    settle: nothing,
    eventsPerDecision: 0,
  });
  // An axios whose every POST answers 200 at once: batches are still built and serialised (to bytes).
  const answered = { post: () => Promise.resolve({ status: 200, data: '' }) } as unknown as AxiosInstance;
  for (const fixture of [fullRollout(), rolloutAndTest(), mutuallyExclusiveGroup(), manyFeatures(1000)]) {
    const snapshot = compileSettings(structuredClone(fixture.doc));
    const key = fixture.featureKey;
    const perDecision = contexts.reduce((n, c) => n + decide(snapshot, key, c, NOTHING_STORED).impressions.length, 0) / contexts.length;
    const events = (http: HttpService, extra: object = {}): VWOEventsService =>
      new VWOEventsService({ sdkKey: SDK_KEY, accountId: String(fixture.doc.accountId), proxyUrl: sinkUrl, maxQueueSize: 1_000_000, ...extra }, SILENT, http);
    const withEvents = (service: VWOEventsService): Operation => ({
      call: (i) => {
        const context = contexts[i & mask];
        service.impressions(snapshot, decide(snapshot, key, context, NOTHING_STORED), context);
      },
      settle: async () => {
        await service.flush();
      },
      eventsPerDecision: perDecision,
    });
    const f = fixture.name;
    ops.set(`${f}|ours decide()`, { call: (i) => decide(snapshot, key, contexts[i & mask], NOTHING_STORED), settle: nothing, eventsPerDecision: perDecision });
    ops.set(`${f}|ours + impressions, network stubbed`, withEvents(events(new HttpService(answered))));
    ops.set(`${f}|ours + impressions, HttpService`, withEvents(events(new HttpService(axios.create()))));
    ops.set(`${f}|ours + impressions, worker`, withEvents(events(new HttpService(axios.create()), { eventTransport: 'workerThread' })));
    const official = await createOfficialSdk(fixture.doc, { sdkKey: SDK_KEY });
    ops.set(`${f}|official getFlag, network stubbed`, {
      call: (i) => official.client.getFlag(key, officialContexts[i & mask]),
      settle: nothing,
      eventsPerDecision: perDecision,
    });
  }
  return ops;
}

async function runOp(op: Operation, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    const r = op.call(i);
    if (r instanceof Promise) await r;
    if (i % TICK === TICK - 1) await yieldToIo();
  }
  await op.settle();
}

async function main(): Promise<void> {
  const sinkUrl = process.env.EVENTS_CG_SINK ?? 'http://127.0.0.1:9';
  const ops = await operations(sinkUrl);
  process.on('message', (message: { op: string; n: number }) => {
    const op = ops.get(message.op);
    if (!op) return process.send!({ error: `unknown operation ${message.op}` });
    runOp(op, message.n).then(
      () => process.send!({ done: true }),
      (err: Error) => process.send!({ error: err.message }),
    );
  });
  process.on('disconnect', () => process.exit(0));
  process.send!({ ops: [...ops].map(([name, op]) => ({ name, eventsPerDecision: op.eventsPerDecision })) });
}

void main();
