import type { Provider } from '@nestjs/common';
import type { VWOLogger } from '../logger/vwo-logger.interface';
import { isDefaultVWOInstance, VWO_INSTANCE_NAME } from '../instances/vwo-instance.tokens';
import { VWO_LOGGER, VWO_TELEMETRY_CONFIG } from '../vwo.internal-constants';
import { createVWOTelemetry } from './create-vwo-telemetry';
import type { VWOTelemetryOptions } from './telemetry-options.interface';
import { VWOTelemetry } from './vwo-telemetry';

/** The recorder (VWOTelemetry); VWOModule adds the gauges it observes (TelemetryGauges). */
export const telemetryProviders: Provider[] = [
  {
    provide: VWOTelemetry,
    inject: [VWO_TELEMETRY_CONFIG, VWO_LOGGER, { token: VWO_INSTANCE_NAME, optional: true }],
    useFactory: (config: VWOTelemetryOptions, logger: VWOLogger, instance?: string) =>
      createVWOTelemetry(config, logger, undefined, isDefaultVWOInstance(instance) ? undefined : instance),
  },
];
