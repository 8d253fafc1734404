/**
 * Cost of the @FeatureFlag guard in CPU instructions per request, counted by Valgrind's callgrind:
 * repeatable where wall clock is not (on a shared 2-core VM, identical 1-s windows of guard.bench.ts
 * differ by 20-40%, too much to settle "the guard costs under 5% of a plain route").
 *
 * The servers are guard.bench.ts's own child processes (GUARD_BENCH_CHILD=<adapter>:<als|noals>, same
 * routes, same apps), each run under callgrind. Per adapter, two apps: `als` (default options) and
 * `noals` (propagateContext: false). Cases, as in guard.bench.ts:
 *   plain            noals app, /plain: the baseline (AsyncLocalStorage never ran in that process)
 *   noop guard       noals app, a guard that returns true: what any guard costs in Nest's pipeline
 *   guarded          als app, @FeatureFlag: our guard + VWOService (real engine, memory storage)
 *   guarded, no ALS  noals app, the same guard, propagateContext: false
 *   plain, ALS on    als app, /plain after 'guarded' ran there (ALS's async hooks now on for every promise)
 *   official         noals app, a guard around VWO's official SDK (slow: fewer requests)
 *
 * Method: every server starts with instrumentation off and is warmed up uninstrumented (JIT tiers,
 * storage, SDK caches: 3 rounds over its routes). Each case is then one window: PRIMING requests to
 * its route, still uninstrumented (a route can lose its optimized code while others run), then
 * `callgrind_control --instr=on`, `--zero`, exactly REQUESTS requests over the same CONNECTIONS
 * keep-alive connections, `--dump` (instrumentation goes off again before the next priming). Every
 * response must be a 200. Each case is measured twice, the second pass in reverse order, to show
 * repeatability. Users rotate from user-0 in every batch (as guard.bench.ts does per load), so every
 * measured user was already seen in the warm-up and the two passes send the same requests. The
 * adapters run side by side (one process each at a time, 2 cores): timing barely changes what is
 * counted outside GC (but see the memory reducer below).
 *
 * What is counted (see support/callgrind.ts): instructions of the server's main thread, where requests
 * run, split into GC (V8's heap management: collections, incremental marking and lazy sweeping steps,
 * the old-space allocation slow path) and the rest. "excl. GC" is the repeatable figure: a scavenge
 * costs millions of instructions and comes every few hundred requests, a major GC's steps more rarely,
 * so whether a window holds one is luck. GC is shown apart (per request, and how many collections the
 * window held): it follows how much a route allocates, but two windows are not enough to average it.
 * "all threads" adds V8's helper threads (background compilation, parallel GC): informative,
 * timing-dependent.
 *
 * The servers run with V8's memory reducer off (support/callgrind.ts: under Valgrind it mistakes the
 * slow process for an idle one and discards optimized code between windows), otherwise as in
 * guard.bench.ts.
 *
 * Limits: instructions are not time. Cache misses, branch mispredictions, the kernel's side of
 * syscalls (network, epoll) and the load generator are not counted, and JIT timing differs under
 * Valgrind. So the ratios compare the CPU work each route makes the process do in user space, not
 * wall-clock throughput; kernel and network costs are the same for every route and would shrink the
 * ratios towards 1. The ratios hold for this Node/V8 build; GC attribution depends on V8's symbol names.
 *
 * GUARD_BENCH_DETAIL=1 adds guard.bench.ts's two detail cases ('getFlag guard', 'guard, constant flag').
 * GUARD_CG_REQUESTS (default 400) and GUARD_CG_OFFICIAL_REQUESTS (default 50; 0 skips 'official') size
 * the windows; GUARD_CG_WARMUP (default 1500) is the warm-up batch per route and round, GUARD_CG_PRIMING
 * (default 300) the uninstrumented requests before each window. About 4-5 min.
 */
