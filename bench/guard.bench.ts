/**
 * Cost of the @FeatureFlag guard, two ways.
 *
 * 1. HTTP, per adapter: two Nest apps in child processes (so the load generator, autocannon in this
 *    process, does not share their event loop), loaded in turn on 127.0.0.1:
 *      plain            no guard, in an app where AsyncLocalStorage never ran: the baseline
 *      noop guard       a guard that returns true: what any guard costs in Nest's pipeline
 *      guarded          @FeatureFlag('everyone'): our guard + VWOService (real engine, memory storage,
 *                       events queued), default options: the guard makes the user current (ALS)
 *      guarded, no ALS  the same with `propagateContext: false` (the guard never touches ALS)
 *      official         a guard around VWO's official Node SDK 1.35 (created offline), the same flag
 *      plain, ALS on    the plain route of the app whose guard turned ALS on (on Node 20 the async
 *                       hooks behind AsyncLocalStorage slow every promise of the process once it is used)
 *    Each case gets a discarded warm-up, then ROUNDS rounds; each round runs every case once, in an order
 *    rotated per round, so drift and machine noise hit every case alike. The tables show medians over
 *    the rounds, and the ratios vs plain are medians of per-round ratios. Besides req/s and p99 (wall
 *    clock, sensitive to other load on the machine), each server reports the CPU time it spent: CPU µs
 *    per request is the steadier number on a shared machine.
 * 2. In process, no HTTP (in the Fastify servers, once their load is over): CPU µs per call through the
 *    real guard instance's canActivate with the real VWOService, against getFlag alone and the same
 *    guard class over a constant flag (the guard's own cost).
 *
 * Users rotate over 10 000 ids (header x-vwo-user-id); the flag is on for all of them (200s only).
 * The apps are offline (no sdkKey): no event is built or sent, so none of the cost is event traffic.
 * GUARD_BENCH_DETAIL=1 adds two cases that split 'guarded, no ALS': VWOService.getFlag behind a
 * minimal guard (engine + storage), and our guard over a constant flag (the guard alone).
 * GUARD_BENCH_STORAGE=off runs every app without sticky storage.
 * Bounded: about 75 s with the defaults (GUARD_BENCH_SECONDS=0.8, GUARD_BENCH_ROUNDS=5); rounds stop
 * early, with a note, if the whole run would pass TIME_LIMIT_MS.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { loadavg } from 'node:os';
import {
  CanActivate,
  Controller,
  ExecutionContext,
  Get,
  Inject,
  Injectable,
  INestApplicationContext,
  Module,
  NotFoundException,
  SetMetadata,
  UseGuards,
  type DynamicModule,
} from '@nestjs/common';
import { NestFactory, Reflector } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import autocannon from 'autocannon';
import { FeatureFlag, FeatureFlagGuard } from '../lib/http';
import type { VWOHttpOptions } from '../lib/http/vwo-request-flags';
import { FEATURE_FLAG_METADATA, VWO_HTTP_CONFIG } from '../lib/vwo.internal-constants';
import { VWOModule } from '../lib/vwo.module';
import { VWOService } from '../lib/vwo.service';
import { vwoTestOptions } from '../test/http/support/http-test-app';
import { httpTestSettings } from '../test/http/support/http-test-settings';
import { createOfficialSdk, type OfficialSdk } from './support/official-sdk';
import { median } from './support/stats';
import { ADAPTERS, APP_KINDS, CHILD_ENV, guardCases, PLAIN, USER_HEADER, USERS, type AdapterName, type AppKind, type GuardCase } from './support/guard-apps';
import { renderTable, type Cell } from './support/table';


const HTTP_CASES: GuardCase[] = guardCases();

const SECONDS = Number(process.env.GUARD_BENCH_SECONDS ?? 0.8);
const ROUNDS = Math.max(5, Number(process.env.GUARD_BENCH_ROUNDS ?? 5));
const WARMUP_SECONDS = 0.4;
const TIME_LIMIT_MS = 88_000;
/** What the in-process part needs after the HTTP rounds. */
const IN_PROCESS_RESERVE_MS = 5_000;
const CONNECTIONS = 16;
const FLAG = 'everyone';
const OFFICIAL_SDK = Symbol('OFFICIAL_SDK');

