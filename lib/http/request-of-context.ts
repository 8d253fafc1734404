import type { ExecutionContext } from '@nestjs/common';

function asObject(value: unknown): object | undefined {
  return value !== null && typeof value === 'object' ? value : undefined;
}

/**
 * The object that stands for one request behind an execution context, and that the default user
 * context reads: the HTTP request (Express or Fastify), GraphQL's `req`/`request` (else its per-request
 * context object), the RPC context of one message, the data of one WebSocket message. Only HTTP-like
 * requests carry a user by default; elsewhere a custom `userContext` factory must build it, or flags
 * fail closed. Reads the arguments by index (as Nest's switchToHttp/Rpc/Ws do) because each `switchTo*`
 * call allocates three closures on the context, once per request on the guard's path.
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
      return asObject(ctx.getArgByIndex(1)); // switchToRpc().getContext()
    case 'ws':
      return asObject(ctx.getArgByIndex(1)); // switchToWs().getData()
    default:
      return undefined;
  }
}
