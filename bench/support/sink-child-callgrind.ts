/**
 * A callgrind child that sends to the loopback event sink (another process, not counted), for the events
 * instruction benches: setup and teardown of the pair, and one counted window of the child's work.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventSink } from '../../test/events/support/event-sink';
import { askChild, callgrindControl, callgrindMissing, DumpCost, forkUnderCallgrind, readDump } from './callgrind';

export interface SinkChild {
  child: ChildProcess;
  /** Counts the main thread's instructions while the child runs `op` n times (instrumentation on only then). */
  count(op: string, n: number): Promise<DumpCost>;
}

/** Forks `childModule` under callgrind, its sink URL in env[sinkEnv], and runs `use`; false when callgrind is missing. */
export async function withSinkChild(childModule: string, sinkEnv: string, use: (c: SinkChild) => Promise<void>): Promise<boolean> {
  const missing = await callgrindMissing();
  if (missing) {
    console.log(`skipped: ${missing}`);
    return false;
  }
  const outDir = mkdtempSync(join(tmpdir(), 'sink-child-cg-'));
  const sink = await EventSink.start({ countOnly: true });
  const child = forkUnderCallgrind(childModule, { ...process.env, [sinkEnv]: sink.url }, outDir);
  const pid = child.pid!;
  const count = async (op: string, n: number): Promise<DumpCost> => {
    await callgrindControl(pid, '--instr=on');
    await callgrindControl(pid, '--zero');
    await askChild(child, op, n);
    await callgrindControl(pid, '--dump');
    await callgrindControl(pid, '--instr=off');
    return readDump(outDir, pid);
  };
  try {
    await use({ child, count });
  } finally {
    if (child.connected) child.disconnect();
    await sink.stop();
    rmSync(outDir, { recursive: true, force: true });
  }
  return true;
}
