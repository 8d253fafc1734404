import { AsyncLocalStorage } from 'node:async_hooks';
import type { VWOUserContext } from '../engine/types';

/** A value now, or later. */
export type VWOMaybePromise<T> = T | Promise<T>;

/** Builds the user context of a request on first use (sync or async). */
export type VWOUserContextResolver = () => VWOMaybePromise<VWOUserContext | undefined>;

/** What tells that a request is over: Node's ServerResponse (Express's response, Fastify's reply.raw). */
export interface VWOResponseLike {
  readonly writableEnded?: boolean;
  readonly destroyed?: boolean;
}

/**
 * Per-request state shared by the guard, the param decorators and VWOService calls made while handling
 * one request. Held in AsyncLocalStorage, never in request-scoped providers (which would re-create the
 * whole provider chain per request), and also attached to the request object, so code that only has the
 * request (param decorators, adapters where the async context does not flow) finds the same state.
 */
export interface VWORequestState {
  /**
   * The user: not resolved yet (undefined), none (null), known, or being resolved (a promise that
   * concurrent askers share, replaced by its value once settled).
   */
  user?: VWOUserContext | null | Promise<VWOUserContext | null>;
  /** Resolves `user` lazily, so requests that never ask for a flag never build a user. */
  resolveUserContext?: VWOUserContextResolver;
  /** Flags already evaluated in this request, by feature key (created on the first flag). */
  flags?: Map<string, Promise<unknown>>;
  /** The response of the request; once it has ended, the state no longer answers `currentUserContext()`. */
  response?: VWOResponseLike;
}

export const vwoRequestStorage = new AsyncLocalStorage<VWORequestState>();

/**
 * A symbol property, not a WeakMap: a WeakMap keyed by short-lived request objects costs about 1 µs of
 * GC (ephemeron) work per request, more than the rest of the guard. Symbols stay out of Object.keys and
 * JSON. Requests that cannot take a property (frozen objects) fall back to the WeakMap.
 */
const STATE = Symbol('nestjs-vwo:request-state');
type StateCarrier = { [STATE]?: VWORequestState };
const statesOfSealedRequests = new WeakMap<object, VWORequestState>();

/** The user context of the request being handled, if any. */
export function currentUserContext(): Promise<VWOUserContext | undefined> | undefined {
  const state = vwoRequestStorage.getStore();
  if (!state || isOver(state)) return undefined;
  const user = userContextOf(state);
  return user instanceof Promise ? user : Promise.resolve(user);
}

function isOver(state: VWORequestState): boolean {
  const response = state.response;
  return response !== undefined && (response.writableEnded === true || response.destroyed === true);
}

/**
 * The state's user, resolving it on the first call only. Synchronous when the user is known (or the
 * resolver is synchronous), so the common path costs no promise.
 */
export function userContextOf(state: VWORequestState): VWOMaybePromise<VWOUserContext | undefined> {
  if (state.user === undefined) setUserContext(state, resolveLazily(state));
  const user = state.user;
  if (user instanceof Promise) return user.then(orUndefined);
  return user ?? undefined;
}

/** Records the resolved (or resolving) user; a pending one is replaced by its value once settled. */
export function setUserContext(state: VWORequestState, result: VWOMaybePromise<VWOUserContext | undefined>): void {
  if (!(result instanceof Promise)) {
    state.user = result ?? null;
    return;
  }
  const pending: Promise<VWOUserContext | null> = result.then((user) => {
    if (state.user === pending) state.user = user ?? null;
    return user ?? null;
  });
  state.user = pending;
}

function resolveLazily(state: VWORequestState): VWOMaybePromise<VWOUserContext | undefined> {
  try {
    return state.resolveUserContext?.();
  } catch (err) {
    return Promise.reject(err);
  }
}

function orUndefined(user: VWOUserContext | null): VWOUserContext | undefined {
  return user ?? undefined;
}

/** The state of one request, created on first use and found again by its request object (fresh without one). */
export function requestState(request: object | undefined): VWORequestState {
  if (!request) return {};
  const carrier = request as StateCarrier;
  const state = carrier[STATE] ?? statesOfSealedRequests.get(request);
  return state ?? attach(request, {});
}

function attach(request: object, state: VWORequestState): VWORequestState {
  if (Object.isExtensible(request)) (request as StateCarrier)[STATE] = state;
  else statesOfSealedRequests.set(request, state);
  return state;
}

/** The state already bound to this request, if any (no side effect). */
export function requestStateOf(request: object): VWORequestState | undefined {
  return (request as StateCarrier)[STATE] ?? statesOfSealedRequests.get(request);
}

/**
 * Makes the state current for the rest of this request's async flow (the guard calls it: a guard cannot
 * wrap the handler in `run`). `enterWith` sets the store on the resource that is current, which for a
 * guard is the connection's HTTP parser on both Express and Fastify: the store outlives the request
 * and a later request on the same keep-alive connection starts inside it. The state therefore stops
 * answering once `response` has ended, so that later request never reads this user (checked when
 * asked: no listener per request).
 */
export function enterRequestState(state: VWORequestState, response: VWOResponseLike): void {
  state.response ??= response;
  if (vwoRequestStorage.getStore() !== state) vwoRequestStorage.enterWith(state);
}

/** Runs `fn` (and everything it starts) with this state as the current VWO context, and only `fn`. */
export function runInRequestState<T>(state: VWORequestState, fn: () => T): T {
  return vwoRequestStorage.run(state, fn);
}

/** The flag of this feature already evaluated in this request, if any. */
export function cachedFlag<T>(state: VWORequestState, featureKey: string): Promise<T> | undefined {
  return state.flags?.get(featureKey) as Promise<T> | undefined;
}

/** Keeps the flag of this feature for the rest of the request (later askers share it), and returns it. */
export function cacheFlag<T>(state: VWORequestState, featureKey: string, flag: Promise<T>): Promise<T> {
  (state.flags ??= new Map()).set(featureKey, flag);
  return flag;
}

/**
 * Runs `fn` with this user as the current context, outside HTTP (jobs, queue consumers, event
 * handlers): `VWOService.getFlag(key)` without a context then decides for this user.
 */
export function runWithUserContext<T>(context: VWOUserContext, fn: () => T): T {
  return runInRequestState({ user: context }, fn);
}
