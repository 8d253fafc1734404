import type { ExecutionContext } from '@nestjs/common';

function asObject(value: unknown): object | undefined {
  return value !== null && typeof value === 'object' ? value : undefined;
}

/**
 * The object that stands for one request behind an execution context: the request's state (its user,
 * its flags) rides on it, shared by the guard, the param decorators and the context interceptor. The
 * HTTP request (Express or Fastify); GraphQL's `req`/`request` (else its per-request context object), so
 * every resolver of one operation shares it; the transport context of one RPC message; the payload of
 * one WebSocket message (not the socket, which lives across messages), else its argument list. Reads
 * the arguments by index (as Nest's switchToHttp/Rpc/Ws do) because each `switchTo*` call allocates
 * three closures on the context, once per request on the guard's path.
 */
export function requestOfContext(ctx: ExecutionContext): object | undefined {
  switch (ctx.getType<string>()) {
    case 'http':
      return asObject(ctx.getArgByIndex(0)); // switchToHttp().getRequest()
    case 'graphql': {
      const gqlContext = asObject(ctx.getArgByIndex(2)) as { req?: unknown; request?: unknown } | undefined;
      return asObject(gqlContext?.req) ?? asObject(gqlContext?.request) ?? gqlContext;
    }
    case 'rpc':
      return asObject(ctx.getArgByIndex(1)) ?? ctx.getArgs(); // switchToRpc().getContext()
    case 'ws':
      return asObject(ctx.getArgByIndex(1)) ?? ctx.getArgs(); // switchToWs().getData()
    default:
      return undefined;
  }
}
