/**
 * Runs an async task on demand, never twice at once: a trigger while it runs (or within `minGapMs` of the
 * start of the last run) asks for one more run, made as soon as both allow. Any burst of triggers thus
 * costs at most the run in progress plus one, and the last trigger is always followed by a whole run.
 */
export class CoalescedTask {
  private running?: Promise<void>;
  private pending = false;
  private timer?: NodeJS.Timeout;
  private lastStartedAt = -Infinity;
  private stopped = false;

  constructor(
    private readonly task: () => Promise<void>,
    private readonly minGapMs = 0,
  ) {}

  trigger(): void {
    if (this.stopped) return;
    if (this.running || this.timer) {
      this.pending = true;
      return;
    }
    const wait = this.lastStartedAt + this.minGapMs - Date.now();
    if (wait > 0) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.start();
      }, wait);
      this.timer.unref();
      return;
    }
    this.start();
  }

  stop(): void {
    this.stopped = true;
    this.pending = false;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private start(): void {
    this.pending = false;
    this.lastStartedAt = Date.now();
    const run = Promise.resolve()
      .then(() => this.task())
      .catch(() => undefined)
      .finally(() => {
        this.running = undefined;
        if (this.pending && !this.stopped) this.trigger();
      });
    this.running = run;
  }
}