import type { ChildProcess } from 'node:child_process';
import { Agent, get } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  callgrindControl,
  callgrindMissing,
  forkUnderCallgrind,
  readDump,
  valgrindVersion,
  type DumpCost,
} from './support/callgrind';
import { ADAPTERS, APP_KINDS, CHILD_ENV, guardCases, PLAIN, USER_HEADER, USERS, type AdapterName, type AppKind, type GuardCase } from './support/guard-apps';
import { renderTable, type Cell } from './support/table';


const OFFICIAL_REQUESTS = Number(process.env.GUARD_CG_OFFICIAL_REQUESTS ?? 50);
const CASES: GuardCase[] = guardCases(OFFICIAL_REQUESTS > 0);

const REQUESTS = Number(process.env.GUARD_CG_REQUESTS ?? 400);
const WARMUP = Number(process.env.GUARD_CG_WARMUP ?? 1500);
const WARMUP_ROUNDS = 3;
/** The official SDK is ~40x slower per request: a tenth of the warm-up keeps it bounded. */
const OFFICIAL_WARMUP = Math.ceil(WARMUP / 10);
/**
 * Uninstrumented requests to the route right before its window. Between two windows of a route, other
 * routes run, and a mark-compact can deoptimize code whose maps it collected ("weak objects" in
 * --trace-deopt); these re-warm the route, and open the window's keep-alive connections.
 */
const PRIMING = Number(process.env.GUARD_CG_PRIMING ?? 300);
const PASSES = 2;
const CONNECTIONS = 4;
const SERVER_MODULE = join(__dirname, 'guard.bench.ts');
/** Startup under Valgrind takes tens of seconds (compiling TypeScript and loading Nest, 4 at once). */
const STARTUP_TIMEOUT_MS = 240_000;
const REQUEST_TIMEOUT_MS = 120_000;
const EXIT_TIMEOUT_MS = 30_000;

// ---- servers ----

interface Server {
  role: string;
  child: ChildProcess;
  pid: number;
  url: string;
  /** Where its callgrind dumps go. */
  outDir: string;
}

type AdapterServers = Record<AppKind, Server>;

function waitForUrl(child: ChildProcess, role: string): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`${role}: no URL after ${STARTUP_TIMEOUT_MS / 1000} s`)), STARTUP_TIMEOUT_MS);
    const onMessage = (message: unknown): void => {
      const url = (message as { url?: unknown }).url;
      if (typeof url !== 'string') return;
      cleanup();
      resolve(url.replace('[::1]', '127.0.0.1'));
    };
    const onExit = (code: number | null): void => fail(new Error(`${role}: server exited (${code}) before listening`));
    const cleanup = (): void => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    const fail = (err: Error): void => {
      cleanup();
      reject(err);
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // guard.bench.ts's server closes its app and exits on disconnect.
  if (child.connected) child.disconnect();
  const timer = setTimeout(() => child.kill('SIGKILL'), EXIT_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}

/** Starts every server at once; `children` collects each fork at once, so the caller can stop them all. */
async function startAll(outDir: string, children: ChildProcess[]): Promise<Record<AdapterName, AdapterServers>> {
  const roles = ADAPTERS.flatMap((adapter) => APP_KINDS.map((kind) => ({ adapter, kind, role: `${adapter}:${kind}` })));
  const started = await Promise.all(
    roles.map(async ({ adapter, kind, role }) => {
      const child = forkUnderCallgrind(SERVER_MODULE, { ...process.env, [CHILD_ENV]: role }, outDir);
      children.push(child);
      if (child.pid === undefined) throw new Error(`${role}: fork failed`);
      const url = await waitForUrl(child, role);
      return { adapter, kind, server: { role, child, pid: child.pid, url, outDir } satisfies Server };
    }),
  );
  const servers = {} as Record<AdapterName, AdapterServers>;
  for (const { adapter, kind, server } of started) (servers[adapter] ??= {} as AdapterServers)[kind] = server;
  return servers;
}

// ---- load ----

function request(agent: Agent, url: string, user: string): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const req = get(url, { agent, headers: { [USER_HEADER]: user } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', reject);
    });
    req.setTimeout(REQUEST_TIMEOUT_MS, () => req.destroy(new Error(`timeout: ${url}`)));
    req.on('error', reject);
  });
}

