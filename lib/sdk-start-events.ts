import type { SettingsSnapshot } from './engine/contract';
import type { DecisionEffects } from './decision-effects';
import type { VWOEventsService } from './events/vwo-events.service';
import type { SettingsStore } from './settings/settings-store';
import type { SettingsSyncService } from './settings/settings-sync.service';

/**
 * The SDK's own events of a start, in one place: `vwo_fmeSdkInit` once, on the first settings fetched (or read
 * from the settings cache), and `vwo_sdkUsageStats`, offered to the events layer on each new document (it sends
 * it once, if VWO asks for it). Nothing offline, and nothing for documents given to updateSettings.
 */
export class SdkStartEvents {
  private sdkInitSent = false;

  constructor(
    store: SettingsStore,
    private readonly sync: SettingsSyncService,
    private readonly events: VWOEventsService,
    private readonly effects: DecisionEffects,
    private readonly offline: boolean,
  ) {
    store.onUpdate((snapshot, source) => this.onSettingsUpdated(snapshot, source));
  }

  private onSettingsUpdated(snapshot: SettingsSnapshot, source: string): void {
    if (this.offline || source === 'update') return;
    if (!this.sdkInitSent && (source === 'fetch' || source === 'cache')) {
      this.sdkInitSent = true;
      this.effects.runSafely('sdk init event', () => this.events.sdkInit(snapshot, this.sync.fetchTiming));
    }
    this.effects.runSafely('usage stats event', () => this.events.usageStats(snapshot));
  }
}
