/** The public token and the defaults: one place, so every layer names them the same way. */

/**
 * The sticky-decision storage (VWOStorage) the module uses, for apps that read a user's stored decision
 * themselves. Internal tokens live in vwo.internal-constants.ts.
 */
export const VWO_STORAGE = Symbol('VWO_STORAGE');

export const DEFAULT_POLL_INTERVAL_MS = 600_000;
export const MIN_POLL_INTERVAL_MS = 1_000;
export const DEFAULT_SETTINGS_TIMEOUT_MS = 5_000;
export const DEFAULT_STORAGE_TIMEOUT_MS = 100;
export const DEFAULT_MEMORY_STORAGE_MAX_ENTRIES = 100_000;

/** Boot waits at most this long for the first settings (then starts with the `settings` fallback or not ready). */
export const DEFAULT_WAIT_FOR_SETTINGS_MS = 5_000;
/** Largest settings document accepted by default: room for the biggest real accounts, a bound on memory all the same. */
export const DEFAULT_MAX_SETTINGS_BYTES = 64 * 1024 * 1024;
/** How long shutdown may spend flushing queued events. */
export const DEFAULT_SHUTDOWN_TIMEOUT_MS = 5_000;
/** Per-attempt timeout of the gateway user-details lookup made inside getFlag. */
export const DEFAULT_GATEWAY_TIMEOUT_MS = 2_000;
/** Header the default user-context factory reads the user id from. */
export const DEFAULT_USER_ID_HEADER = 'x-vwo-user-id';
/** Prefix of every line the default logger writes. */
export const DEFAULT_LOG_PREFIX = 'VWO-SDK';
/** VWO's own settings and events host. */
export const DEFAULT_VWO_HOST = 'https://dev.visualwebsiteoptimizer.com';
/** Identifies this library in VWO's `sn` / `vwo_sdkName` fields. */
export const SDK_NAME = 'nestjs-vwo';