// ---- the app (child processes) ----

/** The official SDK's getFlag behind the same fail-closed rule as ours (a user id from the header). */
@Injectable()
class OfficialFlagGuard implements CanActivate {
  constructor(@Inject(OFFICIAL_SDK) private readonly sdk: OfficialSdk) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const id = ctx.switchToHttp().getRequest<{ headers: Record<string, string | undefined> }>().headers[USER_HEADER];
    if (!id || !(await this.sdk.client.getFlag(FLAG, { id })).isEnabled()) throw new NotFoundException();
    return true;
  }
}

/** VWOService.getFlag behind the minimal guard around it: the engine and storage, without our guard. */
@Injectable()
class GetFlagGuard implements CanActivate {
  constructor(private readonly vwo: VWOService) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const id = ctx.switchToHttp().getRequest<{ headers: Record<string, string | undefined> }>().headers[USER_HEADER];
    if (!id || !(await this.vwo.getFlag(FLAG, { id })).isEnabled()) throw new NotFoundException();
    return true;
  }
}

const ENABLED_FLAG = Promise.resolve({ isEnabled: () => true, getVariable: () => undefined });
const CONSTANT_VWO = { getFlag: () => ENABLED_FLAG } as unknown as VWOService;

/** Our guard over a constant flag: the guard's own cost (user context, request state, ALS), no engine. */
@Injectable()
class ConstantFlagGuard extends FeatureFlagGuard {
  constructor(reflector: Reflector, @Inject(VWO_HTTP_CONFIG) options: VWOHttpOptions) {
    super(reflector, CONSTANT_VWO, options);
  }
}

/** What any guard costs in Nest's pipeline (an execution context, guards-consumer promises). */
@Injectable()
class NoopGuard implements CanActivate {
  canActivate(): boolean {
    return true;
  }
}

const BODY = { ok: true };

@Controller()
class BenchController {
  @Get('plain')
  plain(): typeof BODY {
    return BODY;
  }

  @UseGuards(NoopGuard)
  @Get('noop-guard')
  noopGuard(): typeof BODY {
    return BODY;
  }

  @FeatureFlag(FLAG)
  @Get('feature')
  feature(): typeof BODY {
    return BODY;
  }

  @UseGuards(GetFlagGuard)
  @Get('direct')
  direct(): typeof BODY {
    return BODY;
  }

  @SetMetadata(FEATURE_FLAG_METADATA, { featureKey: FLAG, options: {} })
  @UseGuards(ConstantFlagGuard)
  @Get('constant')
  constant(): typeof BODY {
    return BODY;
  }

  @UseGuards(OfficialFlagGuard)
  @Get('official')
  official(): typeof BODY {
    return BODY;
  }
}

@Module({})
class BenchModule {
  static create(sdk: OfficialSdk, kind: AppKind): DynamicModule {
    const vwo = vwoTestOptions({
      // Offline (see vwoTestOptions); logs dropped.
      logger: { level: 'ERROR', transport: { debug() {}, info() {}, warn() {}, error() {} } },
      shutdownTimeout: 100,
      propagateContext: kind !== 'noals',
      // GUARD_BENCH_STORAGE=off: no sticky storage, to see what 10 000 stored users cost per request.
      storage: process.env.GUARD_BENCH_STORAGE === 'off' ? false : 'memory',
    });
    return {
      module: BenchModule,
      imports: [VWOModule.forRoot(vwo)],
      controllers: [BenchController],
      providers: [{ provide: OFFICIAL_SDK, useValue: sdk }],
    };
  }
}

type CpuMessage = { cpuUs: number };
/** Parent → server: report CPU time, or run one window of the in-process measurement. */
type Command = 'cpu' | 'in-process';

function cpuUs(): number {
  const { user, system } = process.cpuUsage();
  return user + system;
}

