import type { Impression } from '../engine/types';
import { EVENT_VARIATION_SHOWN, type EventRecord } from './event-envelope.interface';
import { RecentCache } from './recent-cache';
import type { SdkInfo } from '../sdk-info';

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

/** True when every UTF-16 unit is ASCII, so the text's Latin-1 bytes are its UTF-8 bytes. */
function isAscii(text: string): boolean {
  return ASCII.test(text);
}
const ASCII = /^[\x00-\x7f]*$/;

/** A caller string as JSON text, and whether that text is all ASCII. */
interface Quoted {
  json: string;
  ascii: boolean;
}

/** The texts around a visitor id that every envelope of that visitor repeats. */
interface VisitorTexts {
  /** `{"d":{"msgId":"<visId>-`: msgId is `<visId>-<time>`, whose digits need no escaping. */
  head: string;
  /** `","visId":"<visId>"`. */
  visId: string;
  ascii: boolean;
}

/**
 * Writes queued events as VWO's envelope JSON (docs/events.md), byte for byte what JSON.stringify gives
 * for the envelope object VWO's SDK builds, from string templates: only caller strings are escaped.
 * A batch is serialised on the sending path for every event, so what repeats is kept as ready text (a
 * visitor's id parts, quoted user agents and IPs, an impression's `event.props` with the name after it,
 * the current time's digits), and a body is appended to one string, flattened once when it is written
 * (cheaper in V8 than joining a string per event).
 */
export class EventSerializer {
  /** The SDK's own members of `event.props`, first in every event. */
  private readonly sdkProps: string;
  private readonly envKey: string;
  /** `},"visitor":{"props":{"vwo_fs_environment":<key>}}}}`: how most envelopes end. */
  private readonly commonTail: string;
  private readonly visitors = new RecentCache<string, VisitorTexts>(QUOTED_CACHE_SIZE, (visId) => {
    const quoted = JSON.stringify(visId);
    return { head: `{"d":{"msgId":${quoted.slice(0, -1)}-`, visId: `","visId":${quoted}`, ascii: isAscii(visId) };
  });
  private readonly quoted = new RecentCache<string, Quoted>(QUOTED_CACHE_SIZE, (s) => ({ json: JSON.stringify(s), ascii: isAscii(s) }));
  /** The SDK's own texts (key, name, version) are ASCII: then so is a body whose caller texts are. */
  private readonly sdkAscii: boolean;
  /** Whether what was written since the last reset is all ASCII (then its bytes are a plain copy). */
  private ascii = true;
  /** campaignId → variationId → `event.props` of a (non-holdout) impression. */
  private readonly impressionProps = new Map<Impression['campaignId'], Map<Impression['variationId'], string>>();
  /** Events of one batch mostly share a millisecond and a second: their digits are written once. */
  private lastTime = NaN;
  private lastTimeText = '';
  private lastSession = NaN;
  private lastSessionText = '';

  constructor(sdkKey: string, sdk: SdkInfo) {
    this.envKey = JSON.stringify(sdkKey);
    this.sdkProps = `"vwo_sdkName":${JSON.stringify(sdk.name)},"vwo_sdkVersion":${JSON.stringify(sdk.version)},"vwo_envKey":${this.envKey}`;
    this.commonTail = `},"visitor":{"props":{"vwo_fs_environment":${this.envKey}}}}}`;
    this.sdkAscii = isAscii(this.sdkProps);
  }

  /** The `{"d":…}` body of one event. */
  serialise(r: EventRecord): string {
    this.ascii = this.sdkAscii;
    return this.append('', r);
  }

  /**
   * `{"ev":[…]}` of a batch request as the UTF-8 bytes sent. A body of ASCII text (the usual case: ids,
   * hex visitor ids, numbers) is copied as Latin-1, several times cheaper than encoding it as UTF-8.
   */
  batchBytes(records: readonly EventRecord[]): Buffer {
    const body = this.batchBody(records);
    return Buffer.from(body, this.ascii ? 'latin1' : 'utf8');
  }

  /** `{"ev":[…]}` of a batch request (docs/events.md), as one string. */
  batchBody(records: readonly EventRecord[]): string {
    this.ascii = this.sdkAscii;
    let body = '{"ev":[';
    for (let i = 0; i < records.length; i++) {
      if (i > 0) body += ',';
      body = this.append(body, records[i]);
    }
    return body + ']}';
  }

