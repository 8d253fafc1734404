import type { Attributes, Counter, Histogram, Meter, TraceAPI } from '@opentelemetry/api';
import type { Decision, DecisionReason } from '../engine/types';
import { SDK_INFO } from '../events/sdk-info';
import { evaluationAttributes, FEATURE_FLAG_EVALUATION_EVENT, resultReasonOf } from './feature-flag-evaluation';
import type { OpenTelemetryFound } from './load-open-telemetry';
import { VWO_METRICS } from './vwo-metric-names';
import { EventDropCause, EventRequestReport, SettingsFetchOutcome, TelemetryGaugeSources, VWOTelemetry } from './vwo-telemetry';

export interface OpenTelemetryRecorderOptions {
  /** Adds `feature_flag.context.id` (the user id) to evaluation events. */
  contextId: boolean;
}

/** Seconds: OpenTelemetry's unit for durations; buckets from 5 ms to a minute of retries. */
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/**
 * The recorder when an OpenTelemetry SDK is registered: `feature_flag.evaluation` events on the active
 * span (when tracing) and the `vwo.*` metrics (when metering; the API's meter is a no-op otherwise).
 */
export class OpenTelemetryRecorder extends VWOTelemetry {
  readonly active = true;
  private readonly trace?: TraceAPI;
  private readonly meter: Meter;
  private readonly decisions: Counter;
  private readonly queued: Counter;
  private readonly sent: Counter;
  private readonly retried: Counter;
  private readonly dropped: Counter;
  private readonly requestDuration: Histogram;
  private readonly fetches: Counter;
  private readonly storageTimeouts: Counter;
  private readonly storageErrors: Counter;
  /** One frozen attribute set per reason: counting a decision allocates nothing. */
  private readonly reasonAttributes = new Map<DecisionReason, Attributes>();

  constructor(
    found: OpenTelemetryFound,
    private readonly options: OpenTelemetryRecorderOptions,
  ) {
    super();
    if (found.tracing) this.trace = found.api.trace;
    const meter = (this.meter = found.api.metrics.getMeter(SDK_INFO.name, SDK_INFO.version));
    const counter = (name: string, description: string, unit: string) => meter.createCounter(name, { description, unit });
    this.decisions = counter(VWO_METRICS.decisions, 'Flag decisions (getFlag), by reason', '{decision}');
    this.queued = counter(VWO_METRICS.eventsQueued, 'Events accepted for sending to VWO', '{event}');
    this.sent = counter(VWO_METRICS.eventsSent, 'Events VWO accepted', '{event}');
    this.retried = counter(VWO_METRICS.eventsRetried, 'Event re-sends after a failed attempt', '{event}');
    this.dropped = counter(VWO_METRICS.eventsDropped, 'Events given up, by cause', '{event}');
    this.requestDuration = meter.createHistogram(VWO_METRICS.eventRequestDuration, {
      description: 'Duration of event requests to VWO, retries included',
      unit: 's',
      advice: { explicitBucketBoundaries: DURATION_BUCKETS },
    });
    this.fetches = counter(VWO_METRICS.settingsFetches, 'Settings fetches, by outcome', '{fetch}');
    this.storageTimeouts = counter(VWO_METRICS.storageTimeouts, 'Storage reads that ran past storageTimeout', '{read}');
    this.storageErrors = counter(VWO_METRICS.storageErrors, 'Storage calls that threw or rejected, by operation', '{call}');
  }

  decision(decision: Decision): void {
    const span = this.trace?.getActiveSpan();
    if (span?.isRecording()) span.addEvent(FEATURE_FLAG_EVALUATION_EVENT, evaluationAttributes(decision, this.options.contextId));
    this.decisions.add(1, this.attributesOf(decision.reason));
  }

  eventsQueued(count: number): void {
    this.queued.add(count);
  }

  eventRequest(report: EventRequestReport): void {
    if (report.ok) this.sent.add(report.events);
    if (report.attempts > 1) this.retried.add(report.events * (report.attempts - 1));
    this.requestDuration.record(report.durationMs / 1000, { 'vwo.outcome': report.ok ? 'success' : 'failure' });
  }

  eventsDropped(count: number, cause: EventDropCause): void {
    this.dropped.add(count, { 'vwo.drop.cause': cause });
  }

  settingsFetch(outcome: SettingsFetchOutcome): void {
    this.fetches.add(1, { 'vwo.outcome': outcome });
  }

  storageTimeout(): void {
    this.storageTimeouts.add(1);
  }

  storageError(operation: 'read' | 'write'): void {
    this.storageErrors.add(1, { 'vwo.operation': operation });
  }

  observe(sources: TelemetryGaugeSources): void {
    this.meter
      .createObservableGauge(VWO_METRICS.eventQueueLength, { description: 'Events waiting in the queue', unit: '{event}' })
      .addCallback((result) => result.observe(sources.eventQueueLength()));
    this.meter
      .createObservableGauge(VWO_METRICS.settingsAge, { description: 'Seconds since valid settings were last received', unit: 's' })
      .addCallback((result) => {
        const ageMs = sources.settingsAgeMs();
        if (ageMs !== undefined) result.observe(ageMs / 1000);
      });
  }

  private attributesOf(reason: DecisionReason): Attributes {
    let attributes = this.reasonAttributes.get(reason);
    if (!attributes) {
      attributes = Object.freeze({ 'vwo.reason': reason, 'feature_flag.result.reason': resultReasonOf(reason) });
      this.reasonAttributes.set(reason, attributes);
    }
    return attributes;
  }
}
