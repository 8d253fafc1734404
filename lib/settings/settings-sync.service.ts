import { Inject, Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import type { VWOLogger } from '../logger/vwo-logger.interface';
import { maskSdkKey } from '../logger/mask-sdk-key';
import type { VWOResolvedOptions } from '../options/vwo-module-options.interface';
import { VWOOptionsError } from '../options/vwo-options.error';
import { DEFAULT_POLL_INTERVAL_MS, MIN_POLL_INTERVAL_MS, VWO_LOGGER, VWO_OPTIONS } from '../vwo.constants';
import { SettingsEndpoint, SettingsFetcher } from './settings-fetcher';
import { SettingsPoller } from './settings-poller';
import { ApplyResult, SettingsStore } from './settings-store';

/**
 * Keeps SettingsStore current: loads the `settings` option, fetches at boot (boot waits at most
 * `waitForSettings` ms), then polls. A failed fetch keeps the last good settings; polling goes on, so the
 * module recovers after an outage, also when the very first fetch failed.
 */
@Injectable()
export class SettingsSyncService implements OnModuleInit, OnModuleDestroy {
  private inFlight?: Promise<ApplyResult | 'failed'>;
  private stopped = false;

  constructor(
    @Inject(VWO_OPTIONS) private readonly options: VWOResolvedOptions,
    @Inject(VWO_LOGGER) private readonly logger: VWOLogger,
    private readonly store: SettingsStore,
    private readonly fetcher: SettingsFetcher,
    private readonly poller: SettingsPoller,
  ) {}

  async onModuleInit(): Promise<void> {
    this.loadOptionSettings();
    if (this.options.offline) {
      this.logger.info('No sdkKey: running offline on the `settings` option (no fetch, no polling)');
      return;
    }
    this.logger.debug(`Fetching settings for account ${String(this.options.accountId)} with SDK key ${maskSdkKey(this.options.sdkKey)}`);
    const first = this.refresh();
    this.armPolling();
    await this.waitAtMost(first, this.options.waitForSettings);
    if (!this.store.isReady()) {
      this.logger.error(`No settings after ${this.options.waitForSettings} ms; starting without them (flags are disabled until settings arrive)`);
    }
  }

  onModuleDestroy(): void {
    this.stopped = true;
    this.poller.stop();
    this.fetcher.cancel();
  }

  /**
   * Fetches now and applies the result (concurrent callers share one fetch). Resolves what happened;
   * never rejects.
   */
  refresh(endpoint: SettingsEndpoint = 'v2-settings'): Promise<ApplyResult | 'failed'> {
    if (this.options.offline) return Promise.resolve('unchanged');
    this.inFlight ??= this.fetchAndApply(endpoint).finally(() => (this.inFlight = undefined));
    return this.inFlight;
  }

  private async fetchAndApply(endpoint: SettingsEndpoint): Promise<ApplyResult | 'failed'> {
    try {
      const document = await this.fetcher.fetch(endpoint);
      if (this.stopped) return 'unchanged';
      const result = this.store.apply(document, 'fetch');
      if (result === 'updated') this.armPolling();
      return result;
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      this.store.recordFailure(message);
      if (!this.stopped) {
        this.logger.error(`Settings could not be fetched (${message}); ${this.store.isReady() ? 'keeping the last good settings' : 'no settings yet'}, will retry at the next poll`);
      }
      return 'failed';
    }
  }

  private loadOptionSettings(): void {
    if (!this.options.settings) return;
    if (this.store.apply(this.options.settings, 'option') === 'invalid') {
      throw new VWOOptionsError([`settings: not a valid settings document: ${this.store.lastFetchError ?? 'rejected'}`]);
    }
  }

  /** Interval: the option, else the settings' own pollInterval, else 10 minutes (network.md §3). */
  private armPolling(): void {
    if (this.stopped) return;
    const fromSettings = this.store.snapshot?.pollInterval;
    const interval =
      this.options.pollInterval ??
      (typeof fromSettings === 'number' && fromSettings >= MIN_POLL_INTERVAL_MS ? fromSettings : DEFAULT_POLL_INTERVAL_MS);
    this.poller.start(interval, () => void this.refresh());
  }

  private async waitAtMost(work: Promise<unknown>, ms: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const bound = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, ms);
      timer.unref();
    });
    await Promise.race([work, bound]);
    clearTimeout(timer);
  }
}
