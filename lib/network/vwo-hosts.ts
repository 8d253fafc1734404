import { DEFAULT_VWO_HOST } from '../vwo.constants';

/** VWO's gateway service, for location / user-agent targeting (docs/events.md). */
export interface VWOGatewayServiceOptions {
  /** Gateway URL, e.g. `https://gateway.example.com:8000`. A scheme-less host gets `protocol` (default https). */
  url: string;
  /** Port, when the URL has none. */
  port?: number;
  /** Scheme used when the URL has none. @default 'https' */
  protocol?: 'http' | 'https';
}

/** Where requests to VWO go, as configured. */
export interface VWOHostOptions {
  proxyUrl?: string;
  gatewayService?: VWOGatewayServiceOptions;
}

/**
 * scheme://host[:port] of a configured URL. Only scheme, host and port are kept (a path is dropped, as
 * VWO's SDK does); a scheme-less value gets `protocol` (default https), never a broken URL; `port` applies
 * when the URL has none.
 */
export function originOf(url: string, protocol = 'https', port?: number): string {
  const withScheme = /^https?:\/\//i.test(url) ? url : `${protocol}://${url}`;
  const parsed = new URL(withScheme);
  if (!parsed.port && port) parsed.port = String(port);
  return parsed.origin;
}

export function gatewayOrigin(gateway: VWOGatewayServiceOptions): string {
  return originOf(gateway.url, gateway.protocol, gateway.port);
}

/** Where settings and events go: the proxy, else the gateway, else VWO (docs/events.md). */
export function vwoBaseUrl(options: VWOHostOptions): string {
  if (options.proxyUrl) return originOf(options.proxyUrl);
  if (options.gatewayService?.url) return gatewayOrigin(options.gatewayService);
  return DEFAULT_VWO_HOST;
}
