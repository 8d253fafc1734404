import type { VWOUserContext } from '../engine/types';
import { getUUID } from '../engine/uuid';

export { getUUID };

/** A VWO web-testing visitor id, used verbatim (network.md §4.3). */
const WEB_UUID = /^[DJ][0-9A-Fa-f]{32}$/;

/** The `visId` of a user's events: an explicit `uuid`, a web-testing id, else VWO's UUIDv5 chain. */
export function visitorId(context: VWOUserContext, accountId: string | number): string {
  const explicit = (context as { uuid?: unknown }).uuid;
  if (typeof explicit === 'string' && explicit) return explicit;
  const id = String(context.id);
  return WEB_UUID.test(id) ? id : getUUID(id, accountId);
}

/** The user id of SDK-level events (`vwo_fmeSdkInit`): `<accountId>_<sdkKey>`. */
export function sdkUserId(accountId: string | number, sdkKey: string): string {
  return `${accountId}_${sdkKey}`;
}
