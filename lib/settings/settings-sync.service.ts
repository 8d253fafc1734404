import { Inject, Injectable, OnModuleDestroy, OnModuleInit, Optional } from '@nestjs/common';
import { waitKeepingAlive } from '../lifecycle/keep-alive';
import { OutageLog } from '../logger/outage-log';
import type { VWOLogger } from '../logger/vwo-logger.interface';
import { maskSdkKey } from '../logger/mask-sdk-key';
import type { VWOSettingsConfig } from './settings-config';
import { VWOOptionsError } from '../vwo-options.error';
import { DEFAULT_POLL_INTERVAL_MS, MIN_POLL_INTERVAL_MS } from '../vwo.constants';
import { VWO_LOGGER, VWO_SETTINGS_CONFIG } from '../vwo.internal-constants';
import { SettingsFailureKind, SettingsFetchError } from './settings-fetch.error';
import { SettingsEndpoint, SettingsFetcher } from './settings-fetcher';
import { SettingsPoller } from './settings-poller';
import { AUTH_BACKOFF_FACTOR, recoveryDelayMs, SettingsRecoveryTuning, VWO_SETTINGS_RECOVERY } from './settings-recovery';
import { SettingsCacheService } from './settings-cache.service';
import { ApplyResult, SettingsStore } from './settings-store';
import { NOOP_TELEMETRY } from '../telemetry/noop-telemetry';
import { VWOTelemetry } from '../telemetry/vwo-telemetry';

/** What one refresh did. */
export type RefreshResult = ApplyResult | 'failed';

/** Timing of the last successful fetch, as VWO's init event reports it (docs/events.md). */
export interface SettingsFetchTiming {
  /** Milliseconds the settings request took (its retries included). */
  settingsFetchTime: number;
  /** Milliseconds since the module started initializing. */
  sdkInitTime: number;
}

/**
 * Keeps SettingsStore current: loads the `settings` option, fetches at boot (boot waits at most
 * `waitForSettings` ms, keeping the process alive meanwhile), then polls. A failed fetch (a document that
 * fails validation included) keeps the last good settings and is retried sooner than the poll interval
 * (backing off up to it; more slowly after 401/403), so the module recovers quickly after an outage, also
 * when the very first fetch failed. An outage is logged once, with a summary when it ends.
 */
@Injectable()
export class SettingsSyncService implements OnModuleInit, OnModuleDestroy {
  private inFlight?: Promise<RefreshResult>;
  private stopped = false;
  private consecutiveFailures = 0;
  private initStartedAt = Date.now();
  private timing?: SettingsFetchTiming;
  private readonly shutdown = new AbortController();
  private readonly outage: OutageLog;

  constructor(
    @Inject(VWO_SETTINGS_CONFIG) private readonly options: VWOSettingsConfig,
    @Inject(VWO_LOGGER) private readonly logger: VWOLogger,
    private readonly store: SettingsStore,
    private readonly fetcher: SettingsFetcher,
    private readonly poller: SettingsPoller,
    @Inject(VWO_SETTINGS_RECOVERY) private readonly recovery: SettingsRecoveryTuning,
    private readonly cache: SettingsCacheService,
    @Optional() private readonly telemetry: VWOTelemetry = NOOP_TELEMETRY,
  ) {
    this.outage = new OutageLog(logger, 'Settings requests');
  }

  /** Aborted when the module is destroyed: waits that keep the process alive for settings end with it. */
  get shutdownSignal(): AbortSignal {
    return this.shutdown.signal;
  }

  /** Timing of the last successful fetch (undefined before one). */
  get fetchTiming(): SettingsFetchTiming | undefined {
    return this.timing;
  }

  async onModuleInit(): Promise<void> {
    this.initStartedAt = Date.now();
    await this.loadOptionSettings();
    if (this.options.offline) {
      this.logger.info('No sdkKey: running offline on the `settings` option (no fetch, no polling)');
      return;
    }
    this.logger.debug(`Fetching settings for account ${String(this.options.accountId)} with SDK key ${maskSdkKey(this.options.sdkKey)}`);
    const first = this.refresh();
    this.armPolling();
    // Read while the first fetch runs: a fresh-enough cached document ends the wait at once, and a slow cache
    // never holds up a fetch that succeeded (one that failed waits for the cache: it is all there is).
    const started = Date.now();
    const fetched = first.then((result) => (result === 'updated' || result === 'unchanged' ? false : new Promise<boolean>(() => undefined)));
    const fromCache = await Promise.race([this.cache.restore(), fetched]);
    if (!fromCache) await waitKeepingAlive(first, Math.max(0, this.options.waitForSettings - (Date.now() - started)), this.shutdown.signal);
    await this.cache.useFallback();
    if (!this.store.isReady() && !this.stopped) {
      const last = this.store.lastFetchError ? ` (last error: ${this.store.lastFetchError})` : '';
      this.logger.error(`No settings after ${Date.now() - started} ms${last}; starting without them (flags are disabled until settings arrive)`);
    }
  }

  onModuleDestroy(): void {
    this.stopped = true;
    this.shutdown.abort();
    this.poller.stop();
    this.fetcher.cancel();
  }

