import { Inject, Injectable } from '@nestjs/common';
import type { VWOResolvedOptions } from '../options/vwo-module-options.interface';
import { SettingsStore } from '../settings/settings-store';
import { DEFAULT_POLL_INTERVAL_MS, VWO_OPTIONS } from '../vwo.constants';
import type { VWOHealthCheckOptions, VWOHealthDetails, VWOHealthIndicatorResult } from './vwo-health.types';

/** Polls this many intervals may be missed before the settings count as stale. */
const STALE_AFTER_POLLS = 3;

/**
 * A @nestjs/terminus health indicator: up while settings are loaded and fresh; down (with the settings' age
 * and the last fetch error) before the first settings, or once polling has failed for too long.
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
    @Inject(VWO_OPTIONS) private readonly options: VWOResolvedOptions,
  ) {}

  /** Never throws: terminus reads the `down` status from the result itself. */
  isHealthy<Key extends string = 'vwo'>(key: Key = 'vwo' as Key, check: VWOHealthCheckOptions = {}): VWOHealthIndicatorResult<Key> {
    const now = Date.now();
    const maxAgeMs = this.options.offline ? undefined : (check.maxAgeMs ?? this.defaultMaxAge());
    const settingsAgeMs = this.store.lastUpdatedAt && now - this.store.lastUpdatedAt.getTime();
    const ready = this.store.isReady();
    const fresh = maxAgeMs === undefined || (settingsAgeMs !== undefined && settingsAgeMs <= maxAgeMs);
    const details: VWOHealthDetails = withoutUndefined({
      status: ready && fresh ? 'up' : 'down',
      ready,
      settingsAgeMs,
      lastUpdatedAt: this.store.lastUpdatedAt?.toISOString(),
      maxAgeMs,
      version: this.store.snapshot?.version,
      source: this.store.source,
      lastFetchError: this.store.lastFetchError,
      lastFetchErrorAt: this.store.lastFetchErrorAt?.toISOString(),
    });
    return { [key]: details } as VWOHealthIndicatorResult<Key>;
  }

  private defaultMaxAge(): number {
    const interval = this.options.pollInterval ?? this.store.snapshot?.pollInterval ?? DEFAULT_POLL_INTERVAL_MS;
    return STALE_AFTER_POLLS * interval;
  }
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