/**
 * Exactly `count` GET requests over CONNECTIONS keep-alive connections, users user-0, user-1, ...
 * Returns how many were not 200.
 */
async function send(agent: Agent, url: string, count: number): Promise<number> {
  let next = 0;
  let bad = 0;
  const connection = async (): Promise<void> => {
    while (next < count) {
      const i = next++;
      if ((await request(agent, url, `user-${i % USERS}`)) !== 200) bad++;
    }
  };
  await Promise.all(Array.from({ length: CONNECTIONS }, connection));
  return bad;
}

async function batch(server: Server, path: string, count: number): Promise<void> {
  const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  try {
    const bad = await send(agent, `${server.url}${path}`, count);
    if (bad > 0) throw new Error(`${server.role} ${path}: ${bad} of ${count} responses were not 200`);
  } finally {
    agent.destroy();
  }
}

/** Uninstrumented (fast) warm-up; in the als app, /feature first, so ALS is on before /plain runs. */
async function warmUp(server: Server, kind: AppKind): Promise<void> {
  const cases = CASES.filter((c) => c.app === kind).sort((a, b) => Number(b.path === '/feature') - Number(a.path === '/feature'));
  for (let round = 0; round < WARMUP_ROUNDS; round++) {
    for (const c of cases) await batch(server, c.path, c.official ? OFFICIAL_WARMUP : WARMUP);
  }
}

interface Window extends DumpCost {
  requests: number;
}

/**
 * One measured window: priming with instrumentation off (fast), then on, zero, the requests, dump.
 * A fresh agent per window: the server drops idle keep-alive connections after 5 s, and a connection
 * opened inside the window would add its setup to the count.
 */
async function measure(server: Server, c: GuardCase): Promise<Window> {
  const requests = c.official ? OFFICIAL_REQUESTS : REQUESTS;
  const priming = c.official ? Math.ceil(PRIMING / 10) : PRIMING;
  const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  const url = `${server.url}${c.path}`;
  try {
    await callgrindControl(server.pid, '--instr=off');
    const primingBad = await send(agent, url, priming);
    if (primingBad > 0) throw new Error(`${server.role} ${c.path}: ${primingBad} non-200 while priming`);
    // Switching on discards Valgrind's translations: slower for a moment, nothing counted.
    await callgrindControl(server.pid, '--instr=on');
    await callgrindControl(server.pid, '--zero');
    const bad = await send(agent, url, requests);
    await callgrindControl(server.pid, '--dump');
    if (bad > 0) throw new Error(`${server.role} ${c.path}: ${bad} of ${requests} responses were not 200`);
  } finally {
    agent.destroy();
  }
  return { ...readDump(server.outDir, server.pid), requests };
}

type Results = Record<string, Window[]>;

async function measureAdapter(servers: AdapterServers): Promise<Results> {
  const results: Results = Object.fromEntries(CASES.map((c) => [c.name, []]));
  for (let pass = 0; pass < PASSES; pass++) {
    // Second pass in reverse order: a drift (late JIT, heap growth) would show as a pass-to-pass gap.
    const order = pass % 2 === 0 ? CASES : [...CASES].reverse();
    for (const c of order) results[c.name].push(await measure(servers[c.app], c));
  }
  return results;
}

// ---- report ----

const perRequest = (w: Window, field: (w: Window) => number): number => field(w) / w.requests;
const excludingGc = (w: Window): number => w.main - w.mainGc;
const mean = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0) / values.length;

