import type { OpenTelemetryApiModule } from './open-telemetry-api.types';

/** What boot found: the API, and which of its signals an SDK receives. */
export interface OpenTelemetryFound {
  api: OpenTelemetryApiModule;
  /** A tracer provider is registered: span events reach an exporter. */
  tracing: boolean;
  /** A meter provider is registered: metrics reach an exporter. */
  metering: boolean;
}

/** Loads the optional peer; throws when it is not installed. */
export type ApiLoader = () => OpenTelemetryApiModule;

// eslint-disable-next-line @typescript-eslint/no-require-imports
const requireApi: ApiLoader = () => require('@opentelemetry/api') as OpenTelemetryApiModule;

/**
 * Looks for `@opentelemetry/api` and a registered SDK, once, at boot: undefined when the package is not
 * installed or no SDK listens (then nothing is recorded and nothing is loaded per call). An SDK registered
 * after the module was created is not seen: start it first, as OpenTelemetry's setup guides say.
 */
export function findOpenTelemetry(load: ApiLoader = requireApi): OpenTelemetryFound | undefined {
  let api: OpenTelemetryApiModule;
  try {
    api = load();
  } catch {
    return undefined;
  }
  const tracing = hasTracerProvider(api);
  const metering = api.metrics.getMeter('nestjs-vwo') !== api.createNoopMeter();
  return tracing || metering ? { api, tracing, metering } : undefined;
}

/** The global provider is a proxy that hands out no tracer of its own until an SDK sets its delegate. */
function hasTracerProvider(api: OpenTelemetryApiModule): boolean {
  const provider = api.trace.getTracerProvider();
  if (typeof provider.getDelegateTracer !== 'function') return true;
  return provider.getDelegateTracer('nestjs-vwo') !== undefined;
}
