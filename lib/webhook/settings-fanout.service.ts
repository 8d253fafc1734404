import { Inject, Injectable, OnModuleDestroy, OnModuleInit, Optional } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { VWOLogger } from '../logger/vwo-logger.interface';
import type { VWOWebhookConfig } from './vwo-webhook-options.interface';
import { SettingsCacheService } from '../settings/settings-cache.service';
import { SettingsSyncService } from '../settings/settings-sync.service';
import { RateLimitedWarning } from '../storage/rate-limited-warning';
import { isSettingsChannel, VWOSettingsChange, VWOSettingsChannel, VWOSettingsSubscription } from '../storage/vwo-settings-channel.interface';
import type { VWOStorage } from '../storage/vwo-storage.interface';
import { VWO_STORAGE } from '../vwo.constants';
import { VWO_LOGGER, VWO_WEBHOOK_CONFIG } from '../vwo.internal-constants';
import { CoalescedTask } from './coalesced-task';

/**
 * Keeps the replicas of a fleet together: a refresh this one made for a webhook is announced on the
 * storage's channel, and an announcement from another replica makes this one catch up, from the shared
 * cache when it holds the announced document, else from VWO. Active when the module has a `webhook` and
 * its storage offers a channel (VWORedisStorage). A lost subscription is caught up on once it is back.
 */
@Injectable()
export class SettingsFanoutService implements OnModuleInit, OnModuleDestroy {
  /** This module instance, in its announcements (its own come back to it and are ignored). */
  readonly origin = randomUUID();
  private readonly channel?: VWOSettingsChannel;
  private subscription?: VWOSettingsSubscription;
  private readonly catchUp = new CoalescedTask(() => this.refreshFromFleet());
  /** Newest announced fetch time not yet caught up with. */
  private announced = 0;
  /** Announcements may have been missed (lost subscription): refresh whatever the cache says. */
  private missed = false;
  private readonly publishWarning: RateLimitedWarning;

  constructor(
    @Inject(VWO_WEBHOOK_CONFIG) private readonly options: VWOWebhookConfig,
    @Inject(VWO_LOGGER) private readonly logger: VWOLogger,
    private readonly sync: SettingsSyncService,
    private readonly cache: SettingsCacheService,
    @Optional() @Inject(VWO_STORAGE) storage: VWOStorage | null,
  ) {
    if (!options.offline && options.webhook && isSettingsChannel(storage)) this.channel = storage;
    this.publishWarning = new RateLimitedWarning(logger);
  }

  get enabled(): boolean {
    return this.channel !== undefined;
  }

  async onModuleInit(): Promise<void> {
    if (!this.channel) return;
    try {
      this.subscription = await this.channel.subscribeSettingsChanges(String(this.options.accountId), this.options.sdkKey!, {
        onChange: (change) => this.onChange(change),
        onResubscribed: () => {
          this.missed = true;
          this.catchUp.trigger();
        },
      });
    } catch (err) {
      this.logger.warn(`Settings fan-out unavailable (${describe(err)}): this replica refreshes only on its own webhook calls and polls`);
    }
  }

  async onModuleDestroy(): Promise<void> {
    this.catchUp.stop();
    await this.subscription?.close().catch(() => undefined);
  }

  /** Tells the other replicas that this one fetched new settings at `timestamp`. Never rejects. */
  async announce(timestamp: number): Promise<void> {
    if (!this.channel) return;
    try {
      await this.channel.publishSettingsChange(String(this.options.accountId), this.options.sdkKey!, { origin: this.origin, timestamp });
    } catch (err) {
      this.publishWarning.warn(`Settings refresh not announced to the other replicas (${describe(err)}); they get it on their next poll`);
    }
  }

  private onChange(change: VWOSettingsChange): void {
    if (change.origin === this.origin) return;
    this.announced = Math.max(this.announced, change.timestamp);
    this.catchUp.trigger();
  }

  private async refreshFromFleet(): Promise<void> {
    const missed = this.missed;
    const announced = this.announced;
    this.missed = false;
    if (!missed && this.cache.timestamp >= announced) return; // already as fresh as announced
    if (await this.cache.applyIfNewer(missed ? 0 : announced)) return;
    this.logger.debug('Settings announced by another replica are not in the shared cache: pulling them from VWO');
    await this.sync.refresh('v2-pull');
  }
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
