/**
 * events.bench.ts's series in CPU instructions per decision, counted by Valgrind's callgrind: repeatable on a
 * shared, busy machine where wall clock and even CPU time are not (other processes thrash caches and
 * deschedule the bench). The operations run in one child process (support/events-instructions-child.ts)
 * under callgrind, instrumentation off until measured; each is primed uninstrumented (JIT tiers, caches),
 * then counted over N calls on the main thread (where an app's requests run), split as in
 * guard-instructions.bench.ts into GC (V8's heap management) and the rest. Delivered series send to the
 * loopback sink (another process, not counted) and their window ends when their queue is flushed.
 *
 *   × official   official instructions per decision ÷ ours (everything, GC included)
 *   of floor     floor ÷ ours (the floor: one Map lookup + three murmurhash.v3, no await)
 *   per event    (ours − ours decide()) ÷ impressions per decision: building, queueing, serialising, sending
 *
 * Instructions are not time (cache misses, syscalls' kernel side and the sink are not counted), but they
 * change only when the code does. EVENTS_CG_N (default 4000) calls per window; the official SDK gets a
 * twentieth. About 3-4 minutes.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventSink } from '../test/events/support/event-sink';
import { callgrindControl, callgrindMissing, forkUnderCallgrind, readDump, valgrindVersion } from './support/callgrind';
import { renderTable } from './support/table';

const N = Number(process.env.EVENTS_CG_N ?? 4000);
const OFFICIAL_N = Math.max(20, Math.ceil(N / 20));
const PRIMING_ROUNDS = 2;

interface OpInfo {
  name: string;
  eventsPerDecision: number;
}

interface Counted extends OpInfo {
  perDecision: number;
  perDecisionExclGc: number;
  gcs: number;
}

function nextMessage<T>(child: ChildProcess): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onMessage = (m: unknown): void => {
      cleanup();
      const error = (m as { error?: string }).error;
      if (error) reject(new Error(error));
      else resolve(m as T);
    };
    const onExit = (code: number | null): void => {
      cleanup();
      reject(new Error(`child exited (${code})`));
    };
    const cleanup = (): void => {
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

async function ask(child: ChildProcess, op: string, n: number): Promise<void> {
  child.send({ op, n });
  await nextMessage(child);
}

export async function run(): Promise<void> {
  const missing = await callgrindMissing();
  if (missing) {
    console.log(`skipped: ${missing}`);
    return;
  }
  const started = Date.now();
  const outDir = mkdtempSync(join(tmpdir(), 'events-cg-'));
  const sink = await EventSink.start({ countOnly: true });
  const child = forkUnderCallgrind(join(__dirname, 'support', 'events-instructions-child.ts'), { ...process.env, EVENTS_CG_SINK: sink.url }, outDir);
  try {
    const { ops } = await nextMessage<{ ops: OpInfo[] }>(child);
    const pid = child.pid!;
    const counted: Counted[] = [];
    for (const op of ops) {
      const n = op.name.includes('official') ? OFFICIAL_N : N;
      for (let r = 0; r < PRIMING_ROUNDS; r++) await ask(child, op.name, n);
      await callgrindControl(pid, '--instr=on');
      await callgrindControl(pid, '--zero');
      await ask(child, op.name, n);
      await callgrindControl(pid, '--dump');
      await callgrindControl(pid, '--instr=off');
      const cost = readDump(outDir, pid);
      counted.push({ ...op, perDecision: cost.main / n, perDecisionExclGc: (cost.main - cost.mainGc) / n, gcs: cost.gcs });
      console.log(`  counted ${op.name}: ${Math.round(cost.main / n).toLocaleString('en-US')} instructions per decision`);
    }
    print(counted);
  } finally {
    if (child.connected) child.disconnect();
    await sink.stop();
    rmSync(outDir, { recursive: true, force: true });
  }
  console.log(`(${await valgrindVersion()}; N=${N}, official ${OFFICIAL_N}; events instructions bench took ${((Date.now() - started) / 1000).toFixed(0)} s)`);
}

function print(counted: Counted[]): void {
  const floor = counted.find((c) => c.name === 'floor');
  const get = (fixture: string, series: string): Counted | undefined => counted.find((c) => c.name === `${fixture}|${series}`);
  const rows = counted.map((c) => {
    const [fixture, series] = c.name.includes('|') ? c.name.split('|') : ['-', c.name];
    const official = get(fixture, 'official getFlag, network stubbed');
    const decideOnly = get(fixture, 'ours decide()');
    const ours = series.startsWith('ours');
    const perEvent = ours && decideOnly && c !== decideOnly && c.eventsPerDecision > 0 ? (c.perDecision - decideOnly.perDecision) / c.eventsPerDecision : NaN;
    return [
      fixture,
      series,
      Math.round(c.perDecision),
      Math.round(c.perDecisionExclGc),
      c.gcs,
      ours && official ? official.perDecision / c.perDecision : NaN,
      floor && c !== floor ? floor.perDecision / c.perDecision : NaN,
      Math.round(perEvent),
    ];
  });
  console.log('main-thread instructions per decision (callgrind)');
  console.log(renderTable(['fixture', 'series', 'instr/decision', 'excl. GC', 'GCs', '× official', 'of floor', 'instr/event'], rows, [0, 0, 0, 0, 0, 0, 2, 0]));
}
