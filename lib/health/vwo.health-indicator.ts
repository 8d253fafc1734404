import { Inject, Injectable, Optional } from '@nestjs/common';
import { VWOEventsService } from '../events/vwo-events.service';
import { SettingsStore } from '../settings/settings-store';
import { DEFAULT_POLL_INTERVAL_MS } from '../vwo.constants';
import { VWO_HEALTH_CONFIG } from '../vwo.internal-constants';
import type { VWOEventPipelineHealth, VWOHealthCheckOptions, VWOHealthConfig, VWOHealthDetails, VWOHealthIndicatorResult } from './vwo-health.types';

/** Polls this many intervals may be missed before the settings count as stale. */
const STALE_AFTER_POLLS = 3;
/** Event requests may fail this long (VWO down, a proxy misconfigured) before the indicator is down. */
const DEFAULT_MAX_EVENTS_FAILING_MS = 600_000;

/**
 * A @nestjs/terminus health indicator: up while settings are loaded and fresh and events leave; down
 * (with the settings' age, the last fetch error and the event pipeline's state) before the first
 * settings, once polling has failed for too long, or once event requests have failed for too long.
 *
 * @example
 * @Get('health') @HealthCheck()
 * check() { return this.health.check([() => this.vwoHealth.isHealthy('vwo')]); }
 * @publicApi
 */
@Injectable()
export class VWOHealthIndicator {
  constructor(
    private readonly store: SettingsStore,
    @Inject(VWO_HEALTH_CONFIG) private readonly options: VWOHealthConfig,
    @Optional() private readonly events?: VWOEventsService,
  ) {}

  /** Never throws: terminus reads the `down` status from the result itself. */
  isHealthy<Key extends string = 'vwo'>(key: Key = 'vwo' as Key, check: VWOHealthCheckOptions = {}): VWOHealthIndicatorResult<Key> {
    const now = Date.now();
    const maxAgeMs = this.options.offline ? undefined : (check.maxAgeMs ?? this.defaultMaxAge());
    const settingsAgeMs = this.store.lastUpdatedAt && now - this.store.lastUpdatedAt.getTime();
    const ready = this.store.isReady();
    const fresh = maxAgeMs === undefined || (settingsAgeMs !== undefined && settingsAgeMs <= maxAgeMs);
    const events = this.eventPipeline(now, check.maxEventsFailingMs ?? DEFAULT_MAX_EVENTS_FAILING_MS);
    const sending = events?.failingForMs === undefined || events.failingForMs <= events.maxFailingMs;
    const details: VWOHealthDetails = withoutUndefined({
      status: ready && fresh && sending ? 'up' : 'down',
      ready,
      settingsAgeMs,
      lastUpdatedAt: this.store.lastUpdatedAt?.toISOString(),
      maxAgeMs,
      version: this.store.snapshot?.version,
      source: this.store.source,
      lastFetchError: this.store.lastFetchError,
      lastFetchErrorAt: this.store.lastFetchErrorAt?.toISOString(),
      events,
    });
    return { [key]: details } as VWOHealthIndicatorResult<Key>;
  }

  private defaultMaxAge(): number {
    const interval = this.options.pollInterval ?? this.store.snapshot?.pollInterval ?? DEFAULT_POLL_INTERVAL_MS;
    return STALE_AFTER_POLLS * interval;
  }

  /** Offline nothing is sent, so there is no pipeline to report. */
  private eventPipeline(now: number, maxFailingMs: number): VWOEventPipelineHealth | undefined {
    if (this.options.offline || !this.events) return undefined;
    const stats = this.events.stats;
    return withoutUndefined({
      queueLength: stats.queued,
      dropped: stats.droppedEvents,
      lastSentAgoMs: stats.lastSentAt === undefined ? undefined : now - stats.lastSentAt,
      failingForMs: stats.failingSince === undefined ? undefined : now - stats.failingSince,
      maxFailingMs,
    });
  }
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
