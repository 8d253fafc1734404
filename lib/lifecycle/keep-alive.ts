/** setTimeout's largest delay; a longer one would fire after 1 ms. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Waits for `work`, at most `ms` (none: until it settles), and keeps the process alive meanwhile.
 * Resolves true when `work` settled in time (fulfilled or rejected), false on timeout or when `stop` aborts.
 *
 * Node exits when nothing ref'd is pending: a pending promise alone does not count, and our retry and
 * poll timers are unref'd so that they never hold a finished process. Without this, an app whose first
 * settings fetch is waiting out a back-off leaves in the middle of its boot with exit code 0.
 */
export function waitKeepingAlive(work: Promise<unknown>, ms = Infinity, stop?: AbortSignal): Promise<boolean> {
  if (stop?.aborted) return Promise.resolve(false);
  return new Promise<boolean>((resolve) => {
    let settled = false;
    const bounded = Number.isFinite(ms) && ms <= MAX_TIMER_MS;
    // Ref'd on purpose: this timer is what holds the process while the wait lasts.
    const timer = bounded ? setTimeout(() => finish(false), Math.max(0, ms)) : setInterval(noop, MAX_TIMER_MS);
    const onStop = () => finish(false);
    const finish = (inTime: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      stop?.removeEventListener('abort', onStop);
      resolve(inTime);
    };
    stop?.addEventListener('abort', onStop, { once: true });
    work.then(
      () => finish(true),
      () => finish(true),
    );
  });
}

function noop(): void {}
