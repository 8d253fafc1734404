import { Injectable, type INestApplication, type ModuleMetadata } from '@nestjs/common';
import { Cron, Interval, ScheduleModule, SchedulerRegistry } from '@nestjs/schedule';
import { Test } from '@nestjs/testing';
import { VWO_SETTINGS_POLL_INTERVAL } from '../../lib/vwo.internal-constants';
import { VWOModule } from '../../lib/vwo.module';
import { fakeVwoBed } from '../support/fake-vwo-bed';
import { waitUntil } from './helpers/wait-until';

/** The host application's own scheduled jobs, recording when each tick ran. */
@Injectable()
class HostJobs {
  readonly intervalTicks: number[] = [];
  readonly cronTicks: number[] = [];

  @Interval(100)
  onInterval(): void {
    this.intervalTicks.push(Date.now());
  }

  @Cron('* * * * * *')
  onCron(): void {
    this.cronTicks.push(Date.now());
  }
}

/** How many times a job of this period can have fired, at most, since `since` (+1: timers may run a millisecond early). */
function maxTicks(periodMs: number, since: number): number {
  return Math.floor((Date.now() - since) / periodMs) + 1;
}

/** How many whole seconds began after `since`: a job on every second fires at most once for each. */
function secondsBegun(since: number): number {
  return Math.floor(Date.now() / 1000) - Math.floor(since / 1000);
}

const gaps = (ticks: number[]) => ticks.slice(1).map((tick, i) => tick - ticks[i]!);

/**
 * A library must not turn the host's scheduling on, nor register the host's @Interval / @Cron jobs a second
 * time (each ScheduleModule.forRoot() call explores every provider of the app), while its own settings poll
 * still runs through @nestjs/schedule's SchedulerRegistry. Counts are bounded by the time elapsed, so a job
 * registered twice (two ticks per period) fails however slow the machine is.
 */
describe("the host app's own scheduled jobs next to VWOModule", () => {
  const bed = fakeVwoBed();

  const settingsRequests = () => bed.server.requestsTo('/server-side/v2-settings').length;

  async function boot(imports: ModuleMetadata['imports']): Promise<{ app: INestApplication; jobs: HostJobs; bootedAt: number }> {
    const moduleRef = await Test.createTestingModule({ imports, providers: [HostJobs] }).compile();
    const app = bed.adopt(moduleRef.createNestApplication({ logger: false }));
    const bootedAt = Date.now();
    await app.init();
    return { app, jobs: app.get(HostJobs), bootedAt };
  }

  const vwo = () => VWOModule.forRoot(bed.options({ pollInterval: 1000 }));

  it.each([
    ['before VWOModule', () => [ScheduleModule.forRoot(), vwo()]],
    ['after VWOModule', () => [vwo(), ScheduleModule.forRoot()]],
  ])('ScheduleModule.forRoot() imported %s: each host job fires at its own rate, and VWO polls in the same registry', async (_order, imports) => {
    const { app, jobs, bootedAt } = await boot(imports());
    await waitUntil(() => jobs.intervalTicks.length >= 6 && jobs.cronTicks.length >= 2 && settingsRequests() >= 3, 15_000);

    expect(jobs.intervalTicks.length).toBeLessThanOrEqual(maxTicks(100, bootedAt));
    expect(Math.min(...gaps(jobs.intervalTicks))).toBeGreaterThanOrEqual(50);
    expect(jobs.cronTicks.length).toBeLessThanOrEqual(secondsBegun(bootedAt));

    const registry = app.get(SchedulerRegistry);
    expect(registry.doesExist('interval', VWO_SETTINGS_POLL_INTERVAL)).toBe(true);
    expect(registry.getIntervals()).toHaveLength(2); // the host's and VWO's
    expect(registry.getCronJobs().size).toBe(1);
  });

  it('without ScheduleModule: VWO still polls, and the host jobs stay off (scheduling is the host’s choice)', async () => {
    const { app, jobs } = await boot([vwo()]);
    // Two polls take two seconds: time for ~20 interval ticks and a cron tick, had VWO enabled them.
    await waitUntil(() => settingsRequests() >= 3, 15_000);
    expect(jobs.intervalTicks).toEqual([]);
    expect(jobs.cronTicks).toEqual([]);
    expect(() => app.get(SchedulerRegistry)).toThrow();
  });
});
