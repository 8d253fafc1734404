import { Injectable } from '@nestjs/common';
import { VWOEventsService } from '../events/vwo-events.service';
import { SettingsStore } from '../settings/settings-store';
import { VWOTelemetry } from './vwo-telemetry';

/** Hands the recorder what its gauges read at collection time: the event queue and the settings' age. */
@Injectable()
export class TelemetryGauges {
  constructor(telemetry: VWOTelemetry, store: SettingsStore, events: VWOEventsService) {
    if (!telemetry.active) return;
    telemetry.observe({
      eventQueueLength: () => events.stats.queued,
      settingsAgeMs: () => (store.lastUpdatedAt ? Date.now() - store.lastUpdatedAt.getTime() : undefined),
    });
  }
}
