import type { VWOLogger } from '../logger/vwo-logger.interface';

/**
 * Writes a warning at most once per window and counts what it held back, so a storage outage under load
 * yields one line every few seconds instead of one per request.
 */
export class RateLimitedWarning {
  private lastAt = -Infinity;
  private suppressed = 0;

  constructor(
    private readonly logger: VWOLogger,
    private readonly windowMs = 10_000,
  ) {}

  warn(message: string): void {
    const now = Date.now();
    if (now - this.lastAt < this.windowMs) {
      this.suppressed++;
      return;
    }
    const held = this.suppressed ? ` (${this.suppressed} similar warnings suppressed)` : '';
    this.lastAt = now;
    this.suppressed = 0;
    this.logger.warn(`${message}${held}`);
  }
}
