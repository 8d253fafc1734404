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
 * change only when the code does (and with how warm the JIT is: see PRIMING_ROUNDS). EVENTS_CG_N (default 4000)
 * calls per window; the official SDK gets a twentieth. About 3-4 minutes.
 */
import { join } from 'node:path';
import { askChild as ask, nextMessage, valgrindVersion } from './support/callgrind';
import { withSinkChild } from './support/sink-child-callgrind';
import { renderTable } from './support/table';

const N = Number(process.env.EVENTS_CG_N ?? 4000);
const OFFICIAL_N = Math.max(20, Math.ceil(N / 20));
/**
 * Uninstrumented rounds before each window (EVENTS_CG_PRIMING). A delivered series runs HttpService only once per
 * batch (40 to 80 requests a round), so after 2 rounds axios is still partly unoptimised in the window, more so when
 * the machine is busy (V8 compiles on background threads); 8 rounds give counts close to a long-running app's.
 */
const PRIMING_ROUNDS = Number(process.env.EVENTS_CG_PRIMING ?? 2);

interface OpInfo {
  name: string;
  eventsPerDecision: number;
}

interface Counted extends OpInfo {
  perDecision: number;
  perDecisionExclGc: number;
  gcs: number;
}

export async function run(): Promise<void> {
  const started = Date.now();
  const ran = await withSinkChild(join(__dirname, 'support', 'events-instructions-child.ts'), 'EVENTS_CG_SINK', async ({ child, count }) => {
    const { ops } = await nextMessage<{ ops: OpInfo[] }>(child);
    const counted: Counted[] = [];
    for (const op of ops) {
      const n = op.name.includes('official') ? OFFICIAL_N : N;
      for (let r = 0; r < PRIMING_ROUNDS; r++) await ask(child, op.name, n);
      const cost = await count(op.name, n);
      counted.push({ ...op, perDecision: cost.main / n, perDecisionExclGc: (cost.main - cost.mainGc) / n, gcs: cost.gcs });
      console.log(`  counted ${op.name}: ${Math.round(cost.main / n).toLocaleString('en-US')} instructions per decision`);
    }
    print(counted);
  });
  if (!ran) return;
  console.log(`(${await valgrindVersion()}; N=${N}, official ${OFFICIAL_N}, priming ${PRIMING_ROUNDS}; events instructions bench took ${((Date.now() - started) / 1000).toFixed(0)} s)`);
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
