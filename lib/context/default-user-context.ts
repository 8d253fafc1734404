import type { VWOUserContext } from '../engine/types';
import { firstHeaderValue, idOfUser } from './user-id';

/** The request fields the default user context reads: Express and Fastify requests both have them. */
interface RequestLike {
  headers?: Record<string, unknown>;
  user?: unknown;
  ip?: string;
  socket?: { remoteAddress?: string };
}

/**
 * The user of an HTTP request (also the request behind a GraphQL operation): `request.user.id` (set by
 * auth guards/passport), else the `userIdHeader` header; user agent and IP from the request. Undefined
 * without a user id (flags then fail closed).
 */
export function defaultUserContext(request: unknown, userIdHeader: string): VWOUserContext | undefined {
  if (!request || typeof request !== 'object') return undefined;
  const req = request as RequestLike;
  const id = idOfUser(req.user) ?? firstHeaderValue(req.headers?.[userIdHeader.toLowerCase()]);
  if (id === undefined) return undefined;
  const context: VWOUserContext = { id };
  const userAgent = firstHeaderValue(req.headers?.['user-agent']);
  if (userAgent) context.userAgent = userAgent;
  const ipAddress = req.ip || req.socket?.remoteAddress;
  if (ipAddress) context.ipAddress = ipAddress;
  return context;
}
