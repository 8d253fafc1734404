import type { ExecutionContext } from '@nestjs/common';
import type { VWOUserContext } from '../engine/types';
import { defaultUserContext } from './default-user-context';
import { rpcUserContext } from './rpc-user-context';
import { splitPath } from './user-id';
import { wsUserContext } from './ws-user-context';

/** Where the default user context looks on each transport (from the module options, resolved once). */
export interface VWODefaultUserSources {
  /** Header (lower case) read on HTTP requests, GraphQL's request, WebSocket handshakes and RPC metadata. */
  userIdHeader: string;
  /** Path of the user id in an RPC message's payload; undefined: metadata only. */
  rpcUserIdPath?: readonly string[];
  /** Path of the user id in a WebSocket message (opt-in); undefined: never read. */
  wsUserIdPath?: readonly string[];
}

/** The module options that say where the default user is found. */
export interface VWOUserSourceOptions {
  userIdHeader?: string;
  rpcUserIdField?: string | false;
  wsUserIdField?: string;
}

export const DEFAULT_RPC_USER_ID_FIELD = 'userId';

export function defaultUserSources(options: VWOUserSourceOptions, defaultHeader: string): VWODefaultUserSources {
  const rpcField = options.rpcUserIdField ?? DEFAULT_RPC_USER_ID_FIELD;
  return {
    userIdHeader: (options.userIdHeader ?? defaultHeader).toLowerCase(),
    rpcUserIdPath: rpcField === false ? undefined : splitPath(rpcField),
    wsUserIdPath: options.wsUserIdField === undefined ? undefined : splitPath(options.wsUserIdField),
  };
}

/**
 * The default user of a request on any transport: HTTP and GraphQL read the request (`request`, the one
 * behind the context); RPC the message payload and transport metadata; WebSockets the connection.
 */
export function defaultUserContextOf(ctx: ExecutionContext, request: object | undefined, sources: VWODefaultUserSources): VWOUserContext | undefined {
  switch (ctx.getType<string>()) {
    case 'rpc':
      return rpcUserContext(ctx.getArgByIndex(0), ctx.getArgByIndex(1), sources.rpcUserIdPath, sources.userIdHeader);
    case 'ws':
      return wsUserContext(ctx.getArgByIndex(0), ctx.getArgByIndex(1), sources.wsUserIdPath, sources.userIdHeader);
    default:
      return defaultUserContext(request, sources.userIdHeader);
  }
}
