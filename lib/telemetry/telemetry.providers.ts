import type { Provider } from '@nestjs/common';
import type { VWOLogger } from '../logger/vwo-logger.interface';
import type { VWOResolvedOptions } from '../options/vwo-module-options.interface';
import { VWO_LOGGER, VWO_OPTIONS } from '../vwo.internal-constants';
import { createVWOTelemetry } from './create-vwo-telemetry';
import { TelemetryGauges } from './telemetry-gauges';
import { VWOTelemetry } from './vwo-telemetry';

/** The recorder (VWOTelemetry) and the gauges it observes. */
export const telemetryProviders: Provider[] = [
  {
    provide: VWOTelemetry,
    inject: [VWO_OPTIONS, VWO_LOGGER],
    useFactory: (options: VWOResolvedOptions, logger: VWOLogger) => createVWOTelemetry(options.telemetry, logger),
  },
  TelemetryGauges,
];
