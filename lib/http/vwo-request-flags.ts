import { ExecutionContext, Logger } from '@nestjs/common';
import {
  cachedFlag,
  cacheFlag,
  requestState,
  setUserContext,
  userContextOf,
  type VWOMaybePromise,
  type VWORequestState,
} from '../context/request-context';
import { defaultUserContextOf, defaultUserSources, type VWODefaultUserSources } from '../context/transport-user-context';
import type { VWOUserContext } from '../engine/types';
import type { VWOLogger } from '../logger/vwo-logger.interface';
import type { VWOHttpOptions } from './vwo-http-options.interface';
import { DEFAULT_USER_ID_HEADER } from '../vwo.constants';
import type { VWOService } from '../vwo.service';

export type { VWOHttpOptions };
/** The flag VWOService returns. */
export type VWOFlag = Awaited<ReturnType<VWOService['getFlag']>>;
export type VWOHttpLogger = Pick<VWOLogger, 'debug' | 'warn'>;

/** VWO requires a truthy id (as VWOService checks it). */
function withId(context: VWOUserContext | undefined): VWOUserContext | undefined {
  return context?.id ? context : undefined;
}

function isPromiseLike<T>(value: VWOMaybePromise<T> | PromiseLike<T>): value is PromiseLike<T> {
  return typeof (value as PromiseLike<T> | undefined)?.then === 'function';
}

/**
 * What the guard, the param decorators and the context interceptor share: the request state, its user
 * context (built at most once per request) and its flags (evaluated at most once per request).
 */
export class VWORequestFlags {
  readonly logger: VWOHttpLogger;
  /** See VWOHttpOptions.propagateContext. */
  readonly propagateContext: boolean;
  private readonly userSources: VWODefaultUserSources;
  /** Keys of this instance's flags in the request state: a named instance's flag never answers for another's of the same key. */
  private readonly cachePrefix: string;

  /** `instance`: the name of a named VWOModule whose flags these are (the default instance's are keyed by feature key alone). */
  constructor(
    private readonly vwo: Pick<VWOService, 'getFlag'>,
    readonly options: VWOHttpOptions = {},
    logger?: VWOHttpLogger,
    instance?: string,
  ) {
    this.userSources = defaultUserSources(options, DEFAULT_USER_ID_HEADER);
    this.logger = logger ?? new Logger('VWO');
    this.propagateContext = options.propagateContext !== false;
    this.cachePrefix = instance === undefined ? '' : `${instance}\u0000`;
  }

  /** The state of this request (found again by its request object). */
  stateOf(request: object | undefined): VWORequestState {
    return requestState(request);
  }

  /** The state of this request, able to build its user from `ctx` later, if ever asked (the interceptor). */
  lazyStateOf(ctx: ExecutionContext, request: object | undefined): VWORequestState {
    const state = requestState(request);
    state.resolveUserContext ??= () => this.buildUserContext(ctx, request);
    return state;
  }

  /**
   * The request's user, built now from `ctx` unless already known, or undefined when there is none with
   * an id (flags then fail closed). Synchronous unless a `userContext` factory is async.
   */
  userContext(state: VWORequestState, ctx: ExecutionContext, request: object | undefined): VWOMaybePromise<VWOUserContext | undefined> {
    if (state.user === undefined && !state.resolveUserContext) setUserContext(state, this.buildUserContext(ctx, request));
    return userContextOf(state);
  }

  /** The flag for this request's user, evaluated once per request however many ask. */
  flag(state: VWORequestState, featureKey: string, user: VWOUserContext | undefined): Promise<VWOFlag> {
    const key = this.cachePrefix + featureKey;
    return cachedFlag<VWOFlag>(state, key) ?? cacheFlag(state, key, this.vwo.getFlag(featureKey, user));
  }

  /** Logs (debug) why a flag is off for a request without a user. */
  noUser(featureKey: string): void {
    this.logger.debug(`Feature "${featureKey}" treated as disabled: the request has no user id`);
  }

  private buildUserContext(ctx: ExecutionContext, request: object | undefined): VWOMaybePromise<VWOUserContext | undefined> {
    const factory = this.options.userContext;
    if (!factory) return withId(defaultUserContextOf(ctx, request, this.userSources));
    try {
      const context = factory(ctx);
      if (!isPromiseLike(context)) return withId(context);
      return Promise.resolve(context).then(withId, (err: unknown) => this.factoryFailed(err));
    } catch (err) {
      return this.factoryFailed(err);
    }
  }

  /** A failing factory must not fail the request: the user is unknown, so flags fail closed. */
  private factoryFailed(err: unknown): undefined {
    this.logger.warn(`The userContext factory failed: ${(err as Error | undefined)?.message ?? String(err)}`);
    return undefined;
  }
}
