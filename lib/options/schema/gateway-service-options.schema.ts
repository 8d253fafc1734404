import { IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Max, Min } from 'class-validator';
import type { VWOGatewayServiceOptions } from '../vwo-module-options.interface';

export class GatewayServiceOptionsSchema implements VWOGatewayServiceOptions {
  @IsNotEmpty({ message: 'must not be empty: the gateway URL, e.g. "https://gateway.example.com"' })
  @IsString({ message: 'is required: the gateway URL, e.g. "https://gateway.example.com"' })
  url!: string;

  @IsOptional()
  @Min(1, { message: 'must be a port number between 1 and 65535' })
  @Max(65535, { message: 'must be a port number between 1 and 65535' })
  @IsInt({ message: 'must be an integer port number' })
  port?: number;

  @IsOptional()
  @IsIn(['http', 'https'], { message: 'must be "http" or "https"' })
  protocol?: 'http' | 'https';
}
