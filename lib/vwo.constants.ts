/** Injection tokens, metadata keys and defaults: one place, so every layer names them the same way. */

/** The validated, defaulted module options (VWOModuleOptions). */
export const VWO_OPTIONS = Symbol('VWO_OPTIONS');
/** The sticky-decision storage (VWOStorage). */
export const VWO_STORAGE = Symbol('VWO_STORAGE');
/** The logger (VWOLogger). */
export const VWO_LOGGER = Symbol('VWO_LOGGER');

/** Name of the settings poll interval in @nestjs/schedule's SchedulerRegistry. */
export const VWO_SETTINGS_POLL_INTERVAL = 'nestjs-vwo:settings-poll';

/** Reflector metadata keys of the HTTP layer. */
export const FEATURE_FLAG_METADATA = 'nestjs-vwo:feature-flag';
export const SKIP_FEATURE_FLAG_METADATA = 'nestjs-vwo:skip-feature-flag';

export const DEFAULT_POLL_INTERVAL_MS = 600_000;
export const MIN_POLL_INTERVAL_MS = 1_000;
export const DEFAULT_SETTINGS_TIMEOUT_MS = 5_000;
export const DEFAULT_STORAGE_TIMEOUT_MS = 100;
export const DEFAULT_MEMORY_STORAGE_MAX_ENTRIES = 100_000;
