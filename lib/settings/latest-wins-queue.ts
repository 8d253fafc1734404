/**
 * Runs jobs one at a time, in order. A job still waiting for its turn when a newer one arrives is dropped:
 * only the newest waiting job runs next, and the callers of a dropped job are answered once the job that
 * replaced it is done (through `superseded`, so that they can tell their own job did not run).
 */
export class LatestWinsQueue<J, R> {
  private running = false;
  private waiting?: { job: J; resolve: (outcome: R) => void; reject: (err: unknown) => void; done: Promise<R> };

  constructor(
    private readonly run: (job: J) => Promise<R>,
    private readonly superseded: (newer: R) => R,
  ) {}

  push(job: J): Promise<R> {
    let resolve!: (outcome: R) => void;
    let reject!: (err: unknown) => void;
    const done = new Promise<R>((res, rej) => ((resolve = res), (reject = rej)));
    const dropped = this.waiting;
    if (dropped) done.then((outcome) => dropped.resolve(this.superseded(outcome)), dropped.reject);
    this.waiting = { job, resolve, reject, done };
    if (!this.running) void this.drain();
    return done;
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      for (let next = this.waiting; next; next = this.waiting) {
        this.waiting = undefined;
        try {
          next.resolve(await this.run(next.job));
        } catch (err) {
          next.reject(err);
        }
      }
    } finally {
      this.running = false;
    }
  }
}
