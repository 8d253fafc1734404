import { context, metrics, trace, type Attributes } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  AggregationTemporality,
  DataPointType,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
  type MetricData,
} from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { EVENTUALLY_MS } from '../../module/helpers/wait-until';

/**
 * The OpenTelemetry SDK as an app registers it, with in-memory exporters: spans as they end, metrics on
 * demand (cumulative, so the last export holds the totals). Registered globally for one test file.
 */
export class OtelTestKit {
  readonly spanExporter = new InMemorySpanExporter();
  readonly metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  private readonly reader = new PeriodicExportingMetricReader({ exporter: this.metricExporter, exportIntervalMillis: 3_600_000 });
  private readonly tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(this.spanExporter)] });
  private readonly meterProvider = new MeterProvider({ readers: [this.reader] });
  private readonly contextManager = new AsyncLocalStorageContextManager();

  register(): this {
    context.setGlobalContextManager(this.contextManager.enable());
    trace.setGlobalTracerProvider(this.tracerProvider);
    metrics.setGlobalMeterProvider(this.meterProvider);
    return this;
  }

  async shutdown(): Promise<void> {
    await this.meterProvider.shutdown();
    await this.tracerProvider.shutdown();
    trace.disable();
    metrics.disable();
    context.disable();
  }

  finishedSpans(): ReadableSpan[] {
    return this.spanExporter.getFinishedSpans();
  }

  /** The metric as of now, or undefined when nothing was recorded under that name. */
  async metric(name: string): Promise<MetricData | undefined> {
    await this.reader.forceFlush();
    const latest = this.metricExporter.getMetrics().at(-1);
    this.metricExporter.reset();
    for (const scope of latest?.scopeMetrics ?? []) {
      const found = scope.metrics.find((m) => m.descriptor.name === name);
      if (found) return found;
    }
    return undefined;
  }

  /** A counter's total over the data points whose attributes include `attributes` (0 when none). */
  async sum(name: string, attributes: Attributes = {}): Promise<number> {
    const metric = await this.metric(name);
    if (!metric || metric.dataPointType !== DataPointType.SUM) return 0;
    return metric.dataPoints.filter((p) => matches(p.attributes, attributes)).reduce((n, p) => n + p.value, 0);
  }

  /** A gauge's value (the first data point), undefined when not observed. */
  async gauge(name: string): Promise<number | undefined> {
    const metric = await this.metric(name);
    if (!metric || metric.dataPointType !== DataPointType.GAUGE) return undefined;
    return metric.dataPoints[0]?.value;
  }

  /** A histogram's count of recordings over the matching data points. */
  async histogramCount(name: string, attributes: Attributes = {}): Promise<number> {
    const metric = await this.metric(name);
    if (!metric || metric.dataPointType !== DataPointType.HISTOGRAM) return 0;
    return metric.dataPoints.filter((p) => matches(p.attributes, attributes)).reduce((n, p) => n + p.value.count, 0);
  }
}

function matches(actual: Attributes, expected: Attributes): boolean {
  return Object.entries(expected).every(([k, v]) => actual[k] === v);
}

/** Polls `read` until `accept` holds for its value (or fails after timeoutMs, naming the last value). */
export async function eventually<T>(read: () => Promise<T> | T, accept: (value: T) => boolean, timeoutMs = EVENTUALLY_MS): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (accept(value)) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms; last value: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
