import { IsIn, IsOptional, IsString } from 'class-validator';
import type { VWOLogger, VWOLogLevel } from '../../logger/vwo-logger.interface';
import { VWO_LOG_LEVELS } from '../../logger/log-level';
import type { VWOLoggerOptions } from '../vwo-module-options.interface';
import { IsLogger } from './custom-validators';

export class LoggerOptionsSchema implements VWOLoggerOptions {
  @IsOptional()
  @IsIn(VWO_LOG_LEVELS, { message: `must be one of ${VWO_LOG_LEVELS.join(', ')} (upper case)` })
  level?: VWOLogLevel;

  @IsOptional()
  @IsString({ message: 'must be a string, e.g. "VWO-SDK"' })
  prefix?: string;

  @IsOptional()
  @IsLogger('must be an object with debug, info, warn and error methods')
  transport?: VWOLogger;
}