  /**
   * Fetches and applies the result. The fetch starts after this call: a fetch already running (a poll) is
   * waited for, not reused, so a caller who knows the settings changed gets them. Never rejects.
   */
  refresh(endpoint: SettingsEndpoint = 'v2-settings'): Promise<RefreshResult> {
    if (this.options.offline) return Promise.resolve('unchanged');
    const running = this.inFlight;
    return this.track(running ? running.then(() => this.fetchAndApply(endpoint)) : this.fetchAndApply(endpoint));
  }

  /** A poll tick: joins the fetch already running, if any. */
  private poll(): Promise<RefreshResult> {
    return this.inFlight ?? this.track(this.fetchAndApply('v2-settings'));
  }

  private track(fetch: Promise<RefreshResult>): Promise<RefreshResult> {
    this.inFlight = fetch;
    void fetch.finally(() => {
      if (this.inFlight === fetch) this.inFlight = undefined;
    });
    return fetch;
  }

  private async fetchAndApply(endpoint: SettingsEndpoint): Promise<RefreshResult> {
    const started = Date.now();
    let text: string;
    try {
      text = await this.fetcher.fetch(endpoint);
    } catch (err) {
      this.telemetry.settingsFetch('failed');
      this.onFetchFailed(err);
      return 'failed';
    }
    if (this.stopped) return 'unchanged';
    const now = Date.now();
    const previousTiming = this.timing;
    // Set before the apply: its listeners (the SDK init event) read it.
    this.timing = { settingsFetchTime: now - started, sdkInitTime: now - this.initStartedAt };
    const { result, document } = await this.store.submit({ text }, 'fetch', now);
    this.telemetry.settingsFetch(result);
    // A large document takes a while to apply: the module may have been shut down (and its storage closed) meanwhile.
    if (this.stopped) return result;
    if (result === 'invalid') {
      this.timing = previousTiming;
      // Valid JSON of the wrong shape is a failed fetch: retried on the failure back-off, not a poll interval later.
      this.onFetchFailed(new SettingsFetchError(this.store.lastFetchError ?? 'settings document rejected', 1, 200, 'invalid'));
      return result;
    }
    // No document: a newer one (given to updateSettings, say) replaced this one before its turn; not ours to cache.
    if (document) this.cache.saveFetched(document, now);
    this.consecutiveFailures = 0;
    this.outage.success();
    this.armPolling();
    return result;
  }

  private onFetchFailed(err: unknown): void {
    const message = err instanceof Error ? err.message : String(err);
    const kind: SettingsFailureKind = err instanceof SettingsFetchError ? err.kind : 'network';
    this.store.recordFailure(message);
    if (this.stopped) return;
    this.consecutiveFailures++;
    const tuning = kind === 'auth' ? { retryBaseMs: this.recovery.retryBaseMs * AUTH_BACKOFF_FACTOR } : this.recovery;
    const delay = recoveryDelayMs(this.consecutiveFailures, tuning, this.pollIntervalMs());
    const kept = this.store.isReady() ? 'keeping the last good settings' : 'no settings yet';
    const next = `${kept}, retrying in ${delay} ms`;
    this.outage.failure(outageKind(kind), this.failureLine(kind, message, next), `Settings could not be fetched (${message}); ${next}`);
    this.poller.start(delay, () => void this.poll());
  }

  private failureLine(kind: SettingsFailureKind, message: string, next: string): string {
    const later = 'further failures are logged at debug level until settings arrive';
    if (kind === 'auth') {
      const { sdkKey, accountId } = this.options;
      return `Settings request refused (${message}): the SDK key (${maskSdkKey(sdkKey)}) or the account id (${String(accountId)}) is likely wrong; ${next}; ${later}`;
    }
    if (kind === 'invalid') return `Settings are not valid (${message.replace(/^settings document rejected: /, '')}); ${next}; ${later}`;
    return `Settings could not be fetched (${message}); ${next}; ${later}`;
  }

  private async loadOptionSettings(): Promise<void> {
    if (!this.options.settings) return;
    if ((await this.store.apply(this.options.settings, 'option')) === 'invalid') {
      throw new VWOOptionsError([`settings: not a valid settings document: ${this.store.lastFetchError ?? 'rejected'}`]);
    }
  }

  /** Polls at the normal interval (a no-op when already doing so). */
  private armPolling(): void {
    if (this.stopped) return;
    this.poller.start(this.pollIntervalMs(), () => void this.poll());
  }

  /** The option, else the settings' own pollInterval, else 10 minutes (docs/settings.md). */
  private pollIntervalMs(): number {
    const fromSettings = this.store.snapshot?.pollInterval;
    return this.options.pollInterval ?? (typeof fromSettings === 'number' && fromSettings >= MIN_POLL_INTERVAL_MS ? fromSettings : DEFAULT_POLL_INTERVAL_MS);
  }
}

/** Failures that share a kind here share one log line per outage. */
function outageKind(kind: SettingsFailureKind): string {
  return kind === 'auth' || kind === 'invalid' || kind === 'too-large' ? kind : 'unavailable';
}