  /** `out` followed by the envelope of `r`: nine pieces in the common case (no user agent or IP). */
  private append(out: string, r: EventRecord): string {
    const visitor = this.visitors.get(r.visId);
    if (!visitor.ascii) this.ascii = false;
    const time = this.timeText(r.time);
    out += visitor.head;
    out += time;
    out += visitor.visId;
    out += this.sessionMember(r.sessionId);
    out += r.userAgent === '' ? NO_UA : `,"visitor_ua":${this.quote(r.userAgent)}`;
    out += r.ipAddress === '' ? NO_IP_THEN_PROPS : `,"visitor_ip":${this.quote(r.ipAddress)},"event":{"props":`;
    out += this.propsAndName(r);
    out += time;
    if (r.visitorProps === undefined) out += this.visitorPropsTail(r);
    else out += r.visitorProps === '' ? '}}}' : `},"visitor":{"props":${this.callerText(r.visitorProps)}}}}`;
    return out;
  }

  private timeText(time: number): string {
    if (time !== this.lastTime) {
      this.lastTime = time;
      this.lastTimeText = String(time);
    }
    return this.lastTimeText;
  }

  private sessionMember(sessionId: number): string {
    if (typeof sessionId !== 'number' || !Number.isFinite(sessionId)) return this.callerText(member('"sessionId"', sessionId));
    if (sessionId !== this.lastSession) {
      this.lastSession = sessionId;
      this.lastSessionText = `,"sessionId":${sessionId}`;
    }
    return this.lastSessionText;
  }

  /** JSON string text; the empty string and recently seen values skip JSON.stringify. */
  private quote(value: string): string {
    if (value === '') return '""';
    if (typeof value !== 'string') return this.callerText(JSON.stringify(value));
    const quoted = this.quoted.get(value);
    if (!quoted.ascii) this.ascii = false;
    return quoted.json;
  }

  /** A text written as is (caller JSON): noted when it is not all ASCII. */
  private callerText(text: string): string {
    if (this.ascii && text !== undefined && !isAscii(text)) this.ascii = false;
    return text;
  }

  /** `event.props`, then `,"name":"<name>","time":`; kept whole for impressions, which all share a name. */
  private propsAndName(r: EventRecord): string {
    const i = r.impression;
    if (r.eventProps !== undefined || !i || i.isHoldout === true || r.name !== EVENT_VARIATION_SHOWN) {
      return `${this.callerText(this.eventProps(r))},"name":${this.quote(r.name)},"time":`;
    }
    let byVariation = this.impressionProps.get(i.campaignId);
    if (byVariation === undefined) {
      // Settings bound the shapes; a very long-lived service that saw too many starts over.
      if (this.impressionProps.size >= IMPRESSION_CACHE_SIZE) this.impressionProps.clear();
      byVariation = new Map();
      this.impressionProps.set(i.campaignId, byVariation);
    }
    let text = byVariation.get(i.variationId);
    if (text === undefined) {
      text = `${this.writeImpressionProps(i)},"name":${JSON.stringify(EVENT_VARIATION_SHOWN)},"time":`;
      // Ids are numbers or ASCII in practice; any other text is checked each time instead of kept.
      if (!isAscii(text)) return this.callerText(text);
      byVariation.set(i.variationId, text);
    }
    return text;
  }

  private eventProps(r: EventRecord): string {
    if (r.eventProps !== undefined) return r.eventProps;
    const i = r.impression;
    return i ? this.writeImpressionProps(i) : `{${this.sdkProps}}`;
  }

  private writeImpressionProps(i: Impression): string {
    const fId = i.isHoldout === true ? member('"fId"', i.featureId) : '';
    return `{${this.sdkProps}${member('"id"', i.campaignId)}${member('"variation"', i.variationId)},"isFirst":1${fId}}`;
  }

  /** The end of an envelope: `visitor.props` (impressions outside holdouts repeat a known IP, docs/events.md). */
  private visitorPropsTail(r: EventRecord): string {
    const visibleIp = r.impression && r.impression.isHoldout !== true && r.ipAddress;
    if (!visibleIp) return this.commonTail;
    return `},"visitor":{"props":{"vwo_fs_environment":${this.envKey},"ip":${this.quote(r.ipAddress)}}}}}`;
  }
}

const NO_UA = ',"visitor_ua":""';
const NO_IP_THEN_PROPS = ',"visitor_ip":"","event":{"props":';
