import type { Decision, DecisionReason } from '../engine/types';
import { SDK_INFO } from '../sdk-info';
import { type CumulativeTally, tallyOf, withInstance } from './cumulative-tally';
import { ObservedMetrics } from './observed-metrics';
import { evaluationAttributes, FEATURE_FLAG_EVALUATION_EVENT, resultReasonOf } from './feature-flag-evaluation';
import type { OpenTelemetryFound } from './load-open-telemetry';
import type { OtelHistogram, OtelMeter, OtelTraceApi } from './open-telemetry-api.types';
import { VWO_METRICS } from './vwo-metric-names';
import { EventDropCause, EventRequestReport, SettingsFetchOutcome, TelemetryGaugeSources, VWOTelemetry } from './vwo-telemetry';

export interface OpenTelemetryRecorderOptions {
  /** Adds `feature_flag.context.id` (the user id) to evaluation events. */
  contextId: boolean;
  /** The name of a named VWOModule instance: its metrics carry it as `vwo.instance`. */
  instance?: string;
}

/** Seconds: OpenTelemetry's unit for durations; buckets from 5 ms to a minute of retries. */
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
const SUCCESS = Object.freeze({ 'vwo.outcome': 'success' });
const FAILURE = Object.freeze({ 'vwo.outcome': 'failure' });

/**
 * The recorder when an OpenTelemetry SDK is registered: `feature_flag.evaluation` events on the active
 * span (when tracing) and the `vwo.*` metrics (when metering; the API's meter is a no-op otherwise).
 */
export class OpenTelemetryRecorder extends VWOTelemetry {
  readonly active = true;
  private readonly trace?: OtelTraceApi;
  private readonly meter: OtelMeter;
  private readonly observed = new ObservedMetrics();
  private readonly decisions: CumulativeTally<DecisionReason>;
  private readonly queued: CumulativeTally;
  private readonly sent: CumulativeTally;
  private readonly retried: CumulativeTally;
  private readonly dropped: CumulativeTally<EventDropCause>;
  private readonly requestDuration: OtelHistogram;
  private readonly fetches: CumulativeTally<SettingsFetchOutcome>;
  private readonly storageTimeouts: CumulativeTally;
  private readonly storageErrors: CumulativeTally<'read' | 'write'>;
  private readonly instance?: string;
  private readonly success: Readonly<Record<string, string>>;
  private readonly failure: Readonly<Record<string, string>>;

  constructor(
    found: OpenTelemetryFound,
    private readonly options: OpenTelemetryRecorderOptions,
  ) {
    super();
    this.instance = options.instance;
    this.success = Object.freeze(withInstance(SUCCESS, this.instance) as Record<string, string>);
    this.failure = Object.freeze(withInstance(FAILURE, this.instance) as Record<string, string>);
    if (found.tracing) this.trace = found.api.trace;
    const meter = (this.meter = found.api.metrics.getMeter(SDK_INFO.name, SDK_INFO.version));
    this.decisions = tallyOf(meter, VWO_METRICS.decisions, 'Flag decisions (getFlag), by reason', '{decision}', (reason) => ({
      'vwo.reason': reason,
      'feature_flag.result.reason': resultReasonOf(reason as DecisionReason),
    }));
    this.queued = tallyOf(meter, VWO_METRICS.eventsQueued, 'Events accepted for sending to VWO', '{event}');
    this.sent = tallyOf(meter, VWO_METRICS.eventsSent, 'Events VWO accepted', '{event}');
    this.retried = tallyOf(meter, VWO_METRICS.eventsRetried, 'Event re-sends after a failed attempt', '{event}');
    this.dropped = tallyOf(meter, VWO_METRICS.eventsDropped, 'Events given up, by cause', '{event}', (cause) => ({ 'vwo.drop.cause': cause }));
    this.requestDuration = meter.createHistogram(VWO_METRICS.eventRequestDuration, {
      description: 'Duration of event requests to VWO, retries included',
      unit: 's',
      advice: { explicitBucketBoundaries: DURATION_BUCKETS },
    });
    this.fetches = tallyOf(meter, VWO_METRICS.settingsFetches, 'Settings fetches, by outcome', '{fetch}', (outcome) => ({ 'vwo.outcome': outcome }));
    this.storageTimeouts = tallyOf(meter, VWO_METRICS.storageTimeouts, 'Storage reads that ran past storageTimeout', '{read}');
    this.storageErrors = tallyOf(meter, VWO_METRICS.storageErrors, 'Storage calls that threw or rejected, by operation', '{call}', (operation) => ({
      'vwo.operation': operation,
    }));
  }

  decision(decision: Decision): void {
    const span = this.trace?.getActiveSpan();
    if (span?.isRecording()) span.addEvent(FEATURE_FLAG_EVALUATION_EVENT, evaluationAttributes(decision, this.options.contextId));
    this.decisions.add(1, decision.reason, this.instance);
  }

  eventsQueued(count: number): void {
    this.queued.add(count, '', this.instance);
  }

  eventRequest(report: EventRequestReport): void {
    if (report.ok) this.sent.add(report.events, '', this.instance);
    if (report.attempts > 1) this.retried.add(report.events * (report.attempts - 1), '', this.instance);
    this.requestDuration.record(report.durationMs / 1000, report.ok ? this.success : this.failure);
  }

  eventsDropped(count: number, cause: EventDropCause): void {
    this.dropped.add(count, cause, this.instance);
  }

  settingsFetch(outcome: SettingsFetchOutcome): void {
    this.fetches.add(1, outcome, this.instance);
  }

  storageTimeout(): void {
    this.storageTimeouts.add(1, '', this.instance);
  }

  storageError(operation: 'read' | 'write'): void {
    this.storageErrors.add(1, operation, this.instance);
  }

  observe(sources: TelemetryGaugeSources): void {
    const gauge = (name: string, description: string, unit: string) => this.meter.createObservableGauge(name, { description, unit });
    // No attributes at all for the default instance: its gauges read as before named instances existed.
    const attributes = this.instance === undefined ? undefined : withInstance({}, this.instance);
    this.observed.add(gauge(VWO_METRICS.eventQueueLength, 'Events waiting in the queue', '{event}'), (result) => result.observe(sources.eventQueueLength(), attributes));
    this.observed.add(gauge(VWO_METRICS.settingsAge, 'Seconds since valid settings were last received', 's'), (result) => {
      const ageMs = sources.settingsAgeMs();
      if (ageMs !== undefined) result.observe(ageMs / 1000, attributes);
    });
  }

  /** The gauges describe this instance only; the counters stay (see tallyOf). */
  dispose(): void {
    this.observed.removeAll();
  }
}
