import type { VWOLogger } from './vwo-logger.interface';

/** How often a long outage is reported again, with its counts. */
const DEFAULT_REMINDER_MS = 5 * 60_000;

/**
 * Logs an outage of a remote dependency instead of each failed attempt: one error line when it starts
 * (and one more when the failure changes kind, e.g. from HTTP 500 to 401), a reminder with counts every
 * few minutes, and a summary when it ends. Every attempt in between goes to debug.
 */
export class OutageLog {
  private failures = 0;
  private startedAt = 0;
  private lastReportAt = 0;
  private readonly kindsReported = new Set<string>();

  constructor(
    private readonly logger: VWOLogger,
    /** What is failing, for the reminder and summary lines, e.g. "Settings requests". */
    private readonly subject: string,
    private readonly reminderMs = DEFAULT_REMINDER_MS,
  ) {}

  get inOutage(): boolean {
    return this.failures > 0;
  }

  /** One failed attempt; `message` is logged as an error if it is the first of its kind in this outage. */
  failure(kind: string, message: string, detail = message): void {
    const now = Date.now();
    if (this.failures++ === 0) {
      this.startedAt = now;
      this.lastReportAt = now;
    }
    if (!this.kindsReported.has(kind)) {
      this.kindsReported.add(kind);
      this.logger.error(message);
      return;
    }
    if (now - this.lastReportAt >= this.reminderMs) {
      this.lastReportAt = now;
      this.logger.warn(`${this.subject} still failing: ${this.failures} failed attempts in ${seconds(now - this.startedAt)}; last: ${detail}`);
      return;
    }
    this.logger.debug(detail);
  }

  /** A success: ends the outage, if any, with one summary line. */
  success(): void {
    if (this.failures === 0) return;
    const duration = seconds(Date.now() - this.startedAt);
    this.logger.info(`${this.subject} succeed again after ${this.failures} failed attempt(s) over ${duration}`);
    this.failures = 0;
    this.kindsReported.clear();
  }
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
