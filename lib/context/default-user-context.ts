import type { VWOUserContext } from '../engine/types';

type HeaderValue = string | string[] | undefined;

/** The request fields the default user context reads: Express and Fastify requests both have them. */
interface RequestLike {
  headers?: Record<string, HeaderValue>;
  user?: { id?: unknown } | null;
  ip?: string;
  socket?: { remoteAddress?: string };
}

function firstHeader(value: HeaderValue): string | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  return first || undefined;
}

function userIdOf(request: RequestLike, userIdHeader: string): string | number | undefined {
  const id = request.user?.id;
  if ((typeof id === 'string' && id !== '') || (typeof id === 'number' && Number.isFinite(id))) return id;
  return firstHeader(request.headers?.[userIdHeader]);
}

/**
 * The user of an HTTP request: `request.user.id` (set by auth guards/passport), else the `userIdHeader`
 * header; user agent and IP from the request. Undefined without a user id (flags then fail closed).
 */
export function defaultUserContext(request: unknown, userIdHeader: string): VWOUserContext | undefined {
  if (!request || typeof request !== 'object') return undefined;
  const req = request as RequestLike;
  const id = userIdOf(req, userIdHeader.toLowerCase());
  if (id === undefined) return undefined;
  const context: VWOUserContext = { id };
  const userAgent = firstHeader(req.headers?.['user-agent']);
  if (userAgent) context.userAgent = userAgent;
  const ipAddress = req.ip || req.socket?.remoteAddress;
  if (ipAddress) context.ipAddress = ipAddress;
  return context;
}
