import { Inject, Injectable, Optional } from '@nestjs/common';
import type { SchedulerRegistry } from '@nestjs/schedule';
import type { VWOLogger } from '../logger/vwo-logger.interface';
import { getVWOPollIntervalName, VWO_INSTANCE_NAME } from '../instances/vwo-instance.tokens';
import { VWO_LOGGER, VWO_SCHEDULER_REGISTRY } from '../vwo.internal-constants';

/**
 * The settings poll timer: one setInterval registered in SchedulerRegistry under a stable name, one per VWOModule instance (the host's
 * registry when the app imports ScheduleModule.forRoot(), else VWOModule's own), unref'd so it never keeps
 * the process alive. Re-arming replaces it; stopping is safe when @nestjs/schedule has already cleared it
 * (it does so in its own shutdown hook).
 */
@Injectable()
export class SettingsPoller {
  private intervalMs?: number;
  /** This instance's job name: named instances share the host's registry, where a name is taken once. */
  private readonly jobName: string;

  constructor(
    @Inject(VWO_SCHEDULER_REGISTRY) private readonly registry: SchedulerRegistry,
    @Inject(VWO_LOGGER) private readonly logger: VWOLogger,
    @Optional() @Inject(VWO_INSTANCE_NAME) instance?: string,
  ) {
    this.jobName = getVWOPollIntervalName(instance);
  }

  get currentIntervalMs(): number | undefined {
    return this.intervalMs;
  }

  /** Polls every `intervalMs` (no-op when already polling at that interval). */
  start(intervalMs: number, tick: () => void): void {
    if (this.intervalMs === intervalMs && this.registry.doesExist('interval', this.jobName)) return;
    this.stop();
    const timer = setInterval(tick, intervalMs);
    timer.unref();
    this.registry.addInterval(this.jobName, timer);
    this.intervalMs = intervalMs;
    this.logger.debug(`Polling settings every ${intervalMs} ms`);
  }

  stop(): void {
    this.intervalMs = undefined;
    if (this.registry.doesExist('interval', this.jobName)) {
      this.registry.deleteInterval(this.jobName);
    }
  }
}
