import type { Decision } from '../engine/types';

/** Why queued events were given up (the `vwo.drop.cause` attribute of `vwo.events.dropped`). */
export type EventDropCause = 'queue_full' | 'rejected' | 'shutdown';

/** What one settings fetch came to (the `vwo.outcome` attribute of `vwo.settings.fetches`). */
export type SettingsFetchOutcome = 'updated' | 'unchanged' | 'invalid' | 'failed';

/** One event request, its retries included, as the event pipeline reports it. */
export interface EventRequestReport {
  /** Events the request carried. */
  events: number;
  /** VWO accepted it (HTTP 200). */
  ok: boolean;
  /** Attempts made (1 without retries; 0 when it was never sent). */
  attempts: number;
  /** Milliseconds from the first attempt to the outcome, retry waits included. */
  durationMs: number;
}

/** Read at collection time by the observable gauges (never on a decision's path). */
export interface TelemetryGaugeSources {
  /** Events waiting in the queue. */
  eventQueueLength(): number;
  /** Milliseconds since a valid settings document was last received, undefined before the first one. */
  settingsAgeMs(): number | undefined;
}

/**
 * Where the module reports what it does, for OpenTelemetry: every decision, the event pipeline, settings
 * fetches and storage failures. Injected under this class as the token. Without an OpenTelemetry SDK
 * the module provides a recorder whose methods do nothing, so call sites call it unconditionally; only
 * a decision, which is per getFlag, is worth skipping first with `if (telemetry.active)`.
 */
export abstract class VWOTelemetry {
  /** True when an OpenTelemetry SDK was found at boot (the recorder does something). */
  abstract readonly active: boolean;
  /** One getFlag's outcome: a span event on the active span, and the decision counter. */
  abstract decision(decision: Decision): void;
  /** Events accepted into the pipeline (queued, or handed to an unbatched request). */
  abstract eventsQueued(count: number): void;
  /** One event request's outcome (sent, retried, latency). */
  abstract eventRequest(report: EventRequestReport): void;
  /** Events given up for good. */
  abstract eventsDropped(count: number, cause: EventDropCause): void;
  /** One settings fetch's outcome. */
  abstract settingsFetch(outcome: SettingsFetchOutcome): void;
  /** A storage read that did not answer within `storageTimeout`. */
  abstract storageTimeout(): void;
  /** A storage call that threw or rejected. */
  abstract storageError(operation: 'read' | 'write'): void;
  /** Registers the observable gauges (queue length, settings age); called once at boot. */
  abstract observe(sources: TelemetryGaugeSources): void;
  /** Stops reporting this instance's gauges (the module is shutting down). */
  abstract dispose(): void;
}
