import type { VWOUserContext } from '../engine/types';
import { getUUID } from '../engine/uuid';

export { getUUID };

/** A VWO web-testing visitor id, used verbatim (network.md §4.3). */
const WEB_UUID = /^[DJ][0-9A-Fa-f]{32}$/;

/** The `visId` of a user id: a web-testing id as is, else VWO's UUIDv5 chain. */
export function userVisitorId(userId: string, accountId: string | number): string {
  return WEB_UUID.test(userId) ? userId : getUUID(userId, accountId);
}

/** An explicit `context.uuid` (non-empty string), which wins over the user id. */
export function explicitVisitorId(context: VWOUserContext): string | undefined {
  const explicit = (context as { uuid?: unknown }).uuid;
  return typeof explicit === 'string' && explicit ? explicit : undefined;
}

/** The `visId` of a user's events: an explicit `uuid`, a web-testing id, else VWO's UUIDv5 chain. */
export function visitorId(context: VWOUserContext, accountId: string | number): string {
  return explicitVisitorId(context) ?? userVisitorId(String(context.id), accountId);
}

/** The user id of SDK-level events (`vwo_fmeSdkInit`): `<accountId>_<sdkKey>`. */
export function sdkUserId(accountId: string | number, sdkKey: string): string {
  return `${accountId}_${sdkKey}`;
}
