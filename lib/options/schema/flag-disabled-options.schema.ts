import { IsInt, IsOptional, Max, Min } from 'class-validator';
import type { VWOFlagDisabledOptions } from '../vwo-module-options.interface';
import { IsFunction } from './custom-validators';

export class FlagDisabledOptionsSchema implements VWOFlagDisabledOptions {
  @IsOptional()
  @Min(400, { message: 'must be an HTTP status code between 400 and 599, e.g. 404' })
  @Max(599, { message: 'must be an HTTP status code between 400 and 599, e.g. 404' })
  @IsInt({ message: 'must be an HTTP status code between 400 and 599, e.g. 404' })
  status?: number;

  @IsOptional()
  @IsFunction('must be a function (featureKey) => Error')
  exception?: (featureKey: string) => Error;
}
