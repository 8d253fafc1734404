/**
 * nestjs-vwo: VWO Feature Management & Experimentation as a native NestJS module.
 * The public API, and nothing else: test/package/public-api.spec.ts pins this list, so a name added or removed
 * here is a decision, not an accident. Internals (tokens, pipes, stores, the events service) are imported by path.
 */
import type { Flag as FlagResult } from './engine/flag';
import { Flag as FlagParamDecorator } from './http/flag.decorator';

// The module and the service.
export { VWOModule } from './vwo.module';
export type { VWOModuleAsyncOptions } from './vwo.module-definition';
export type { VWOModuleOptions } from './options/vwo-module-options.interface';
export { VWOOptionsError } from './vwo-options.error';
export { VWOService } from './vwo.service';
export type { FlushResult } from './events/vwo-events.service';
export { VWORequestError } from './events/vwo-request.error';
export { SettingsValidationError } from './engine/errors';
export { getUUID } from './engine/uuid';
export type { VWOUserContext, DecisionReason, IntegrationPayload, StoredRecord } from './engine/types';

// Flags in handlers: the guard, its decorators, the per-request user.
export { FeatureFlag, createFeatureFlagDecorator } from './http/feature-flag.decorator';
export { SkipFeatureFlag } from './http/skip-feature-flag.decorator';
export type { FeatureFlagOptions } from './http/feature-flag-options.interface';
export { FeatureFlagGuard } from './http/feature-flag.guard';
export { FlagVariable } from './http/flag.decorator';
export { FEATURE_DISABLED_CODE } from './http/feature-disabled.payload';
export { VWOContextInterceptor } from './http/vwo-context.interceptor';
export { runWithUserContext } from './context/request-context';

// Several instances: names and their tokens.
export { InjectVWO } from './instances/inject-vwo.decorator';
export { getVWOServiceToken } from './instances/vwo-service-token';
export { getVWOInstanceToken } from './instances/vwo-instance.tokens';

// Storage and logging: what a user plugs in.
export { VWO_STORAGE } from './vwo.constants';
export type { VWOStorage, VWOCachedSettings } from './storage/vwo-storage.interface';
export type { VWOSettingsChannel } from './storage/vwo-settings-channel.interface';
export { VWOMemoryStorage, type VWOMemoryStorageOptions } from './storage/memory-storage';
export { VWORedisStorage } from './storage/redis/redis-storage';
export type { VWORedisStorageOptions } from './storage/redis/redis-storage.options';
export type { VWOLogger, VWOLogLevel } from './logger/vwo-logger.interface';

// Operations: health, metric names, typed flags.
export { VWOHealthIndicator } from './health/vwo.health-indicator';
export type { VWOHealthCheckOptions, VWOHealthIndicatorResult } from './health/vwo-health.types';
export { VWO_METRICS } from './telemetry/vwo-metric-names';
export { InjectTypedVWO, typedVWO, type TypedFlag, type TypedVWOService, type VWOFlagRegistry } from './typed-flags/vwo-flag-registry';

/**
 * `Flag` is both the result of `VWOService.getFlag()` (a type: `isEnabled()`, `getVariable()`, …) and the
 * parameter decorator `@Flag('feature-key')` that injects it into a route handler.
 */
export const Flag = FlagParamDecorator;
export type Flag = FlagResult;
