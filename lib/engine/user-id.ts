/**
 * The user id check every API runs first. VWO's SDK derives the visitor UUID (UUIDv5 over the UTF-8 id) at the
 * start of every call, so an id without a UTF-8 form (a lone UTF-16 surrogate) fails there for every feature.
 * Checking it up front gives that user one answer everywhere, instead of failing only where a rule needs the UUID.
 */

import { isWebVisitorId } from './web-visitor-id';

/**
 * Why `context.id` cannot identify a user, or undefined when it can. Ids are truthy and used as String(id).
 * `useIdForWeb: true` promises a VWO web-testing visitor id: any other id fails the call, as in VWO's SDK,
 * rather than quietly getting a server-made visitor id the web client would not know.
 */
export function userIdProblem(context: unknown): string | undefined {
  if (!context || typeof context !== 'object') return 'a context with an id is required';
  const id = (context as { id?: unknown }).id;
  if (!id) return 'context.id is required and must be truthy';
  let text: string;
  try {
    text = String(id);
  } catch {
    return 'context.id cannot be turned into a string';
  }
  if (!isWellFormed(text)) return 'context.id contains a lone UTF-16 surrogate, so it has no UTF-8 form to hash';
  if ((context as { useIdForWeb?: unknown }).useIdForWeb === true && !isWebVisitorId(text)) {
    return 'context.useIdForWeb is true but context.id is not a VWO web-testing visitor id ("D" or "J" then 32 hex digits)';
  }
  return undefined;
}

/** False for a string with a lone UTF-16 surrogate (it has no UTF-8 form). */
export function isWellFormed(text: string): boolean {
  return (text as string & { isWellFormed(): boolean }).isWellFormed();
}
