/**
 * A Node child process under Valgrind's callgrind, driven from outside with callgrind_control: fork it
 * with instrumentation off (startup and warm-up run several times faster), switch instrumentation on,
 * then zero → run the work → dump, and read the dump's instruction counts.
 *
 * The child runs with --no-memory-reducer (see forkUnderCallgrind); otherwise V8 defaults.
 *
 * Dumps are written per thread (--separate-threads=yes): thread 1 is Node's main thread, where the
 * requests run; the others are V8's helpers (TurboFan compile jobs, parallel/concurrent GC) and libuv's
 * pool, whose counts depend on when background work happens to run. On the main thread, the cost of
 * V8's heap management is read from the call graph (see HEAP_ENTRY), so callers can separate the
 * mutator's instructions from GC work, which lands in a window or not depending on where the young
 * generation fills up or a major GC's marking and sweeping happen to run.
 */
import { execFile, fork, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

export const VALGRIND = '/usr/bin/valgrind';
const CALLGRIND_CONTROL = 'callgrind_control';
/** V8's entry point for every collection (scavenge or mark-compact). Names are V8-version specific. */
const COLLECT_GARBAGE = /^v8::internal::Heap::CollectGarbage\(.*\)$/;
/**
 * Where the main thread enters V8's heap management from outside it: a collection, a GC task (scavenge
 * or incremental-marking step, posted by V8), the start of a major GC's marking on allocation, an
 * allocation observer (marking steps), the old-space allocation slow path (which sweeps pages left by
 * a mark-compact). Inclusive costs of calls from non-heap code into these are "GC"; calls from inside
 * the heap (HEAP_INTERNAL) are nested in one already counted. A recursive call shows as `name'2` and
 * does not match.
 */
const HEAP_ENTRY = new RegExp(
  `^v8::internal::(${[
    'Heap::CollectGarbage',
    '(MinorGCJob|ScavengeJob|IncrementalMarkingJob)::Task::RunInternal',
    'Heap::StartIncrementalMarkingIfAllocationLimitIsReached',
    'PagedSpaceBase::RefillLabMain',
    'SpaceWithLinearArea::InvokeAllocationObservers',
  ].join('|')})\\(.*\\)$`,
);
const HEAP_INTERNAL = new RegExp(
  `^v8::internal::(${[
    'Heap::',
    'Heap_',
    'IncrementalMarking',
    'MinorGCJob',
    'ScavengeJob',
    'MarkCompact',
    'Scaveng',
    'PagedSpace',
    'CompactionSpace',
    'SpaceWithLinearArea',
    'Sweeper',
    'Evacuat',
    'ConcurrentMarking',
    'MemoryAllocator',
    'GCTracer',
  ].join('|')})`,
);

/** Why callgrind cannot run here, or undefined when it can. */
export async function callgrindMissing(): Promise<string | undefined> {
  if (!existsSync(VALGRIND)) return `${VALGRIND} not found`;
  try {
    await execFileAsync(CALLGRIND_CONTROL, ['--version']);
  } catch {
    return `${CALLGRIND_CONTROL} not found`;
  }
  return undefined;
}

export async function valgrindVersion(): Promise<string> {
  return (await execFileAsync(VALGRIND, ['--version'])).stdout.trim();
}

/** Forks `modulePath` (TypeScript, through @swc-node/register) under callgrind, instrumentation off. */
export function forkUnderCallgrind(modulePath: string, env: NodeJS.ProcessEnv, outDir: string): ChildProcess {
  return fork(modulePath, [], {
    execPath: VALGRIND,
    // fork() runs `execPath ...execArgv modulePath`, so Node and its own flags go last here.
    execArgv: [
      '--tool=callgrind',
      `--callgrind-out-file=${join(outDir, 'cg.%p')}`,
      '--dump-instr=no',
      '--separate-threads=yes',
      '--instr-atstart=no',
      '--quiet',
      process.execPath,
      // V8's memory reducer decides by wall clock that a process is idle; slowed down by Valgrind it
      // fires between windows, and its "reduce" mark-compact throws away most optimized code (seen:
      // a Fastify route back in the baseline tier, +70% instructions). Under real load it would not run.
      '--no-memory-reducer',
      '-r',
      '@swc-node/register',
    ],
    env,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
}

/** One callgrind_control command for one process (never without a pid: that would hit every callgrind run). */
export async function callgrindControl(pid: number, command: '--instr=on' | '--instr=off' | '--zero' | '--dump'): Promise<void> {
  const { stdout } = await execFileAsync(CALLGRIND_CONTROL, [command, String(pid)]);
  if (!stdout.includes('OK')) throw new Error(`callgrind_control ${command} ${pid}: ${stdout.trim()}`);
}

/** Instructions (Ir) of one dump. */
export interface DumpCost {
  /** Main thread (thread 1), everything. */
  main: number;
  /** Main thread, in V8's heap management (see HEAP_ENTRY): collections, marking, sweeping. */
  mainGc: number;
  /** Number of collections (Heap::CollectGarbage calls) on the main thread. */
  gcs: number;
  /** Every thread. */
  allThreads: number;
}

interface ThreadCost {
  total: number;
  gc: number;
  gcs: number;
}

/** Last field of a cost line (positions first, then the one event, Ir). */
function lastNumber(line: string): number {
  const fields = line.trim().split(/\s+/);
  return fields.length > 1 ? Number(fields[fields.length - 1]) : 0;
}

/**
 * Parses one thread's dump: its `totals:` line (the sum of its cost lines; `summary:` can disagree
 * after a zero), the inclusive cost of calls into HEAP_ENTRY from outside the heap, and the number of
 * collections. Function names are compressed: `(id) name` the first time, `(id)` after, shared by
 * fn= and cfn=.
 */
export function parseThreadDump(text: string): ThreadCost {
  const names = new Map<string, string>();
  const resolve = (spec: string): string => {
    const m = /^\((\d+)\)(?: (.*))?$/.exec(spec);
    if (!m) return spec;
    if (m[2] !== undefined) names.set(m[1], m[2]);
    return names.get(m[1]) ?? '';
  };
  let total = NaN;
  let gc = 0;
  let gcs = 0;
  let caller = '';
  let callee = '';
  let callCount = 0;
  let callCostNext = false;
  for (const line of text.split('\n')) {
    if (callCostNext) {
      // The line after calls= is the inclusive cost of those calls.
      callCostNext = false;
      if (HEAP_ENTRY.test(callee) && !HEAP_INTERNAL.test(caller)) gc += lastNumber(line);
      if (COLLECT_GARBAGE.test(callee)) gcs += callCount;
    } else if (line.startsWith('cfn=')) callee = resolve(line.slice(4));
    else if (line.startsWith('fn=')) caller = resolve(line.slice(3));
    else if (line.startsWith('calls=')) {
      callCount = Number(line.slice(6).split(' ')[0]);
      callCostNext = true;
    } else if (line.startsWith('totals:')) total = lastNumber(line);
  }
  if (!Number.isFinite(total)) throw new Error('callgrind dump without a totals: line');
  return { total, gc, gcs };
}

/**
 * Reads the dump `pid` just wrote (files `cg.<pid>.<part>-<thread>`) and deletes it, so the next
 * call finds only the next dump.
 */
export function readDump(outDir: string, pid: number): DumpCost {
  const pattern = new RegExp(`^cg\\.${pid}\\.(\\d+)-(\\d+)$`);
  const files = readdirSync(outDir)
    .map((name) => ({ name, m: pattern.exec(name) }))
    .filter((f): f is { name: string; m: RegExpExecArray } => f.m !== null);
  const parts = new Set(files.map((f) => f.m[1]));
  if (parts.size !== 1) throw new Error(`expected one callgrind dump of ${pid}, found parts: ${[...parts].join(', ') || 'none'}`);
  const cost: DumpCost = { main: NaN, mainGc: 0, gcs: 0, allThreads: 0 };
  for (const { name, m } of files) {
    const path = join(outDir, name);
    const thread = parseThreadDump(readFileSync(path, 'utf8'));
    rmSync(path);
    cost.allThreads += thread.total;
    if (Number(m[2]) === 1) {
      cost.main = thread.total;
      cost.mainGc = thread.gc;
      cost.gcs = thread.gcs;
    }
  }
  if (!Number.isFinite(cost.main)) throw new Error(`callgrind dump of ${pid} has no main-thread file`);
  return cost;
}

/** The child's next IPC message; one carrying `error` (or the child exiting) rejects. */
export function nextMessage<T>(child: ChildProcess): Promise<T> {
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

/** Asks the child to run `op` n times and waits for its answer. */
export async function askChild(child: ChildProcess, op: string, n: number): Promise<void> {
  child.send({ op, n });
  await nextMessage(child);
}
