import type { VWOUserContext } from '../engine/types';
import { asUserId, firstHeaderValue, valueAtPath } from './user-id';

/** The per-message contexts of Nest's transports, as far as their metadata goes (read by shape, never imported). */
interface TransportContextLike {
  /** NATS: the message headers (case-insensitive lookup below). */
  getHeaders?: () => { get?: (key: string, match?: number) => unknown } | undefined;
  /** RabbitMQ (`properties.headers`) and Kafka (`headers`). */
  getMessage?: () => { properties?: { headers?: unknown }; headers?: unknown } | undefined;
  /** MQTT 5: user properties. */
  getPacket?: () => { properties?: { userProperties?: unknown } } | undefined;
  /** gRPC: the call's Metadata. */
  get?: (key: string) => unknown;
  getMap?: () => unknown;
}

/** nats.js `Match.IgnoreCase`: header names are compared without case, as HTTP's are. */
const NATS_IGNORE_CASE = 2;

/**
 * The user of one microservice message: the id at `idPath` of the payload (by default `userId`), else the
 * `userIdHeader` entry of the transport's metadata where it has some (NATS headers, RabbitMQ and Kafka
 * message headers, MQTT 5 user properties, gRPC metadata; TCP and Redis have none). Both are set by the
 * sending service, not by an end user. Undefined without an id: flags fail closed.
 */
export function rpcUserContext(
  data: unknown,
  transportContext: unknown,
  idPath: readonly string[] | undefined,
  userIdHeader: string,
): VWOUserContext | undefined {
  const id = (idPath ? asUserId(valueAtPath(data, idPath)) : undefined) ?? metadataValue(transportContext, userIdHeader);
  return id === undefined ? undefined : { id };
}

function metadataValue(context: unknown, header: string): string | undefined {
  if (!context || typeof context !== 'object') return undefined;
  const transport = context as TransportContextLike;
  if (typeof transport.getMap === 'function' && typeof transport.get === 'function') {
    return firstHeaderValue(transport.get(header));
  }
  if (typeof transport.getHeaders === 'function') {
    const headers = transport.getHeaders();
    return typeof headers?.get === 'function' ? firstHeaderValue(headers.get(header, NATS_IGNORE_CASE)) : undefined;
  }
  if (typeof transport.getMessage === 'function') {
    const message = transport.getMessage();
    return headerOf(message?.properties?.headers ?? message?.headers, header);
  }
  if (typeof transport.getPacket === 'function') return headerOf(transport.getPacket()?.properties?.userProperties, header);
  return undefined;
}

/** A header of a plain record, whatever the case of its name. */
function headerOf(headers: unknown, header: string): string | undefined {
  if (!headers || typeof headers !== 'object') return undefined;
  const record = headers as Record<string, unknown>;
  if (header in record) return firstHeaderValue(record[header]);
  for (const name of Object.keys(record)) if (name.toLowerCase() === header) return firstHeaderValue(record[name]);
  return undefined;
}
