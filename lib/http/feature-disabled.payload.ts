/** `extensions.code` of a GraphQL denial, `code` of an RPC or WebSocket one. */
export const FEATURE_DISABLED_CODE = 'FEATURE_DISABLED';

/** What a denied microservice or WebSocket client receives (the RpcException's / WsException's error). */
export interface FeatureDisabledPayload {
  status: 'error';
  code: typeof FEATURE_DISABLED_CODE;
  featureKey: string;
  message: string;
}

export function featureDisabledMessage(featureKey: string): string {
  return `Feature "${featureKey}" is not enabled`;
}

export function featureDisabledPayload(featureKey: string): FeatureDisabledPayload {
  return { status: 'error', code: FEATURE_DISABLED_CODE, featureKey, message: featureDisabledMessage(featureKey) };
}
