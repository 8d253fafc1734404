import type { ExecutionContext } from '@nestjs/common';
import type { VWOUserContext } from '../engine/types';

/** How a route guarded by `@FeatureFlag` answers when the flag is off. */
export interface VWOFlagDisabledOptions {
  /** HTTP status of the denial. @default 404 */
  status?: number;
  /** Builds the exception thrown on denial (takes precedence over `status`). */
  exception?: (featureKey: string) => Error;
}

/** The HTTP layer's options: part of VWOModuleOptions, provided to the guard and its helpers under VWO_HTTP_CONFIG. */
export interface VWOHttpOptions {
  /** Builds the user of a request (guard, param decorators, getFlag without a context). @default reads `userIdHeader` */
  userContext?: (ctx: ExecutionContext) => VWOUserContext | undefined | Promise<VWOUserContext | undefined>;
  /**
   * Header the default `userContext` reads the user id from: on HTTP requests (and the request behind a
   * GraphQL operation), WebSocket handshakes and the metadata of RPC messages. @default 'x-vwo-user-id'
   */
  userIdHeader?: string;
  /**
   * Field of a microservice message's payload the default `userContext` reads the user id from (a dot
   * path such as `'user.id'`), before the transport's metadata; `false` reads the metadata only.
   * @default 'userId'
   */
  rpcUserIdField?: string | false;
  /**
   * Field of a WebSocket message the default `userContext` may read the user id from (a dot path). Off by
   * default: a client chooses its messages' fields, so by default only the connection (authenticated
   * user, handshake header) says who the user is.
   */
  wsUserIdField?: string;
  /** How `@FeatureFlag` denies a request. @default { status: 404 } */
  flagDisabled?: VWOFlagDisabledOptions;
  /**
   * Makes each request's user the current VWO context (AsyncLocalStorage), so `VWOService.getFlag(key)`
   * without a context decides for it. `false` for apps that always pass the context: on Node 20 the first
   * use of any AsyncLocalStorage makes every promise of the process slower (async hooks). @default true
   */
  propagateContext?: boolean;
}
