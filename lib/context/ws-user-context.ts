import type { VWOUserContext } from '../engine/types';
import { asUserId, firstHeaderValue, idOfUser, valueAtPath } from './user-id';

/** A socket.io socket (other adapters' clients have fewer of these). */
interface SocketLike {
  /** socket.io's per-connection data, where auth middleware keeps the user. */
  data?: { user?: unknown } | null;
  /** Where auth guards commonly put the user. */
  user?: unknown;
  /** The HTTP request of the handshake (passport through socket.io middleware sets `request.user`). */
  request?: { user?: unknown } | null;
  handshake?: { headers?: Record<string, unknown>; address?: string } | null;
}

/**
 * The user of a WebSocket message, from its connection: `socket.data.user.id`, `socket.user.id`,
 * `socket.request.user.id` (what auth middleware or a guard established), else — only when the app opts
 * in with `messageIdPath` — the id at that path of the message, else the `userIdHeader` header of the
 * handshake. A message's own fields are chosen by the client, message by message, so they are never
 * read by default. User agent and IP come from the handshake.
 */
export function wsUserContext(
  client: unknown,
  data: unknown,
  messageIdPath: readonly string[] | undefined,
  userIdHeader: string,
): VWOUserContext | undefined {
  if (!client || typeof client !== 'object') return undefined;
  const socket = client as SocketLike;
  const headers = socket.handshake?.headers;
  const id =
    idOfUser(socket.data?.user) ??
    idOfUser(socket.user) ??
    idOfUser(socket.request?.user) ??
    (messageIdPath ? asUserId(valueAtPath(data, messageIdPath)) : undefined) ??
    firstHeaderValue(headers?.[userIdHeader]);
  if (id === undefined) return undefined;
  const context: VWOUserContext = { id };
  const userAgent = firstHeaderValue(headers?.['user-agent']);
  if (userAgent) context.userAgent = userAgent;
  const ipAddress = socket.handshake?.address;
  if (ipAddress) context.ipAddress = ipAddress;
  return context;
}
