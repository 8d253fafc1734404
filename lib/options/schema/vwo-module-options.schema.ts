import type { ExecutionContext, Type } from '@nestjs/common';
import { IsBoolean, IsIn, IsInt, IsNotEmpty, IsOptional, IsString, IsUrl, Min, ValidateIf, ValidateNested } from 'class-validator';
import type { VWOUserContext } from '../../engine/types';
import type { VWOLogger } from '../../logger/vwo-logger.interface';
import type { VWOStorage } from '../../storage/vwo-storage.interface';
import { MIN_POLL_INTERVAL_MS } from '../../vwo.constants';
import type { VWOModuleOptions, VWOSettingsDocument } from '../vwo-module-options.interface';
import { BatchEventDataOptionsSchema } from './batch-event-data-options.schema';
import { IsAccountId, IsFunction, IsMisplaced, IsPlainObject, IsStorageOption, isLoggerLike } from './custom-validators';
import { FlagDisabledOptionsSchema } from './flag-disabled-options.schema';
import { GatewayServiceOptionsSchema } from './gateway-service-options.schema';
import { IntegrationsOptionsSchema } from './integrations-options.schema';
import { LoggerOptionsSchema } from './logger-options.schema';
import { RetryConfigSchema } from './retry-config.schema';
import { HttpsAgentConfigSchema } from './https-agent-config.schema';
import { SdkMetaOptionsSchema } from './sdk-meta-options.schema';
import { TelemetryOptionsSchema } from './telemetry-options.schema';
import { WebhookOptionsSchema } from './webhook-options.schema';

const MS = (what: string, example: number, min = 0): string => `must be an integer number of milliseconds >= ${min} (${what}), e.g. ${example}`;

/** class-validator rules of VWOModuleOptions; nested objects are instances of the schemas they name. */
export class VWOModuleOptionsSchema implements VWOModuleOptions {
  @ValidateIf((o: VWOModuleOptionsSchema) => o.sdkKey !== undefined || o.settings === undefined)
  @IsNotEmpty({ message: 'must not be empty: the SDK key of your VWO project environment' })
  @IsString({ message: 'is required: a string, the SDK key of your VWO project environment (or pass `settings` to run offline)' })
  sdkKey?: string;

  @ValidateIf((o: VWOModuleOptionsSchema) => o.accountId !== undefined || o.settings === undefined)
  @IsAccountId('is required: your VWO account id, a positive integer or a numeric string, e.g. 123456')
  accountId?: string | number;

  @IsOptional()
  @Min(MIN_POLL_INTERVAL_MS, { message: MS('between settings fetches', 60000, MIN_POLL_INTERVAL_MS) })
  @IsInt({ message: MS('between settings fetches', 60000, MIN_POLL_INTERVAL_MS) })
  pollInterval?: number;

  @IsOptional()
  @ValidateIf((o: VWOModuleOptionsSchema) => !isLoggerLike(o.logger))
  @ValidateNested()
  logger?: LoggerOptionsSchema | VWOLogger;

  @IsOptional()
  @IsStorageOption("must be a storage instance (get and set methods), a storage class for Nest to construct, 'memory', or false")
  storage?: VWOStorage | Type<VWOStorage> | 'memory' | false;

  @IsOptional()
  @Min(1, { message: MS('one storage read may take', 100, 1) })
  @IsInt({ message: MS('one storage read may take', 100, 1) })
  storageTimeout?: number;

  @IsOptional()
  @ValidateNested()
  gatewayService?: GatewayServiceOptionsSchema;

  @IsOptional()
  @IsBoolean({ message: 'must be true or false (aliasing also needs gatewayService)' })
  isAliasingEnabled?: boolean;

  @IsOptional()
  @IsBoolean({ message: 'must be true or false' })
  isUsageStatsDisabled?: boolean;

