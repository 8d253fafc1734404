/** Longest stretch a sliced job (applying a settings document) keeps the event loop before letting requests run. */
export const SLICE_MS = 8;

/**
 * Drives a stepped job (a generator that yields wherever it may pause) a slice at a time, yielding to the event
 * loop between slices, so that a long job never stalls the requests being served. setImmediate, not a promise
 * tick: timers and I/O callbacks run between two slices.
 */
export async function runInSlices<T>(steps: Iterator<void, T>, sliceMs = SLICE_MS): Promise<T> {
  let sliceStart = performance.now();
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    if (performance.now() - sliceStart >= sliceMs) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      sliceStart = performance.now();
    }
  }
}
