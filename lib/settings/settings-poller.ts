import { Inject, Injectable } from '@nestjs/common';
import type { SchedulerRegistry } from '@nestjs/schedule';
import type { VWOLogger } from '../logger/vwo-logger.interface';
import { VWO_LOGGER, VWO_SCHEDULER_REGISTRY, VWO_SETTINGS_POLL_INTERVAL } from '../vwo.internal-constants';

/**
 * The settings poll timer: one setInterval registered in SchedulerRegistry under a stable name (the host's
 * registry when the app imports ScheduleModule.forRoot(), else VWOModule's own), unref'd so it never keeps
 * the process alive. Re-arming replaces it; stopping is safe when @nestjs/schedule has already cleared it
 * (it does so in its own shutdown hook).
 */
@Injectable()
export class SettingsPoller {
  private intervalMs?: number;

  constructor(
    @Inject(VWO_SCHEDULER_REGISTRY) private readonly registry: SchedulerRegistry,
    @Inject(VWO_LOGGER) private readonly logger: VWOLogger,
  ) {}

  get currentIntervalMs(): number | undefined {
    return this.intervalMs;
  }

  /** Polls every `intervalMs` (no-op when already polling at that interval). */
  start(intervalMs: number, tick: () => void): void {
    if (this.intervalMs === intervalMs && this.registry.doesExist('interval', VWO_SETTINGS_POLL_INTERVAL)) return;
    this.stop();
    const timer = setInterval(tick, intervalMs);
    timer.unref();
    this.registry.addInterval(VWO_SETTINGS_POLL_INTERVAL, timer);
    this.intervalMs = intervalMs;
    this.logger.debug(`Polling settings every ${intervalMs} ms`);
  }

  stop(): void {
    this.intervalMs = undefined;
    if (this.registry.doesExist('interval', VWO_SETTINGS_POLL_INTERVAL)) {
      this.registry.deleteInterval(VWO_SETTINGS_POLL_INTERVAL);
    }
  }
}
