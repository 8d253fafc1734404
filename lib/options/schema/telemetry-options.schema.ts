import { IsBoolean, IsOptional } from 'class-validator';
import type { VWOTelemetryOptions } from '../../telemetry/telemetry-options.interface';

export class TelemetryOptionsSchema implements VWOTelemetryOptions {
  @IsOptional()
  @IsBoolean({ message: 'must be true or false' })
  enabled?: boolean;

  @IsOptional()
  @IsBoolean({ message: 'must be true or false (adds the user id to feature_flag.evaluation events)' })
  contextId?: boolean;
}
