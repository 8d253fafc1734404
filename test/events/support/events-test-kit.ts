import { HttpModule, HttpService } from '@nestjs/axios';
import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { MetricInfo, SettingsSnapshot } from '../../../lib/engine/contract';
import type { Decision, Impression } from '../../../lib/engine/types';
import type { VWOLogger } from '../../../lib/logger/vwo-logger.interface';
import { VWO_EVENTS_CONFIG, VWO_HTTP_SERVICE, VWO_LOGGER } from '../../../lib/vwo.internal-constants';
import { EventsOptions, EventsTuning, VWO_EVENTS_TUNING } from '../../../lib/events/events-options.interface';
import { VWOEventsService } from '../../../lib/events/vwo-events.service';
import { FakeVwoServer } from '../../support/fake-vwo-server';
import { BUSY_MACHINE_SLACK_MS } from '../../module/helpers/wait-until';

export const SDK_KEY = 'abcdef0123456789abcdef0123456789';
export const ACCOUNT_ID = '123456';

/** A minimal SettingsSnapshot: only what the events layer reads is meaningful. */
export function makeSnapshot(overrides: Partial<SettingsSnapshot> & { metrics?: string[] } = {}): SettingsSnapshot {
  const metrics = new Set(overrides.metrics ?? ['purchase']);
  const base: SettingsSnapshot = {
    accountId: Number(ACCOUNT_ID),
    version: 1,
    sdkKey: SDK_KEY,
    isMAU: false,
    devMode: false,
    raw: {},
    featureKeys: [],
    hasFeature: () => false,
    metric: (name: string): MetricInfo | undefined =>
      metrics.has(name) ? { id: 1, identifier: name, type: 'CUSTOM_GOAL' } : undefined,
    needsGateway: () => false,
    storageKeys: () => [],
  };
  const { metrics: _m, ...rest } = overrides;
  return { ...base, ...rest };
}

export function makeDecision(impressions: Impression[]): Decision {
  return { featureKey: 'f1', enabled: true, variables: [], reason: 'EXPERIMENT', writes: [], impressions };
}

/** Collects log lines per level so tests can assert on them. */
export class RecordingLogger implements VWOLogger {
  readonly lines: Array<{ level: string; message: string }> = [];
  debug = (m: string): void => void this.lines.push({ level: 'debug', message: m });
  info = (m: string): void => void this.lines.push({ level: 'info', message: m });
  warn = (m: string): void => void this.lines.push({ level: 'warn', message: m });
  error = (m: string): void => void this.lines.push({ level: 'error', message: m });
  at(level: string): string[] {
    return this.lines.filter((l) => l.level === level).map((l) => l.message);
  }
}

export interface EventsApp {
  app: INestApplication;
  events: VWOEventsService;
  logger: RecordingLogger;
}

/**
 * A small Nest app holding only VWOEventsService, with the two tokens provided here. Requests time out after 10 s
 * unless a test says otherwise: a worker thread's request on a busy machine can take over a second, and a timed-out
 * request that the server did answer is sent again.
 */
export async function startEventsApp(
  options: Partial<EventsOptions>,
  tuning: Partial<EventsTuning> = { requestTimeoutMs: 10_000 },
): Promise<EventsApp> {
  const logger = new RecordingLogger();
  const moduleRef = await Test.createTestingModule({
    imports: [HttpModule],
    providers: [
      VWOEventsService,
      { provide: VWO_HTTP_SERVICE, useExisting: HttpService },
      { provide: VWO_EVENTS_CONFIG, useValue: { sdkKey: SDK_KEY, accountId: ACCOUNT_ID, ...options } },
      { provide: VWO_LOGGER, useValue: logger },
      { provide: VWO_EVENTS_TUNING, useValue: tuning },
    ],
  }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  await app.init();
  return { app, events: app.get(VWOEventsService), logger };
}

/** Fast retries for tests: 20 ms, 40 ms, 80 ms. */
export const FAST_RETRY = { shouldRetry: true, maxRetries: 3, initialDelay: 0.02, backoffMultiplier: 2 };

/** Envelopes of every recorded batch request (the `ev` arrays flattened). */
export function batchedEnvelopes(requests: Array<{ json?: unknown }>): Array<{ d: Record<string, any> }> {
  return requests.flatMap((r) => (r.json as { ev: Array<{ d: Record<string, any> }> }).ev);
}

/**
 * Scheduling slack for bounds that are the promise (e.g. "shutdown ends within shutdownTimeout"): a busy 2-core
 * CI can stall timers, I/O and a worker thread's exit this long, and it stays far below what breaking the
 * promise would take (the default retries alone wait 2 + 4 + 8 s; the tests' hanging requests time out after a minute).
 */
export const SCHEDULING_SLACK_MS = BUSY_MACHINE_SLACK_MS;

/**
 * One fake VWO server per test (the same object, listening afresh on a new port for each test, so a request a
 * previous test's app still had in flight can never reach it), and the app a test started, closed after it.
 */
export interface EventsTestBed {
  readonly server: FakeVwoServer;
  start(options: Partial<EventsOptions>, tuning?: Partial<EventsTuning>): Promise<EventsApp>;
  /** Closes the running app now (a test measuring shutdown); afterEach then has nothing to close. */
  closeApp(): Promise<void>;
}

/** Call inside a describe block: registers its beforeEach/afterEach hooks. */
export function eventsTestBed(): EventsTestBed {
  const server = new FakeVwoServer();
  let running: EventsApp | undefined;
  const closeApp = async (): Promise<void> => {
    const app = running?.app;
    running = undefined;
    await app?.close();
  };
  beforeEach(async () => {
    server.reset();
    await server.start();
  });
  afterEach(async () => {
    await closeApp();
    await server.stop();
  });
  return {
    server,
    async start(options, tuning) {
      running = await startEventsApp(options, tuning);
      return running;
    },
    closeApp,
  };
}
