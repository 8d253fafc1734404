/**
 * Internal tokens and metadata keys (not exported by lib/index.ts: an app reaches the module through VWOService
 * and the decorators, so these can change without breaking it).
 */

/** The validated, defaulted module options (VWOResolvedOptions). */
export const VWO_OPTIONS = Symbol('VWO_OPTIONS');
/** The logger (VWOLogger) built from the `logger` option. */
export const VWO_LOGGER = Symbol('VWO_LOGGER');

/**
 * Each layer's share of the options, resolved once at boot (lib/options/layer-configs.ts): a layer injects its
 * own config, never the whole options object, so what it depends on is visible in its type.
 */
export const VWO_STORAGE_CONFIG = Symbol('VWO_STORAGE_CONFIG');
export const VWO_TELEMETRY_CONFIG = Symbol('VWO_TELEMETRY_CONFIG');
export const VWO_HTTP_CONFIG = Symbol('VWO_HTTP_CONFIG');
export const VWO_SETTINGS_CONFIG = Symbol('VWO_SETTINGS_CONFIG');
export const VWO_WEBHOOK_CONFIG = Symbol('VWO_WEBHOOK_CONFIG');
export const VWO_HEALTH_CONFIG = Symbol('VWO_HEALTH_CONFIG');
export const VWO_EVENTS_CONFIG = Symbol('VWO_EVENTS_CONFIG');

/** Name of the settings poll interval in @nestjs/schedule's SchedulerRegistry. */
export const VWO_SETTINGS_POLL_INTERVAL = 'nestjs-vwo:settings-poll';

/** Reflector metadata keys of the HTTP layer. */
export const FEATURE_FLAG_METADATA = 'nestjs-vwo:feature-flag';
export const SKIP_FEATURE_FLAG_METADATA = 'nestjs-vwo:skip-feature-flag';

/*
 * The classes that need @nestjs/axios or @nestjs/schedule
 * inject them through these tokens with type-only imports, so the files that reach VWOService (the testing
 * entry among them) never load those packages; VWOModule binds the tokens.
 */

/** @nestjs/axios's HttpService of the app (VWOModule imports HttpModule). */
export const VWO_HTTP_SERVICE = Symbol('VWO_HTTP_SERVICE');
/** The SchedulerRegistry the settings poll is registered in: the host's, else one of VWOModule's own. */
export const VWO_SCHEDULER_REGISTRY = Symbol('VWO_SCHEDULER_REGISTRY');
