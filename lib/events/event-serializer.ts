import type { Impression } from '../engine/types';
import type { EventRecord } from './event-envelope.interface';
import { RecentCache } from './recent-cache';
import type { SdkInfo } from './sdk-info';

/** Distinct strings (visitor ids, user agents, IPs, event names) whose JSON text is kept. */
const QUOTED_CACHE_SIZE = 10_000;
/** Campaigns whose impressions' `event.props` texts are kept; settings bound them. */
const IMPRESSION_CACHE_SIZE = 1_000;

/** JSON text of a value; number ids and times skip JSON.stringify (same text for finite numbers). */
function json(value: unknown): string {
  return typeof value === 'number' && Number.isFinite(value) ? String(value) : JSON.stringify(value);
}

/** `,"key":value`, or nothing when JSON would drop the member (undefined, functions). */
function member(quotedKey: string, value: unknown): string {
  const text = json(value);
  return text === undefined ? '' : `,${quotedKey}:${text}`;
}

/**
 * Writes queued events as VWO's envelope JSON (network.md §4.2), byte for byte what JSON.stringify gives
 * for the envelope object VWO's SDK builds, from string templates: only caller strings are escaped.
 * A batch is serialised on the sending path for every event, so the parts that repeat (quoted visitor
 * ids and names, an impression's `event.props`) are memoised and a body is joined flat in one pass
 * (a rope of thousands of pieces costs more to flatten and encode than to build).
 */
export class EventSerializer {
  /** The SDK's own members of `event.props`, first in every event. */
  private readonly sdkProps: string;
  private readonly envKey: string;
  private readonly commonVisitorProps: string;
  private readonly quoted = new RecentCache<string, string>(QUOTED_CACHE_SIZE, (s) => JSON.stringify(s));
  /** campaignId → variationId → `event.props` of a (non-holdout) impression. */
  private readonly impressionProps = new Map<Impression['campaignId'], Map<Impression['variationId'], string>>();

  constructor(sdkKey: string, sdk: SdkInfo) {
    this.envKey = JSON.stringify(sdkKey);
    this.sdkProps = `"vwo_sdkName":${JSON.stringify(sdk.name)},"vwo_sdkVersion":${JSON.stringify(sdk.version)},"vwo_envKey":${this.envKey}`;
    this.commonVisitorProps = `{"vwo_fs_environment":${this.envKey}}`;
  }

  /** The `{"d":…}` body of one event. */
  serialise(r: EventRecord): string {
    const visId = this.quote(r.visId);
    // msgId is `<visId>-<time>`: the digits need no escaping, so it reuses the quoted visId.
    const msgId = `${visId.slice(0, -1)}-${r.time}"`;
    return (
      `{"d":{"msgId":${msgId},"visId":${visId}${member('"sessionId"', r.sessionId)},` +
      `"visitor_ua":${this.quote(r.userAgent)},"visitor_ip":${this.quote(r.ipAddress)},` +
      `"event":{"props":${this.eventProps(r)},"name":${this.quote(r.name)},"time":${r.time}},` +
      `"visitor":{"props":${r.visitorProps ?? this.visitorProps(r)}}}}`
    );
  }

  /** `{"ev":[…]}` of a batch request (§5.1), as one flat string. */
  batchBody(records: readonly EventRecord[]): string {
    const parts = new Array<string>(records.length);
    for (let i = 0; i < records.length; i++) parts[i] = this.serialise(records[i]);
    return `{"ev":[${parts.join(',')}]}`;
  }

  /** JSON string text; the empty string and recently seen values skip JSON.stringify. */
  private quote(value: string): string {
    if (value === '') return '""';
    return typeof value === 'string' ? this.quoted.get(value) : JSON.stringify(value);
  }

  private eventProps(r: EventRecord): string {
    if (r.eventProps !== undefined) return r.eventProps;
    const i = r.impression;
    if (!i) return `{${this.sdkProps}}`;
    if (i.isHoldout === true) return this.writeImpressionProps(i);
    let byVariation = this.impressionProps.get(i.campaignId);
    if (byVariation === undefined) {
      // Settings bound the shapes; a very long-lived service that saw too many starts over.
      if (this.impressionProps.size >= IMPRESSION_CACHE_SIZE) this.impressionProps.clear();
      byVariation = new Map();
      this.impressionProps.set(i.campaignId, byVariation);
    }
    let text = byVariation.get(i.variationId);
    if (text === undefined) {
      text = this.writeImpressionProps(i);
      byVariation.set(i.variationId, text);
    }
    return text;
  }

  private writeImpressionProps(i: Impression): string {
    const fId = i.isHoldout === true ? member('"fId"', i.featureId) : '';
    return `{${this.sdkProps}${member('"id"', i.campaignId)}${member('"variation"', i.variationId)},"isFirst":1${fId}}`;
  }

  /** Impressions outside holdouts repeat a known IP here (§4.4). */
  private visitorProps(r: EventRecord): string {
    const visibleIp = r.impression && r.impression.isHoldout !== true && r.ipAddress;
    return visibleIp ? `{"vwo_fs_environment":${this.envKey},"ip":${this.quote(r.ipAddress)}}` : this.commonVisitorProps;
  }
}
