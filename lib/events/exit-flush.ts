/** What flushes its queue when the process is about to exit without app.close(). */
export interface ExitFlushTarget {
  flushBeforeExit(): Promise<void>;
}

const targets = new Set<ExitFlushTarget>();

function onBeforeExit(): void {
  for (const target of targets) void target.flushBeforeExit();
}

/**
 * Calls `target.flushBeforeExit()` on the process's `beforeExit`: Node emits it when nothing is left to do,
 * which is when a script or worker that never called app.close() would end with events still queued (our
 * timers are unref'd and do not hold it). One process listener for all targets; returns the unregister.
 */
export function flushOnProcessExit(target: ExitFlushTarget): () => void {
  if (targets.size === 0) process.on('beforeExit', onBeforeExit);
  targets.add(target);
  return () => {
    if (!targets.delete(target)) return;
    if (targets.size === 0) process.off('beforeExit', onBeforeExit);
  };
}
