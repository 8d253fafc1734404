import type { SettingsSnapshot } from './engine/contract';
import type { Decision, IntegrationPayload, VWOUserContext } from './engine/types';
import { errorMessage } from './error-message';
import type { VWOEventsService } from './events/vwo-events.service';
import type { VWOLogger } from './logger/vwo-logger.interface';
import type { VWOIntegrationsOptions } from './options/vwo-module-options.interface';
import type { StoredReadResult, VWOStorageAccess } from './storage/storage-access';
import type { VWOTelemetry } from './telemetry/vwo-telemetry';

/** What the effects runner reads of the options. */
export interface DecisionEffectsConfig {
  /** Offline nothing is sent to VWO. */
  offline: boolean;
  integrations?: VWOIntegrationsOptions;
  /** Calls resolve only after VWO answered their events. */
  shouldWaitForTrackingCalls?: boolean;
}

/**
 * Applies what a decision asks for besides the flag itself: the storage write (never for a key whose read
 * failed), the impressions, the integrations callback and the telemetry record. Each effect runs safely: its
 * failure is logged and never reaches the caller of getFlag or trackEvent.
 */
export class DecisionEffects {
  constructor(
    private readonly storage: VWOStorageAccess,
    private readonly events: VWOEventsService,
    private readonly telemetry: VWOTelemetry,
    private readonly logger: VWOLogger,
    private readonly config: DecisionEffectsConfig,
  ) {}

  /** `time` is the decision's clock reading: the flag's session id and its events' come from it. */
  apply(snapshot: SettingsSnapshot, decision: Decision, user: VWOUserContext, stored: StoredReadResult, time: number): void {
    this.record(decision);
    if (decision.writes.length) this.storage.write(decision.writes, stored);
    if (!this.config.offline) this.runSafely('impressions', () => this.events.impressions(snapshot, decision, user, time));
    if (decision.integration) this.callIntegration(decision.integration);
  }

  /**
   * With `shouldWaitForTrackingCalls`: sends the queue now and waits for VWO's answer, so a serverless function
   * or script may end as soon as the call resolves (a failure is logged by the events layer, never thrown).
   */
  async waitForTracking(): Promise<void> {
    if (!this.config.shouldWaitForTrackingCalls || this.config.offline) return;
    try {
      await this.events.flush();
    } catch (err) {
      this.logger.error(`Sending the events failed: ${errorMessage(err)}`);
    }
  }

  /** The telemetry record alone: for flags disabled before any decision (bad input, settings not ready). */
  record(decision: Decision): void {
    if (this.telemetry.active) this.telemetry.decision(decision);
  }

  /** The integrations callback, if any; a throw or a rejection is logged. */
  callIntegration(payload: IntegrationPayload): void {
    const callback = this.config.integrations?.callback;
    if (!callback) return;
    this.runSafely('integrations callback', () => {
      const returned: unknown = callback(payload);
      if (returned instanceof Promise) returned.catch((err: unknown) => this.logger.error(`The integrations callback failed: ${errorMessage(err)}`));
    });
  }

  /** Runs a side effect; its failure is logged and never reaches the caller. */
  runSafely(what: string, effect: () => void): void {
    try {
      effect();
    } catch (err) {
      this.logger.error(`The ${what} failed: ${errorMessage(err)}`);
    }
  }
}