async function serveHttp(adapter: AdapterName, kind: AppKind): Promise<void> {
  const sdk = await createOfficialSdk(httpTestSettings());
  const app = await NestFactory.create(
    BenchModule.create(sdk, kind),
    adapter === 'express' ? new ExpressAdapter() : new FastifyAdapter(),
    { logger: false },
  );
  await app.listen(0, '127.0.0.1');
  let ops: Promise<InProcessOps> | undefined;
  let round = 0;
  process.on('message', (command: Command) => {
    if (command === 'cpu') process.send?.({ cpuUs: cpuUs() } satisfies CpuMessage);
    else void (ops ??= inProcessOps(app, kind)).then((o) => inProcessWindow(o, round++)).then((w) => process.send?.(w));
  });
  process.send?.({ url: await app.getUrl() });
  process.once('disconnect', () => void app.close().finally(() => process.exit(0)));
}

// ---- in-process measurement (child processes) ----

type InProcessOp = 'context only' | 'getFlag alone' | 'guard, constant flag' | 'guard, real getFlag';
const IN_PROCESS_OPS: InProcessOp[] = ['context only', 'getFlag alone', 'guard, constant flag', 'guard, real getFlag'];
const IN_PROCESS_WINDOW_MS = 60;
const IN_PROCESS_WINDOWS = 7;
type InProcessWindow = Record<InProcessOp, number>;
type InProcessSamples = Record<InProcessOp, number[]>;

/** What the HTTP adapters hand the guard: a request with headers, a response, next. */
function httpContext(i: number): ExecutionContextHost {
  const request = { method: 'GET', url: '/feature', headers: { [USER_HEADER]: `user-${i % USERS}`, 'user-agent': 'bench' }, ip: '127.0.0.1' };
  const response = { writableEnded: false, destroyed: false };
  const ctx = new ExecutionContextHost([request, response, () => undefined], BenchController as never, BenchController.prototype.feature);
  ctx.setType('http');
  return ctx;
}

/** CPU µs per call of `op`, over a window of about IN_PROCESS_WINDOW_MS (awaited one at a time). */
async function cpuPerCall(op: (i: number) => unknown): Promise<number> {
  const deadline = performance.now() + IN_PROCESS_WINDOW_MS;
  const start = cpuUs();
  let i = 0;
  while (performance.now() < deadline) {
    for (let k = 0; k < 256; k++) await op(i++);
  }
  return (cpuUs() - start) / i;
}

type InProcessOps = Record<InProcessOp, (i: number) => unknown>;

async function inProcessOps(app: INestApplicationContext, kind: AppKind): Promise<InProcessOps> {
  // The instance Nest built for BenchController's @FeatureFlag (enhancers are indexed with providers).
  const guard = app.get(FeatureFlagGuard, { strict: false });
  const vwo = app.get(VWOService);
  const flag = await vwo.getFlag(FLAG, { id: 'constant' });
  const constant = { getFlag: () => Promise.resolve(flag) } as unknown as VWOService;
  const constantGuard = new FeatureFlagGuard(app.get(Reflector), constant, { propagateContext: kind === 'als' });
  return {
    'context only': httpContext,
    'getFlag alone': (i) => vwo.getFlag(FLAG, { id: `user-${i % USERS}`, userAgent: 'bench', ipAddress: '127.0.0.1' }),
    'guard, constant flag': (i) => constantGuard.canActivate(httpContext(i)),
    'guard, real getFlag': (i) => guard.canActivate(httpContext(i)),
  };
}

/** One window per op (the parent alternates the two apps' windows, so drift hits both alike). */
async function inProcessWindow(ops: InProcessOps, round: number): Promise<InProcessWindow> {
  const window = {} as InProcessWindow;
  for (const op of rotate(IN_PROCESS_OPS, round)) window[op] = await cpuPerCall(ops[op]);
  return window;
}

// ---- load side (this process) ----

interface Sample {
  rps: number;
  p99: number;
  cpuUsPerRequest: number;
  bad: number;
}

interface Server {
  child: ChildProcess;
  url: string;
}

