import type { VWOUserContext } from './types';
import { getUUID } from './uuid';
import { isWebVisitorId } from './web-visitor-id';


/** The visitor id of a user id: a web-testing id as is, else VWO's UUIDv5 chain. */
export function userVisitorId(userId: string, accountId: string | number): string {
  return isWebVisitorId(userId) ? userId : getUUID(userId, accountId);
}

/** An explicit `context.uuid` (non-empty string), which wins over the user id. */
export function explicitVisitorId(context: VWOUserContext): string | undefined {
  const explicit = (context as { uuid?: unknown }).uuid;
  return typeof explicit === 'string' && explicit ? explicit : undefined;
}

/** The visitor id of a user: an explicit `uuid`, a web-testing id, else VWO's UUIDv5 chain. */
export function visitorId(context: VWOUserContext, accountId: string | number): string {
  return explicitVisitorId(context) ?? userVisitorId(String(context.id), accountId);
}

/** VWO's session id: `context.sessionId` when truthy, else the seconds (rounded up) of `timeMs`. */
export function sessionIdOf(context: VWOUserContext | undefined, timeMs: number): number {
  const given = context?.sessionId;
  return given ? given : Math.ceil(timeMs / 1000);
}

/** Who a flag was decided for and when: enough to derive its visitor id and session id on demand. */
export interface FlagVisitor {
  readonly context: VWOUserContext;
  /** The account id the visitor UUID is derived in (the configured one). */
  readonly accountId: string | number;
  /** `Date.now()` when the decision was made; the session id of its events comes from the same value. */
  readonly time: number;
}
