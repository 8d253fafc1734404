/**
 * The few shapes of `@opentelemetry/api` this module uses, declared here so that compiling the library
 * never needs the package's types (it is an optional peer) and its declarations never name it.
 */
export type OtelAttributes = Readonly<Record<string, string | number | boolean>>;

export interface OtelSpan {
  isRecording(): boolean;
  addEvent(name: string, attributes?: OtelAttributes): unknown;
}

/** The global tracer provider: a proxy that has a delegate tracer once an SDK is registered. */
export interface OtelTracerProvider {
  getDelegateTracer?(name: string): unknown;
}

export interface OtelTraceApi {
  getActiveSpan(): OtelSpan | undefined;
  getTracerProvider(): OtelTracerProvider;
}

export interface OtelInstrumentOptions {
  description?: string;
  unit?: string;
  advice?: { explicitBucketBoundaries?: number[] };
}

export interface OtelObservableResult {
  observe(value: number, attributes?: OtelAttributes): void;
}

export type OtelObservableCallback = (result: OtelObservableResult) => void;

export interface OtelObservable {
  addCallback(callback: OtelObservableCallback): void;
  removeCallback(callback: OtelObservableCallback): void;
}

export interface OtelHistogram {
  record(value: number, attributes?: OtelAttributes): void;
}

export interface OtelMeter {
  createHistogram(name: string, options?: OtelInstrumentOptions): OtelHistogram;
  createObservableCounter(name: string, options?: OtelInstrumentOptions): OtelObservable;
  createObservableGauge(name: string, options?: OtelInstrumentOptions): OtelObservable;
}

export interface OpenTelemetryApiModule {
  trace: OtelTraceApi;
  metrics: { getMeter(name: string, version?: string): OtelMeter };
  createNoopMeter(): OtelMeter;
}
