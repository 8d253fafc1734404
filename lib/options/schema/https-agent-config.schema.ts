import { IsBoolean, IsInt, IsOptional, Min } from 'class-validator';
import type { VWOHttpsAgentConfig } from '../vwo-module-options.interface';

// VWO's SDK quietly replaces a value under its minimum by the default; here it stops boot, saying both.
const SOCKETS = 'must be an integer >= 50 (sockets per host; VWO\'s minimum), e.g. 100';
const FREE = 'must be an integer >= 10 (idle sockets kept per host; VWO\'s minimum), e.g. 20';
const TIMEOUT = 'must be an integer >= 30000 (milliseconds a socket may stay idle; VWO\'s minimum), e.g. 60000';

export class HttpsAgentConfigSchema implements VWOHttpsAgentConfig {
  @IsOptional()
  @IsBoolean({ message: 'must be true or false' })
  keepAlive?: boolean;

  @IsOptional()
  @Min(50, { message: SOCKETS })
  @IsInt({ message: SOCKETS })
  maxSockets?: number;

  @IsOptional()
  @Min(10, { message: FREE })
  @IsInt({ message: FREE })
  maxFreeSockets?: number;

  @IsOptional()
  @Min(30_000, { message: TIMEOUT })
  @IsInt({ message: TIMEOUT })
  timeout?: number;
}
