/**
 * How long to wait for something that happens soon (a retry, a poll, a write): polling returns as soon as it
 * holds, so this only matters when it does not, and it is generous enough for a busy 2-core CI machine.
 * Where a test proves "sooner than X", it makes X far larger than this instead of waiting less.
 */
export const EVENTUALLY_MS = 15_000;

/**
 * Room on top of a bound that is the promise ("within storageTimeout", "within shutdownTimeout"): a busy 2-core
 * CI machine stalls timers and I/O this long. A test using it makes breaking the promise cost far more.
 */
export const BUSY_MACHINE_SLACK_MS = 5_000;

/** Polls a condition every 20 ms until it holds, or fails after timeoutMs. */
export async function waitUntil(condition: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
