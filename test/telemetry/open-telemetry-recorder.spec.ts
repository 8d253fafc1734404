import { Flag } from '../../lib/engine';
import type { OpenTelemetryApiModule, OtelMeter, OtelObservableCallback, OtelObservableResult } from '../../lib/telemetry/open-telemetry-api.types';
import { OpenTelemetryRecorder } from '../../lib/telemetry/open-telemetry.recorder';
import { VWO_METRICS } from '../../lib/telemetry';

/** A meter that keeps every observable's callbacks by name, to collect by hand. */
class FakeMeter implements OtelMeter {
  readonly callbacks = new Map<string, Set<OtelObservableCallback>>();
  readonly recorded: Array<[string, number]> = [];
  createHistogram(name: string) {
    return { record: (value: number) => void this.recorded.push([name, value]) };
  }
  createObservableCounter(name: string) {
    return this.observable(name);
  }
  createObservableGauge(name: string) {
    return this.observable(name);
  }
  collect(name: string): Array<[number, unknown]> {
    const seen: Array<[number, unknown]> = [];
    const result: OtelObservableResult = { observe: (value, attributes) => void seen.push([value, attributes]) };
    for (const callback of this.callbacks.get(name) ?? []) callback(result);
    return seen;
  }
  private observable(name: string) {
    const set = this.callbacks.get(name) ?? new Set<OtelObservableCallback>();
    this.callbacks.set(name, set);
    return { addCallback: (cb: OtelObservableCallback) => void set.add(cb), removeCallback: (cb: OtelObservableCallback) => void set.delete(cb) };
  }
}

function recorderOn(meter: FakeMeter): OpenTelemetryRecorder {
  const api = { metrics: { getMeter: () => meter } } as unknown as OpenTelemetryApiModule;
  return new OpenTelemetryRecorder({ api, tracing: false, metering: true }, { contextId: false });
}

describe('OpenTelemetryRecorder', () => {
  it('instances on one meter share their counters; dispose removes only the instance’s gauges', () => {
    const meter = new FakeMeter();
    const first = recorderOn(meter);
    const second = recorderOn(meter);
    first.decision(Flag.disabled('a', 'NO_RULE_MATCHED').decision);
    second.decision(Flag.disabled('b', 'NO_RULE_MATCHED').decision);
    second.decision(Flag.disabled('c', 'ERROR').decision);
    expect(meter.collect(VWO_METRICS.decisions)).toEqual([
      [2, { 'vwo.reason': 'NO_RULE_MATCHED', 'feature_flag.result.reason': 'default' }],
      [1, { 'vwo.reason': 'ERROR', 'feature_flag.result.reason': 'error' }],
    ]);
    first.observe({ eventQueueLength: () => 3, settingsAgeMs: () => 1500 });
    expect(meter.collect(VWO_METRICS.eventQueueLength)).toEqual([[3, undefined]]);
    expect(meter.collect(VWO_METRICS.settingsAge)).toEqual([[1.5, undefined]]);
    first.dispose();
    expect(meter.collect(VWO_METRICS.eventQueueLength)).toEqual([]);
    expect(meter.collect(VWO_METRICS.settingsAge)).toEqual([]);
    expect(meter.collect(VWO_METRICS.decisions)).toHaveLength(2);
  });

  it('reports a request’s sends, retries and duration in seconds', () => {
    const meter = new FakeMeter();
    const recorder = recorderOn(meter);
    recorder.eventRequest({ events: 10, ok: true, attempts: 3, durationMs: 250 });
    recorder.eventRequest({ events: 4, ok: false, attempts: 1, durationMs: 40 });
    expect(meter.collect(VWO_METRICS.eventsSent)).toEqual([[10, {}]]);
    expect(meter.collect(VWO_METRICS.eventsRetried)).toEqual([[20, {}]]);
    expect(meter.recorded).toEqual([
      [VWO_METRICS.eventRequestDuration, 0.25],
      [VWO_METRICS.eventRequestDuration, 0.04],
    ]);
  });
});
