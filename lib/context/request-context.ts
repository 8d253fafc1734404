import { AsyncLocalStorage } from 'node:async_hooks';
import type { VWOUserContext } from '../engine/types';

/**
 * Per-request state shared by the guard, the param decorators and VWOService calls made while handling
 * one request. Held in AsyncLocalStorage, never in request-scoped providers (which would re-create the
 * whole provider chain per request).
 */
export interface VWORequestState {
  /** The user context, resolved at most once per request (a promise so concurrent askers share it). */
  userContext?: Promise<VWOUserContext | undefined>;
  /** Flags already evaluated in this request, by feature key. */
  flags: Map<string, Promise<unknown>>;
}

export const vwoRequestStorage = new AsyncLocalStorage<VWORequestState>();

/** The user context of the request being handled, if any. */
export function currentUserContext(): Promise<VWOUserContext | undefined> | undefined {
  return vwoRequestStorage.getStore()?.userContext;
}
