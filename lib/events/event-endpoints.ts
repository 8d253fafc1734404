import { vwoBaseUrl, type VWOHostOptions } from '../network/vwo-hosts';
import type { EventRecord } from './event-envelope.interface';
import type { SdkInfo } from '../sdk-info';

export const EVENTS_PATH = '/events/t';
export const BATCH_EVENTS_PATH = '/server-side/batch-events-v2';

/** What the `/events/t` query and headers of one event read. */
export type SingleEventTarget = Pick<EventRecord, 'name' | 'userAgent' | 'ipAddress' | 'visitorHeaders'>;

/** Where events go: scheme://host[:port], and whether that host is VWO's gateway service (docs/events.md). */
export interface CollectionHost {
  origin: string;
  viaGateway: boolean;
}

/** The settings' host (proxy, else gateway, else VWO); a gateway makes events go one by one even behind a proxy. */
export function resolveCollectionHost(options: VWOHostOptions): CollectionHost {
  return { origin: vwoBaseUrl(options), viaGateway: Boolean(options.gatewayService?.url) };
}

/** Query values are plain concatenated as VWO's client does; encoding keeps odd values from breaking the URL. */
function query(pairs: ReadonlyArray<readonly [string, string | number]>): string {
  return pairs.map(([k, v]) => `${k}=${typeof v === 'number' ? v : encodeURIComponent(v)}`).join('&');
}

/** Builds the `/events/t` and batch URLs of one collection host (docs/events.md). */
export class EventUrls {
  constructor(
    private readonly host: CollectionHost,
    private readonly accountId: string | number,
    private readonly sdkKey: string,
    private readonly sdk: SdkInfo,
    private readonly random: () => number = Math.random,
    private readonly now: () => number = Date.now,
  ) {}

  /** The collection prefix is not applied to `/events/t` behind a gateway (VWO ≥1.43.1). */
  single(event: SingleEventTarget, collectionPrefix?: string): string {
    const prefix = this.host.viaGateway ? '' : prefixPath(collectionPrefix);
    const q = query([
      ['en', event.name],
      ['a', String(this.accountId)],
      ['eTime', this.now()],
      ['random', this.random()],
      ['p', 'FS'],
      ['visitor_ua', event.userAgent],
      ['visitor_ip', event.ipAddress],
      ['sn', this.sdk.name],
      ['sv', this.sdk.version],
      ['env', this.sdkKey],
    ]);
    return `${this.host.origin}${prefix}${EVENTS_PATH}?${q}`;
  }

  /** `vwo_sdkUsageStats` goes to VWO's usage-stats account, without the SDK key, with "null" visitor fields (docs/events.md). */
  usageStats(usageStatsAccountId: string | number, collectionPrefix?: string): string {
    const prefix = this.host.viaGateway ? '' : prefixPath(collectionPrefix);
    const q = query([
      ['en', 'vwo_sdkUsageStats'],
      ['a', String(usageStatsAccountId)],
      ['eTime', this.now()],
      ['random', this.random()],
      ['p', 'FS'],
      ['visitor_ua', 'null'],
      ['visitor_ip', 'null'],
      ['sn', this.sdk.name],
      ['sv', this.sdk.version],
    ]);
    return `${this.host.origin}${prefix}${EVENTS_PATH}?${q}`;
  }

  batch(collectionPrefix?: string): string {
    const q = query([
      ['a', String(this.accountId)],
      ['env', this.sdkKey],
      ['sn', this.sdk.name],
      ['sv', this.sdk.version],
    ]);
    return `${this.host.origin}${prefixPath(collectionPrefix)}${BATCH_EVENTS_PATH}?${q}`;
  }
}

function prefixPath(prefix?: string): string {
  const trimmed = prefix?.replace(/^\/+|\/+$/g, '');
  return trimmed ? `/${trimmed}` : '';
}

/** Characters an HTTP header value may not hold (Node throws on them): controls, and anything past U+00FF. */
const UNSAFE_IN_HEADER = /[^\t\x20-\x7e\x80-\xff]/u;
const UNSAFE_IN_HEADER_ALL = /[^\t\x20-\x7e\x80-\xff]/gu;

/**
 * A header value Node will send: each unsafe code point becomes "?". VWO's client sends the raw value and so loses
 * the whole event for, say, a user agent with an emoji; here only the header is changed, the body keeps the value.
 */
export function headerSafe(value: string): string {
  return UNSAFE_IN_HEADER.test(value) ? value.replace(UNSAFE_IN_HEADER_ALL, '?') : value;
}

/** Headers of a single event (docs/events.md): visitor events add the UA and IP when known. */
export function singleEventHeaders(event: SingleEventTarget): Record<string, string> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (event.visitorHeaders && event.userAgent) headers['X-Device-User-Agent'] = headerSafe(event.userAgent);
  if (event.visitorHeaders && event.ipAddress) headers['VWO-X-Forwarded-For'] = headerSafe(event.ipAddress);
  return headers;
}

/** Headers of a batch (docs/events.md): the raw SDK key authorises it. */
export function batchHeaders(sdkKey: string): Record<string, string> {
  return { 'Content-Type': 'application/json', Authorization: sdkKey };
}