function report(adapter: AdapterName, results: Results): void {
  const meanOf = (name: string, field: (w: Window) => number): number => mean(results[name].map((w) => perRequest(w, field)));
  const plainExcl = meanOf(PLAIN, excludingGc);
  const plainMain = meanOf(PLAIN, (w) => w.main);
  const rows: Cell[][] = CASES.map(({ name }) => {
    const windows = results[name];
    const excl = windows.map((w) => perRequest(w, excludingGc));
    const isPlain = name === PLAIN;
    const caseExcl = mean(excl);
    const caseMain = meanOf(name, (w) => w.main);
    return [
      name,
      windows[0].requests,
      ...excl,
      // Pass-to-pass gap, % of the mean: the repeatability of the figure.
      (100 * Math.abs(excl[0] - excl[excl.length - 1])) / caseExcl,
      isPlain ? '—' : caseExcl / plainExcl,
      isPlain ? '—' : caseExcl - plainExcl,
      ...windows.map((w) => perRequest(w, (x) => x.mainGc)),
      windows.map((w) => w.gcs).join('+'),
      isPlain ? '—' : caseMain / plainMain,
      meanOf(name, (w) => w.allThreads),
    ];
  });
  const passes = Array.from({ length: PASSES }, (_, i) => i + 1);
  const headers = [
    'case',
    'requests',
    ...passes.map((p) => `excl. GC, pass ${p}`),
    'gap %',
    '÷ plain',
    '+ vs plain',
    ...passes.map((p) => `GC, pass ${p}`),
    'GCs',
    'with GC ÷ plain',
    'all threads',
  ];
  const digits = [0, 0, ...passes.map(() => 0), 2, 3, 0, ...passes.map(() => 0), 0, 3, 0];
  console.log(`\n${adapter}: main-thread instructions per request (mean of ${PASSES} passes for ratios)`);
  console.log(renderTable(headers, rows, digits));
}

function loadAverage(): string {
  return loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');
}

const seconds = (since: number): string => `${((Date.now() - since) / 1000).toFixed(1)} s`;

/** Entry point of `npm run bench -- guard-instructions`. */
export async function run(): Promise<void> {
  const started = Date.now();
  const missing = await callgrindMissing();
  if (missing) {
    console.log(`skipped: ${missing} (needs Valgrind with callgrind_control)`);
    return;
  }
  console.log(
    `${await valgrindVersion()}, node ${process.version}, ${REQUESTS} requests per window (official ${OFFICIAL_REQUESTS}), ` +
      `${CONNECTIONS} keep-alive connections, warm-up ${WARMUP_ROUNDS} × ${WARMUP} per route, load average ${loadAverage()}`,
  );
  const outDir = mkdtempSync(join(tmpdir(), 'guard-cg-'));
  const children: ChildProcess[] = [];
  try {
    const servers = await startAll(outDir, children);
    console.log(`servers ready (4 under callgrind, instrumentation off) in ${seconds(started)}`);
    const warming = Date.now();
    await Promise.all(ADAPTERS.flatMap((adapter) => APP_KINDS.map((kind) => warmUp(servers[adapter][kind], kind))));
    console.log(`warm-up, uninstrumented: ${seconds(warming)}`);
    const measuring = Date.now();
    const results = await Promise.all(ADAPTERS.map((adapter) => measureAdapter(servers[adapter])));
    console.log(`measured (instrumented) in ${seconds(measuring)}`);
    ADAPTERS.forEach((adapter, i) => report(adapter, results[i]));
    console.log(
      '\nexcl. GC: main thread minus V8 heap management (repeatable); gap %, ÷ plain and + vs plain use it. GC: heap management\n' +
        '(collections, marking/sweeping steps) per request in each pass; GCs: collections per window. with GC ÷ plain: main\n' +
        'thread, GC included. all threads: main + V8 helper threads (background JIT, parallel GC). Means of the passes.',
    );
  } finally {
    await Promise.all(children.map(stopChild));
    rmSync(outDir, { recursive: true, force: true });
  }
  console.log(`\nguard instructions bench: ${seconds(started)}, load average ${loadAverage()}`);
}
