import type { VWOGatewayServiceOptions, VWOModuleOptions } from '../options/vwo-module-options.interface';
import { DEFAULT_VWO_HOST } from '../vwo.constants';

/**
 * scheme://host[:port] of a configured URL. Only scheme, host and port are kept (a path is dropped, as
 * VWO's SDK does); a scheme-less value gets `protocol` (default https), never a broken URL.
 */
export function originOf(url: string, port?: number, protocol?: string): string {
  const withScheme = /^https?:\/\//i.test(url) ? url : `${protocol ?? 'https'}://${url}`;
  const parsed = new URL(withScheme);
  const effectivePort = parsed.port || (port !== undefined ? String(port) : '');
  return `${parsed.protocol}//${parsed.hostname}${effectivePort ? `:${effectivePort}` : ''}`;
}

export function gatewayOrigin(gateway: VWOGatewayServiceOptions): string {
  return originOf(gateway.url, gateway.port, gateway.protocol);
}

/** Where settings and events go: the proxy, else the gateway, else VWO (docs/events.md). */
export function vwoBaseUrl(options: Pick<VWOModuleOptions, 'proxyUrl' | 'gatewayService'>): string {
  if (options.proxyUrl) return originOf(options.proxyUrl);
  if (options.gatewayService) return gatewayOrigin(options.gatewayService);
  return DEFAULT_VWO_HOST;
}
