import type { VWOLogger } from '../logger/vwo-logger.interface';
import { NOOP_TELEMETRY } from './noop-telemetry';
import { ApiLoader, findOpenTelemetry } from './load-open-telemetry';
import { OpenTelemetryRecorder } from './open-telemetry.recorder';
import type { VWOTelemetryOptions } from './telemetry-options.interface';
import type { VWOTelemetry } from './vwo-telemetry';

/** The recorder for this process, decided once: OpenTelemetry's when an SDK listens, else the no-op one. */
/** `instance`: the name of a named VWOModule instance, carried by its metrics. */
export function createVWOTelemetry(options: VWOTelemetryOptions | undefined, logger: VWOLogger, load?: ApiLoader, instance?: string): VWOTelemetry {
  if (options?.enabled === false) return NOOP_TELEMETRY;
  const found = findOpenTelemetry(load);
  if (!found) return NOOP_TELEMETRY;
  const signals = [found.tracing && 'feature_flag.evaluation span events', found.metering && 'vwo.* metrics'].filter(Boolean).join(' and ');
  logger.debug(`OpenTelemetry SDK found: recording ${signals}`);
  return new OpenTelemetryRecorder(found, { contextId: options?.contextId === true, instance });
}
