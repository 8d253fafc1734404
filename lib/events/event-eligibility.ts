/** Which visitor events are sent at all: rules VWOEventsService checks before building any event. */
import type { SettingsSnapshot } from '../engine/contract';
import type { VWOUserContext } from '../engine/types';

/** What an attribute of `setAttributes` may be. */
export type AttributeValue = string | number | boolean;

/** `vwo_feTrackUsage` is for MAU accounts, and dev mode suppresses it like any getFlag event (docs/events.md). */
export function wantsTrackUsage(snapshot: SettingsSnapshot, context: VWOUserContext | undefined): boolean {
  return snapshot.isMAU && !isDevModeUser(snapshot, context);
}

/** Settings `devMode` and context `isDevMode` together: no visitor event of this user is sent (VWO ≥1.43). */
export function isDevModeUser(snapshot: SettingsSnapshot, context: VWOUserContext | undefined): boolean {
  return snapshot.devMode && Boolean(context?.isDevMode);
}

/** Attribute values VWO accepts: strings, booleans and finite numbers. */
export function isAttributeValue(value: unknown): value is AttributeValue {
  return typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value));
}
