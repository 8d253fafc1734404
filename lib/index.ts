/**
 * nestjs-vwo: VWO Feature Management & Experimentation as a native NestJS module.
 * The public API, and nothing else.
 */
import type { Flag as FlagResult } from './engine';
import { Flag as FlagParamDecorator } from './http';

export { VWOModule } from './vwo.module';
export type { VWOModuleExtras, VWOModuleForRootOptions, VWOModuleAsyncOptions } from './vwo.module-definition';
export { VWOService, type VWOAttributeValue } from './vwo.service';
export {
  VWO_OPTIONS,
  VWO_STORAGE,
  VWO_LOGGER,
  VWO_SETTINGS_POLL_INTERVAL,
  DEFAULT_POLL_INTERVAL_MS,
  DEFAULT_STORAGE_TIMEOUT_MS,
  DEFAULT_MEMORY_STORAGE_MAX_ENTRIES,
} from './vwo.constants';

export * from './options';

export type { VWOUserContext, StoredRecord, GatewayUserData, DecisionReason, Variable, IntegrationPayload } from './engine/types';
export type { SettingsSnapshot } from './engine/contract';
export { SettingsValidationError, getUUID } from './engine';

export type { VWOStorage, VWOCachedSettings } from './storage/vwo-storage.interface';
export type { VWOSettingsChannel, VWOSettingsChange, VWOSettingsChangeHandlers, VWOSettingsSubscription } from './storage/vwo-settings-channel.interface';
export { VWOMemoryStorage, type VWOMemoryStorageOptions } from './storage/memory-storage';
export * from './storage/redis';

export type { VWOLogger, VWOLogLevel } from './logger/vwo-logger.interface';
export { VWODefaultLogger } from './logger/vwo-default.logger';
export { maskSdkKey } from './logger/mask-sdk-key';

export { SettingsStore, type SettingsSource } from './settings/settings-store';
export { runWithUserContext, currentUserContext } from './context/request-context';

export * from './http';
export * from './events';
export * from './health';
export * from './telemetry';
export * from './typed-flags';

/**
 * `Flag` is both the result of `VWOService.getFlag()` (a type: `isEnabled()`, `getVariable()`, …) and the
 * parameter decorator `@Flag('feature-key')` that injects it into a route handler.
 */
export const Flag = FlagParamDecorator;
export type Flag = FlagResult;
