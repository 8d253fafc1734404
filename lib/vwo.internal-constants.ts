/**
 * Internal tokens (not exported by lib/index.ts). The classes that need @nestjs/axios or @nestjs/schedule
 * inject them through these tokens with type-only imports, so the files that reach VWOService (the testing
 * entry among them) never load those packages; VWOModule binds the tokens.
 */

/** @nestjs/axios's HttpService of the app (VWOModule imports HttpModule). */
export const VWO_HTTP_SERVICE = Symbol('VWO_HTTP_SERVICE');
/** The SchedulerRegistry the settings poll is registered in: the host's, else one of VWOModule's own. */
export const VWO_SCHEDULER_REGISTRY = Symbol('VWO_SCHEDULER_REGISTRY');
