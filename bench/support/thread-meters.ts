/**
 * What a stretch of work cost the main thread, beyond wall clock: its CPU time (the thread that serves an
 * app's requests; not worker threads, V8's helper threads or other processes) and the time V8 paused it for
 * garbage collection.
 */
import { readFileSync } from 'node:fs';
import { PerformanceObserver } from 'node:perf_hooks';

const SCHEDSTAT = `/proc/self/task/${process.pid}/schedstat`;

/**
 * Nanoseconds the main thread has been on a CPU (Linux schedstat: nanosecond resolution, unlike the 10 ms
 * ticks of /proc/<pid>/stat), or undefined elsewhere.
 */
export function mainThreadCpuNs(): number | undefined {
  try {
    return Number(readFileSync(SCHEDSTAT, 'utf8').split(' ')[0]);
  } catch {
    return undefined;
  }
}

/** Sums the durations of V8's GC pauses (perf_hooks 'gc' entries), read and reset by take(). */
export class GcPauses {
  private totalMs = 0;
  private readonly observer = new PerformanceObserver((list) => this.add(list.getEntries()));

  constructor() {
    this.observer.observe({ entryTypes: ['gc'] });
  }

  /** Milliseconds of GC pause since the previous call (entries not yet delivered are taken too). */
  take(): number {
    this.add(this.observer.takeRecords());
    const ms = this.totalMs;
    this.totalMs = 0;
    return ms;
  }

  close(): void {
    this.observer.disconnect();
  }

  private add(entries: readonly { duration: number }[]): void {
    for (const e of entries) this.totalMs += e.duration;
  }
}
