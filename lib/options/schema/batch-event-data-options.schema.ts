import { IsInt, IsNumber, IsOptional, Max, Min } from 'class-validator';
import type { VWOBatchEventDataOptions } from '../vwo-module-options.interface';
import { IsFunction } from './custom-validators';

export class BatchEventDataOptionsSchema implements VWOBatchEventDataOptions {
  @IsOptional()
  @Min(1, { message: 'must be an integer between 1 and 5000 (events per batch request)' })
  @Max(5000, { message: 'must be an integer between 1 and 5000 (events per batch request)' })
  @IsInt({ message: 'must be an integer between 1 and 5000 (events per batch request)' })
  eventsPerRequest?: number;

  @IsOptional()
  @Min(0.001, { message: 'must be a positive number of seconds, e.g. 3' })
  @IsNumber({ allowNaN: false, allowInfinity: false }, { message: 'must be a positive number of seconds, e.g. 3' })
  requestTimeInterval?: number;

  @IsOptional()
  @IsFunction('must be a function (err, payload) => void')
  flushCallback?: (err: Error | null, payload: { ev: unknown[] }) => void;
}
