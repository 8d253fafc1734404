import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { SettingsCacheService } from '../settings/settings-cache.service';
import { SettingsSyncService } from '../settings/settings-sync.service';
import { CoalescedTask } from './coalesced-task';
import { SettingsFanoutService } from './settings-fanout.service';

/**
 * A webhook pull starts at once, and then at most once per this many ms: VWO may call several times for
 * one change, and a burst must not become a burst of pulls. The last call of a burst is always followed
 * by a whole pull.
 */
export const WEBHOOK_PULL_MIN_GAP_MS = 1_000;

/** What a webhook call does: a coalesced pull from VWO's webhook endpoint, then an announcement to the fleet. */
@Injectable()
export class WebhookRefreshService implements OnModuleDestroy {
  private readonly pulls = new CoalescedTask(() => this.pull(), WEBHOOK_PULL_MIN_GAP_MS);

  constructor(
    private readonly sync: SettingsSyncService,
    private readonly cache: SettingsCacheService,
    private readonly fanout: SettingsFanoutService,
  ) {}

  /** Asks for a pull (returns at once). */
  trigger(): void {
    this.pulls.trigger();
  }

  onModuleDestroy(): void {
    this.pulls.stop();
  }

  private async pull(): Promise<void> {
    const result = await this.sync.refresh('v2-pull');
    if (result === 'failed' || result === 'invalid') return;
    // The others read the cache first: announce once the document is in it.
    await this.cache.written();
    await this.fanout.announce(this.cache.timestamp);
  }
}