function rotate<T>(items: readonly T[], by: number): T[] {
  const k = by % items.length;
  return [...items.slice(k), ...items.slice(0, k)];
}

function forkChild(role: string): ChildProcess {
  return fork(__filename, [], {
    env: { ...process.env, [CHILD_ENV]: role },
    execArgv: ['-r', '@swc-node/register'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
}

function firstMessage<T>(child: ChildProcess): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onMessage = (message: unknown): void => {
      child.off('exit', onExit);
      resolve(message as T);
    };
    const onExit = (code: number | null): void => {
      child.off('message', onMessage);
      reject(new Error(`bench child exited (${code})`));
    };
    child.once('message', onMessage);
    child.once('exit', onExit);
  });
}

async function startServer(adapter: AdapterName, kind: AppKind): Promise<Server> {
  const child = forkChild(`${adapter}:${kind}`);
  const { url } = await firstMessage<{ url: string }>(child);
  return { child, url: url.replace('[::1]', '127.0.0.1') };
}

async function stopServer({ child }: Server): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.disconnect();
  await exited;
}

async function serverCpuUs(server: Server): Promise<number> {
  const reply = firstMessage<CpuMessage>(server.child);
  server.child.send('cpu' satisfies Command);
  return (await reply).cpuUs;
}

async function load(server: Server, path: string, seconds: number): Promise<Sample> {
  let n = 0;
  const cpuBefore = await serverCpuUs(server);
  const result = await autocannon({
    url: `${server.url}${path}`,
    connections: CONNECTIONS,
    duration: seconds,
    // Samples every 100 ms (default 1 s), so a run stops within 0.1 s of `duration`.
    sampleInt: 100,
    requests: [{ setupRequest: (req) => ({ ...req, headers: { ...req.headers, [USER_HEADER]: `user-${n++ % USERS}` } }) }],
  });
  const cpuSpent = (await serverCpuUs(server)) - cpuBefore;
  const done = Math.max(1, result.requests.total);
  return {
    rps: done / result.duration,
    p99: result.latency.p99,
    cpuUsPerRequest: cpuSpent / done,
    bad: result.non2xx + result.errors + result.timeouts,
  };
}

type Samples = Record<string, Sample[]>;

type AdapterServers = Record<AppKind, Server>;

async function startServers(adapter: AdapterName): Promise<AdapterServers> {
  const [als, noals] = await Promise.all([startServer(adapter, 'als'), startServer(adapter, 'noals')]);
  return { als, noals };
}

async function stopServers(servers: AdapterServers): Promise<void> {
  await Promise.all(APP_KINDS.map((kind) => stopServer(servers[kind])));
}

async function measureAdapter(servers: AdapterServers, deadline: number): Promise<{ samples: Samples; rounds: number }> {
  for (const c of HTTP_CASES) await load(servers[c.app], c.path, WARMUP_SECONDS); // JIT, storage, SDK caches
  const samples: Samples = Object.fromEntries(HTTP_CASES.map((c) => [c.name, []]));
  const roundMs = HTTP_CASES.length * (SECONDS * 1000 + 150);
  let rounds = 0;
  while (rounds < ROUNDS && Date.now() + roundMs < deadline) {
    for (const c of rotate(HTTP_CASES, rounds)) samples[c.name].push(await load(servers[c.app], c.path, SECONDS));
    rounds++;
  }
  return { samples, rounds };
}

/** Median over rounds of case/plain for one field (pairs each round with its own plain run). */
function ratioToPlain(samples: Samples, name: string, field: (s: Sample) => number): number {
  return median(samples[name].map((s, round) => field(s) / field(samples[PLAIN][round])));
}

