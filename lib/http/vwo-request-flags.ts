import { ExecutionContext, Logger } from '@nestjs/common';
import { defaultUserContext } from '../context/default-user-context';
import {
  cachedFlag,
  requestState,
  userContextOf,
  type VWORequestState,
} from '../context/request-context';
import type { VWOUserContext } from '../engine/types';
import type { VWOLogger } from '../logger/vwo-logger.interface';
import type { VWOModuleOptions } from '../options/vwo-module-options.interface';
import { DEFAULT_USER_ID_HEADER } from '../vwo.constants';
import type { VWOService } from '../vwo.service';

/** The module options the HTTP layer reads. */
export type VWOHttpOptions = Pick<VWOModuleOptions, 'userContext' | 'userIdHeader' | 'flagDisabled'>;
/** The flag VWOService returns. */
export type VWOFlag = Awaited<ReturnType<VWOService['getFlag']>>;
export type VWOHttpLogger = Pick<VWOLogger, 'debug' | 'warn'>;

/** VWO requires a truthy id (as VWOService checks it). */
function hasUserId(context: VWOUserContext | undefined): context is VWOUserContext {
  return !!context?.id;
}

/**
 * What the guard, the param decorators and the context interceptor share: the request state, its user
 * context (built at most once per request) and its flags (evaluated at most once per request).
 */
export class VWORequestFlags {
  private readonly userIdHeader: string;
  readonly logger: VWOHttpLogger;

  constructor(
    private readonly vwo: VWOService,
    private readonly options: VWOHttpOptions = {},
    logger?: VWOHttpLogger,
  ) {
    this.userIdHeader = options.userIdHeader ?? DEFAULT_USER_ID_HEADER;
    this.logger = logger ?? new Logger('VWO');
  }

  /** The state of this request, able to build its user from `ctx`. */
  stateFor(ctx: ExecutionContext, request: object | undefined): VWORequestState {
    const state = requestState(request);
    state.resolveUserContext ??= () => this.buildUserContext(ctx, request);
    return state;
  }

  /** The request's user, or undefined when there is none with an id (flags then fail closed). */
  userContext(state: VWORequestState): Promise<VWOUserContext | undefined> {
    return userContextOf(state);
  }

  /** The flag for this request's user, evaluated once per request however many ask. */
  flag(state: VWORequestState, featureKey: string, user: VWOUserContext | undefined): Promise<VWOFlag> {
    return cachedFlag(state, featureKey, () => this.vwo.getFlag(featureKey, user));
  }

  /** Logs (debug) why a flag is off for a request without a user. */
  noUser(featureKey: string): void {
    this.logger.debug(`Feature "${featureKey}" treated as disabled: the request has no user id`);
  }

  private async buildUserContext(ctx: ExecutionContext, request: object | undefined): Promise<VWOUserContext | undefined> {
    try {
      const factory = this.options.userContext;
      const context = factory ? await factory(ctx) : defaultUserContext(request, this.userIdHeader);
      return hasUserId(context) ? context : undefined;
    } catch (err) {
      // A failing factory must not fail the request: the user is unknown, so flags fail closed.
      this.logger.warn(`The userContext factory failed: ${(err as Error)?.message ?? String(err)}`);
      return undefined;
    }
  }
}
