import type { ExecutionContext } from '@nestjs/common';
import { FeatureDisabledError } from './feature-disabled.error';
import { featureDisabledMessage, featureDisabledPayload } from './feature-disabled.payload';

type ErrorClass = new (error: string | object) => Error;

// Loaded on the first denial of their transport: a context of that type means the package is installed,
// and apps without it never load it (they are optional peers).
let rpcException: ErrorClass | undefined;
let wsException: ErrorClass | undefined;

function loadRpcException(): ErrorClass {
  return (rpcException ??= (require('@nestjs/microservices') as { RpcException: ErrorClass }).RpcException);
}

function loadWsException(): ErrorClass {
  return (wsException ??= (require('@nestjs/websockets') as { WsException: ErrorClass }).WsException);
}

/**
 * The denial native to a transport: on GraphQL a FeatureDisabledError (clients see a GraphQLError with
 * `extensions.code: 'FEATURE_DISABLED'`), on microservices an RpcException and on WebSockets a WsException
 * whose error is a FeatureDisabledPayload. Undefined for HTTP (and unknown types), which answer with a status.
 */
export function transportDenial(type: string, featureKey: string): Error | undefined {
  switch (type) {
    case 'graphql':
      return new FeatureDisabledError(featureKey, featureDisabledMessage(featureKey));
    case 'rpc':
      return new (loadRpcException())(featureDisabledPayload(featureKey));
    case 'ws':
      return new (loadWsException())(featureDisabledPayload(featureKey));
    default:
      return undefined;
  }
}

/**
 * Answers a denied socket.io message's acknowledgement with what Nest emits as its `exception` event
 * (the WsException's error, else Nest's generic one): Nest never calls the ack when a guard throws, so a
 * client waiting on it would otherwise wait for its own timeout.
 */
export function answerWsAck(ctx: ExecutionContext, error: Error): void {
  const ack: unknown = ctx.getArgByIndex(2);
  if (typeof ack !== 'function') return;
  const withError = error as Error & { getError?: () => unknown };
  const wsError = typeof withError.getError === 'function' ? withError.getError() : undefined;
  if (wsError === undefined) ack({ status: 'error', message: 'Internal server error' });
  else ack(wsError !== null && typeof wsError === 'object' ? wsError : { status: 'error', message: wsError });
}