function reportHttp(adapter: AdapterName, samples: Samples, rounds: number): void {
  const rows: Cell[][] = HTTP_CASES.map(({ name }) => {
    const runs = samples[name];
    const isPlain = name === PLAIN;
    return [
      name,
      median(runs.map((s) => s.rps)),
      median(runs.map((s) => s.p99)),
      median(runs.map((s) => s.cpuUsPerRequest)),
      isPlain ? '—' : ratioToPlain(samples, name, (s) => s.rps),
      // Capacity: plain's CPU per request over this case's (1 = free).
      isPlain ? '—' : 1 / ratioToPlain(samples, name, (s) => s.cpuUsPerRequest),
      runs.map((s) => Math.round(s.rps)).join(' '),
      runs.reduce((sum, s) => sum + s.bad, 0),
    ];
  });
  console.log(`\n${adapter}: ${rounds} rounds × ${SECONDS}s per case`);
  const headers = ['case', 'req/s', 'p99 ms', 'CPU µs/req', 'req/s ÷ plain', 'CPU capacity ÷ plain', 'req/s per round', 'non-2xx'];
  console.log(renderTable(headers, rows, [0, 0, 1, 1, 3, 3, 0, 0]));
}

async function inProcessWindowOf(server: Server): Promise<InProcessWindow> {
  const window = firstMessage<InProcessWindow>(server.child);
  server.child.send('in-process' satisfies Command);
  return window;
}

/** Windows of both apps, alternated; the first of each is a warm-up. */
async function inProcess(servers: AdapterServers): Promise<Record<AppKind, InProcessSamples>> {
  const empty = (): InProcessSamples => Object.fromEntries(IN_PROCESS_OPS.map((op) => [op, []])) as unknown as InProcessSamples;
  const samples: Record<AppKind, InProcessSamples> = { als: empty(), noals: empty() };
  for (let round = 0; round <= IN_PROCESS_WINDOWS; round++) {
    for (const kind of rotate(APP_KINDS, round)) {
      const window = await inProcessWindowOf(servers[kind]);
      if (round > 0) for (const op of IN_PROCESS_OPS) samples[kind][op].push(window[op]);
    }
  }
  return samples;
}

function reportInProcess(results: Record<AppKind, InProcessSamples>): void {
  console.log(`\nin process (no HTTP, Fastify apps), CPU µs per call, median of ${IN_PROCESS_WINDOWS} windows of ${IN_PROCESS_WINDOW_MS} ms`);
  const rows: Cell[][] = APP_KINDS.map((kind) => {
    const m = (op: InProcessOp): number => median(results[kind][op]);
    return [
      kind === 'als' ? 'default (ALS on)' : 'propagateContext: false',
      m('context only'),
      m('getFlag alone'),
      m('guard, constant flag') - m('context only'),
      m('guard, real getFlag') - m('context only'),
    ];
  });
  const headers = ['options', 'building req/ctx', 'getFlag alone', 'guard own cost', 'guard + real getFlag'];
  console.log(renderTable(headers, rows, 2));
  console.log('(guard columns exclude the cost of building the fake request and context)');
}

function loadAverage(): string {
  return loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');
}

/** Entry point of `npm run bench -- guard`. */
export async function run(): Promise<void> {
  const started = Date.now();
  console.log(`${CONNECTIONS} connections, ${USERS} rotating users, node ${process.version}, load average ${loadAverage()}`);
  // Every server boots at once (compiling takes seconds); an idle server costs the measured ones nothing.
  const servers = await Promise.all(ADAPTERS.map(startServers));
  console.log(`servers ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const deadline = started + TIME_LIMIT_MS - IN_PROCESS_RESERVE_MS;
  try {
    for (const [i, adapter] of ADAPTERS.entries()) {
      const { samples, rounds } = await measureAdapter(servers[i], deadline);
      if (rounds < ROUNDS) console.log(`(time limit: ${rounds} of ${ROUNDS} rounds)`);
      reportHttp(adapter, samples, rounds);
    }
    const fastify = servers[ADAPTERS.indexOf('fastify')];
    reportInProcess(await inProcess(fastify));
  } finally {
    await Promise.all(servers.map(stopServers));
  }
  console.log(`\nguard bench: ${((Date.now() - started) / 1000).toFixed(1)} s, load average ${loadAverage()}`);
}

const childRole = process.env[CHILD_ENV];
if (childRole) {
  const [adapter, kind] = childRole.split(':') as [AdapterName, AppKind];
  serveHttp(adapter, kind).catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
