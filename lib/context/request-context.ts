import { AsyncLocalStorage } from 'node:async_hooks';
import type { VWOUserContext } from '../engine/types';

/** Builds the user context of a request on first use (sync or async). */
export type VWOUserContextResolver = () => VWOUserContext | undefined | Promise<VWOUserContext | undefined>;

/**
 * Per-request state shared by the guard, the param decorators and VWOService calls made while handling
 * one request. Held in AsyncLocalStorage, never in request-scoped providers (which would re-create the
 * whole provider chain per request), and also keyed to the request object, so code that only has the
 * request (param decorators, adapters where the async context does not flow) finds the same state.
 */
export interface VWORequestState {
  /** The user context, resolved at most once per request (a promise so concurrent askers share it). */
  userContext?: Promise<VWOUserContext | undefined>;
  /** Resolves `userContext` lazily, so requests that never ask for a flag never build a user. */
  resolveUserContext?: VWOUserContextResolver;
  /** Flags already evaluated in this request, by feature key. */
  flags: Map<string, Promise<unknown>>;
  /** Set when the response is finished: the state then no longer answers `currentUserContext()`. */
  closed?: boolean;
}

export const vwoRequestStorage = new AsyncLocalStorage<VWORequestState>();

const statesByRequest = new WeakMap<object, VWORequestState>();

/** The user context of the request being handled, if any. */
export function currentUserContext(): Promise<VWOUserContext | undefined> | undefined {
  const state = vwoRequestStorage.getStore();
  return state && !state.closed ? userContextOf(state) : undefined;
}

/** The state's user context, resolving it on the first call only. */
export function userContextOf(state: VWORequestState): Promise<VWOUserContext | undefined> {
  state.userContext ??= settle(state.resolveUserContext);
  return state.userContext;
}

/** Calls the resolver once, as a promise (an async resolver's own promise is kept: no extra ticks). */
function settle(resolve: VWOUserContextResolver | undefined): Promise<VWOUserContext | undefined> {
  try {
    const result = resolve?.();
    return result instanceof Promise ? result : Promise.resolve(result);
  } catch (err) {
    return Promise.reject(err);
  }
}

/** The state of one request, created on first use and found again by its request object (fresh without one). */
export function requestState(request: object | undefined): VWORequestState {
  let state = request && statesByRequest.get(request);
  if (!state) {
    state = { flags: new Map() };
    if (request) statesByRequest.set(request, state);
  }
  return state;
}

/**
 * Makes the state current for the rest of this request's async flow (the guard calls it: a guard cannot
 * wrap the handler in `run`). `enterWith` sets the store on the resource that is current, which for a
 * guard is the connection's HTTP parser on both Express and Fastify: the store outlives the request
 * and a later request on the same keep-alive connection starts inside it. `onResponseDone` closes the
 * state when the response ends, so that later request never reads this user.
 */
export function enterRequestState(state: VWORequestState, onResponseDone: (close: () => void) => void): void {
  if (vwoRequestStorage.getStore() === state) return;
  vwoRequestStorage.enterWith(state);
  onResponseDone(() => {
    state.closed = true;
  });
}

/** Runs `fn` (and everything it starts) with this state as the current VWO context, and only `fn`. */
export function runInRequestState<T>(state: VWORequestState, fn: () => T): T {
  return vwoRequestStorage.run(state, fn);
}

/** The state already bound to this request, if any (no side effect). */
export function requestStateOf(request: object): VWORequestState | undefined {
  return statesByRequest.get(request);
}

/** The flag of this feature in this request: `evaluate` runs once, every later asker shares its promise. */
export function cachedFlag<T>(state: VWORequestState, featureKey: string, evaluate: () => Promise<T>): Promise<T> {
  let flag = state.flags.get(featureKey) as Promise<T> | undefined;
  if (!flag) {
    flag = evaluate();
    state.flags.set(featureKey, flag);
  }
  return flag;
}

/**
 * Runs `fn` with this user as the current context, outside HTTP (jobs, queue consumers, event
 * handlers): `VWOService.getFlag(key)` without a context then decides for this user.
 */
export function runWithUserContext<T>(context: VWOUserContext, fn: () => T): T {
  return runInRequestState({ userContext: Promise.resolve(context), flags: new Map() }, fn);
}
