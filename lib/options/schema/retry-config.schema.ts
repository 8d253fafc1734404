import { IsBoolean, IsInt, IsNumber, IsOptional, Min } from 'class-validator';
import type { VWORetryConfig } from '../vwo-module-options.interface';

export class RetryConfigSchema implements VWORetryConfig {
  @IsOptional()
  @IsBoolean({ message: 'must be true or false' })
  shouldRetry?: boolean;

  @IsOptional()
  @Min(0, { message: 'must be an integer >= 0 (retries after the first attempt)' })
  @IsInt({ message: 'must be an integer >= 0 (retries after the first attempt)' })
  maxRetries?: number;

  @IsOptional()
  @Min(0.001, { message: 'must be a positive number of seconds, e.g. 2' })
  @IsNumber({ allowNaN: false, allowInfinity: false }, { message: 'must be a positive number of seconds, e.g. 2' })
  initialDelay?: number;

  @IsOptional()
  @Min(1, { message: 'must be a number >= 1, e.g. 2' })
  @IsNumber({ allowNaN: false, allowInfinity: false }, { message: 'must be a number >= 1, e.g. 2' })
  backoffMultiplier?: number;
}
