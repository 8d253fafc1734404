import { getUUID } from '../engine/uuid';
import { explicitVisitorId, userVisitorId, visitorId } from '../engine/visitor';

export { explicitVisitorId, getUUID, userVisitorId, visitorId };

/** The user id of SDK-level events (`vwo_fmeSdkInit`): `<accountId>_<sdkKey>`. */
export function sdkUserId(accountId: string | number, sdkKey: string): string {
  return `${accountId}_${sdkKey}`;
}
