/**
 * What OpenTelemetry support costs: getFlag and a guarded request, in four processes, one per situation
 * (see support/telemetry-bench-child.ts): `@opentelemetry/api` absent, installed without an SDK, an SDK
 * with our telemetry turned off, and an SDK with it on (span event per decision + metrics, in-memory
 * exporters). Measured in process, without HTTP, as CPU µs per call (steadier than wall clock on a
 * shared machine):
 *   getFlag             VWOService.getFlag, outside any span (with an SDK: the decision counter only)
 *   guarded request     the real FeatureFlagGuard's canActivate; with an SDK, inside a request span
 *                       (started, made active, ended), so the flag's span event is recorded
 *   request span alone  the same request span around building the execution context only: what the
 *                       app's tracing costs per request, ours aside
 * Each round asks every process for one window of every op (orders rotated); medians over ROUNDS rounds.
 * The modules are offline (no sdkKey), with the default memory storage, on the HTTP tests' settings.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { median } from './support/stats';
import { renderTable } from './support/table';
import { MODES, OPS, runChild, type Mode, type Op, type Ready, type Window } from './support/telemetry-bench-child';

const CHILD_ENV = 'TELEMETRY_BENCH_MODE';
const ROUNDS = Math.max(5, Number(process.env.TELEMETRY_BENCH_ROUNDS ?? 7));

function rotate<T>(items: readonly T[], by: number): T[] {
  const k = by % items.length;
  return [...items.slice(k), ...items.slice(0, k)];
}

function nextMessage<T>(child: ChildProcess): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`bench child exited with ${code}`));
    child.once('exit', onExit);
    child.once('message', (message) => {
      child.off('exit', onExit);
      resolve(message as T);
    });
  });
}

export async function run(): Promise<void> {
  const started = Date.now();
  const children = new Map<Mode, ChildProcess>();
  const readiness = new Map<Mode, Ready>();
  try {
    for (const mode of MODES) {
      const child = fork(__filename, [], { env: { ...process.env, [CHILD_ENV]: mode }, execArgv: ['-r', '@swc-node/register'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      children.set(mode, child);
      readiness.set(mode, await nextMessage<Ready>(child));
    }
    const samples = new Map<Mode, Record<Op, number[]>>(MODES.map((m) => [m, { getFlag: [], 'guarded request': [], 'request span alone': [] }]));
    // Round 0 is a warm-up (JIT, memory storage filling), discarded.
    for (let round = 0; round <= ROUNDS; round++) {
      for (const mode of rotate(MODES, round)) {
        const child = children.get(mode)!;
        const window = nextMessage<Window>(child);
        child.send(rotate(OPS, round));
        const result = await window;
        if (round > 0) for (const op of OPS) samples.get(mode)![op].push(result[op]);
      }
    }
    console.log(`CPU µs per call, medians of ${ROUNDS} windows of 150 ms per op and process; node ${process.version}`);
    for (const mode of MODES) {
      const r = readiness.get(mode)!;
      console.log(`  ${mode.padEnd(8)} recorder active: ${r.telemetryActive}, @opentelemetry loaded: ${r.openTelemetryLoaded}`);
    }
    const med = (mode: Mode, op: Op) => median(samples.get(mode)![op]);
    const rows = OPS.flatMap((op) =>
      MODES.filter((mode) => op !== 'request span alone' || mode.startsWith('sdk')).map((mode) => [op, mode, med(mode, op), med(mode, op) / med('absent', op === 'request span alone' ? 'guarded request' : op)]),
    );
    console.log(renderTable(['op', 'OpenTelemetry', 'CPU µs/call', '× absent'], rows, [0, 0, 2, 2]));
    const ours = med('sdk', 'guarded request') - med('sdk, off', 'guarded request');
    console.log(`our share with an SDK: ${ours.toFixed(2)} µs per guarded request (sdk − sdk, off), ${(med('sdk', 'getFlag') - med('sdk, off', 'getFlag')).toFixed(2)} µs per getFlag outside a span`);
  } finally {
    for (const child of children.values()) child.disconnect();
  }
  console.log(`(telemetry bench took ${((Date.now() - started) / 1000).toFixed(1)} s)`);
}

const childMode = process.env[CHILD_ENV] as Mode | undefined;
if (childMode) runChild(childMode);
