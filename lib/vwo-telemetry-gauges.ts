import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { VWOEventsService } from './events/vwo-events.service';
import { SettingsStore } from './settings/settings-store';
import { VWOTelemetry } from './telemetry/vwo-telemetry';

/**
 * Hands the recorder what its gauges read at collection time (the event queue, the settings' age), and
 * unregisters the gauges when the module shuts down. It sits at the module's level, beside VWOModule, because
 * it joins three layers: the telemetry layer itself knows neither events nor settings.
 */
@Injectable()
export class TelemetryGauges implements OnApplicationShutdown {
  constructor(
    private readonly telemetry: VWOTelemetry,
    store: SettingsStore,
    events: VWOEventsService,
  ) {
    if (!telemetry.active) return;
    telemetry.observe({
      eventQueueLength: () => events.stats.queued,
      settingsAgeMs: () => (store.lastUpdatedAt ? Date.now() - store.lastUpdatedAt.getTime() : undefined),
    });
  }

  /** After the event queue's last flush (beforeApplicationShutdown), so its final drops are counted. */
  onApplicationShutdown(): void {
    this.telemetry.dispose();
  }
}