  @IsOptional()
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] }, { message: 'must be a URL with its scheme, e.g. "https://proxy.example.com"' })
  proxyUrl?: string;

  @IsOptional()
  @ValidateNested()
  integrations?: IntegrationsOptionsSchema;

  @IsOptional()
  @IsPlainObject('must be a settings document (a plain object, as VWO serves it)')
  settings?: VWOSettingsDocument;

  @IsOptional()
  @ValidateNested()
  batchEventData?: BatchEventDataOptionsSchema;

  @IsOptional()
  @ValidateNested()
  sdkMeta?: SdkMetaOptionsSchema;

  @IsOptional()
  @IsBoolean({ message: 'must be true or false' })
  isDevelopmentMode?: boolean;

  @IsOptional()
  @IsBoolean({ message: 'must be true or false' })
  isBatchingDisabled?: boolean;

  @IsOptional()
  @ValidateNested()
  retryConfig?: RetryConfigSchema;

  @IsOptional()
  @IsBoolean({ message: 'must be true or false' })
  shouldWaitForTrackingCalls?: boolean;

  @IsOptional()
  @ValidateNested()
  httpsAgentConfig?: HttpsAgentConfigSchema;

  @IsOptional()
  @Min(1, { message: 'must be an integer >= 1 (events kept in the queue), e.g. 10000' })
  @IsInt({ message: 'must be an integer >= 1 (events kept in the queue), e.g. 10000' })
  maxQueueSize?: number;

  @IsOptional()
  @IsIn(['httpService', 'workerThread'], { message: "must be 'httpService' (the default) or 'workerThread'" })
  eventTransport?: 'httpService' | 'workerThread';

  @IsOptional()
  @Min(0, { message: MS('shutdown may spend flushing events', 5000) })
  @IsInt({ message: MS('shutdown may spend flushing events', 5000) })
  shutdownTimeout?: number;

  @IsOptional()
  @Min(1, { message: MS('one settings request may take', 5000, 1) })
  @IsInt({ message: MS('one settings request may take', 5000, 1) })
  settingsTimeout?: number;

  @IsOptional()
  @Min(0, { message: MS('boot waits for the first settings; 0 does not wait', 5000) })
  @IsInt({ message: MS('boot waits for the first settings; 0 does not wait', 5000) })
  waitForSettings?: number;

  @IsOptional()
  @Min(1024, { message: 'must be a whole number of bytes ≥ 1024: the largest settings document accepted (default 67108864, 64 MB)' })
  @IsInt({ message: 'must be a whole number of bytes ≥ 1024: the largest settings document accepted (default 67108864, 64 MB)' })
  maxSettingsBytes?: number;

  @IsOptional()
  @IsFunction('must be a function (executionContext) => VWOUserContext | undefined (or a Promise of it)')
  userContext?: (ctx: ExecutionContext) => VWOUserContext | undefined | Promise<VWOUserContext | undefined>;

  @IsOptional()
  @IsNotEmpty({ message: 'must be a header name, e.g. "x-vwo-user-id"' })
  @IsString({ message: 'must be a header name, e.g. "x-vwo-user-id"' })
  userIdHeader?: string;

  @IsOptional()
  @ValidateIf((o: VWOModuleOptionsSchema) => o.rpcUserIdField !== false)
  @IsNotEmpty({ message: 'must be a payload field (a dot path such as "user.id") or false, e.g. "userId"' })
  @IsString({ message: 'must be a payload field (a dot path such as "user.id") or false, e.g. "userId"' })
  rpcUserIdField?: string | false;

  @IsOptional()
  @IsNotEmpty({ message: 'must be a message field (a dot path such as "user.id"), e.g. "userId"' })
  @IsString({ message: 'must be a message field (a dot path such as "user.id"), e.g. "userId"' })
  wsUserIdField?: string;

  @IsOptional()
  @ValidateNested()
  flagDisabled?: FlagDisabledOptionsSchema;

  @IsOptional()
  @IsBoolean({ message: 'must be true or false' })
  propagateContext?: boolean;

  @IsOptional()
  @ValidateNested()
  telemetry?: TelemetryOptionsSchema;

  @IsOptional()
  @ValidateNested()
  webhook?: WebhookOptionsSchema;

  /**
   * The module's `isGlobal` extra never reaches the options (forRoot strips it): here it came from a
   * forRootAsync factory, which runs after Nest has made the module global or not, so it could not apply.
   */
  @IsOptional()
  @IsMisplaced('cannot be returned by the forRootAsync factory (Nest has already made the module global or not when it runs); pass it to forRootAsync itself: VWOModule.forRootAsync({ isGlobal: false, useFactory, inject })')
  isGlobal?: never;
}

/** Nested option objects and the schema class each is checked against. */
export const NESTED_OPTION_SCHEMAS: Readonly<Record<string, new () => object>> = {
  logger: LoggerOptionsSchema,
  gatewayService: GatewayServiceOptionsSchema,
  integrations: IntegrationsOptionsSchema,
  batchEventData: BatchEventDataOptionsSchema,
  retryConfig: RetryConfigSchema,
  httpsAgentConfig: HttpsAgentConfigSchema,
  sdkMeta: SdkMetaOptionsSchema,
  flagDisabled: FlagDisabledOptionsSchema,
  telemetry: TelemetryOptionsSchema,
  webhook: WebhookOptionsSchema,
};
