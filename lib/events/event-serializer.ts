import type { EventRecord } from './event-envelope.interface';
import type { SdkInfo } from './sdk-info';

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
 */
export class EventSerializer {
  /** The SDK's own members of `event.props`, first in every event. */
  private readonly sdkProps: string;
  private readonly envKey: string;

  constructor(sdkKey: string, sdk: SdkInfo) {
    this.envKey = JSON.stringify(sdkKey);
    this.sdkProps = `"vwo_sdkName":${JSON.stringify(sdk.name)},"vwo_sdkVersion":${JSON.stringify(sdk.version)},"vwo_envKey":${this.envKey}`;
  }

  /** The `{"d":…}` body of one event. */
  serialise(r: EventRecord): string {
    const visId = JSON.stringify(r.visId);
    // msgId is `<visId>-<time>`: the digits need no escaping, so it reuses the quoted visId.
    const msgId = `${visId.slice(0, -1)}-${r.time}"`;
    return (
      `{"d":{"msgId":${msgId},"visId":${visId}${member('"sessionId"', r.sessionId)},` +
      `"visitor_ua":${JSON.stringify(r.userAgent)},"visitor_ip":${JSON.stringify(r.ipAddress)},` +
      `"event":{"props":${this.eventProps(r)},"name":${JSON.stringify(r.name)},"time":${r.time}},` +
      `"visitor":{"props":${r.visitorProps ?? this.visitorProps(r)}}}}`
    );
  }

  /** `{"ev":[…]}` of a batch request (§5.1). */
  batchBody(records: readonly EventRecord[]): string {
    let body = '{"ev":[';
    for (let i = 0; i < records.length; i++) body += (i ? ',' : '') + this.serialise(records[i]);
    return body + ']}';
  }

  private eventProps(r: EventRecord): string {
    if (r.eventProps !== undefined) return r.eventProps;
    const i = r.impression;
    if (!i) return `{${this.sdkProps}}`;
    const fId = i.isHoldout === true ? member('"fId"', i.featureId) : '';
    return `{${this.sdkProps}${member('"id"', i.campaignId)}${member('"variation"', i.variationId)},"isFirst":1${fId}}`;
  }

  /** Impressions outside holdouts repeat a known IP here (§4.4). */
  private visitorProps(r: EventRecord): string {
    const ip = r.impression && r.impression.isHoldout !== true && r.ipAddress ? member('"ip"', r.ipAddress) : '';
    return `{"vwo_fs_environment":${this.envKey}${ip}}`;
  }
}
