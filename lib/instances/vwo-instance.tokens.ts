import { VWO_SETTINGS_POLL_INTERVAL } from '../vwo.internal-constants';

/**
 * Names of VWOModule instances and the tokens derived from them. The default (unnamed) instance keeps the
 * class tokens (`VWOService`, `VWO_OPTIONS`, …); a named one exports only string tokens made from its name,
 * so two instances never answer for the same token and the name alone finds an instance anywhere in the app.
 */

/** The name the unnamed instance goes by in tokens and messages. */
export const DEFAULT_VWO_INSTANCE = 'default';

/** This module instance's name (DEFAULT_VWO_INSTANCE for the unnamed one): internal, never exported by a module. */
export const VWO_INSTANCE_NAME = Symbol('VWO_INSTANCE_NAME');

/**
 * This module instance's own VWOService, for its internal providers (the class token is the default
 * instance's alone, so `app.get(VWOService)` never answers with a named one): internal, never exported.
 */
export const VWO_OWN_SERVICE = Symbol('VWO_OWN_SERVICE');

/** Letters, digits and `_ . -`: the name ends up in tokens, scheduler job names, metric attributes and a webhook path. */
const NAME_PATTERN = /^[A-Za-z0-9_.-]{1,64}$/;

/** What one named instance exports, besides its VWOService. */
export type VWOInstancePart = 'options' | 'logger' | 'storage' | 'settings-store' | 'events' | 'health' | 'request-flags';

/** The instance name as used everywhere: undefined (and 'default') mean the default instance. Throws on a name that cannot be one. */
export function vwoInstanceName(name: unknown): string {
  if (name === undefined || name === DEFAULT_VWO_INSTANCE) return DEFAULT_VWO_INSTANCE;
  if (typeof name !== 'string' || !NAME_PATTERN.test(name)) {
    throw new Error(`VWOModule: name ${JSON.stringify(name)} is not usable: 1 to 64 letters, digits, "_", "." or "-"`);
  }
  return name;
}

export function isDefaultVWOInstance(name: string | undefined): boolean {
  return name === undefined || name === DEFAULT_VWO_INSTANCE;
}

/**
 * The token of another part of a named instance (its options, logger, storage, SettingsStore,
 * VWOEventsService, health indicator). The default instance has its own class or symbol tokens; this gives
 * the token under which every instance, the default one included, reaches the others' parts.
 */
export function getVWOInstanceToken(name: string | undefined, part: VWOInstancePart): string {
  return `nestjs-vwo:${vwoInstanceName(name)}:${part}`;
}

/** The name of an instance's settings poll in SchedulerRegistry: unchanged for the default instance, suffixed for a named one. */
export function getVWOPollIntervalName(name?: string): string {
  const instance = vwoInstanceName(name);
  return instance === DEFAULT_VWO_INSTANCE ? VWO_SETTINGS_POLL_INTERVAL : `${VWO_SETTINGS_POLL_INTERVAL}:${instance}`;
}
