import type { Impression } from '../engine/types';
import { EVENT_VARIATION_SHOWN, type EventRecord } from './event-envelope.interface';
import { RecentCache } from './recent-cache';
import type { SdkInfo } from '../sdk-info';

/** Distinct strings (visitor ids, user agents, IPs, event names) whose JSON bytes are kept. */
const QUOTED_CACHE_SIZE = 10_000;
/** Campaigns whose impressions' `event.props` bytes are kept; settings bound them. */
const IMPRESSION_CACHE_SIZE = 1_000;
const RECENT_SHAPES = 4;
/** Bytes an event is first expected to take (then: the last batch's average, and some). */
const FIRST_EVENT_BYTES = 512;

/** JSON text of a value; number ids and times skip JSON.stringify (same text for finite numbers). */
function json(value: unknown): string {
  return typeof value === 'number' && Number.isFinite(value) ? String(value) : JSON.stringify(value);
}

/** `,"key":value`, or nothing when JSON would drop the member (undefined, functions). */
function member(quotedKey: string, value: unknown): string {
  const text = json(value);
  return text === undefined ? '' : `,${quotedKey}:${text}`;
}

function utf8(text: string): Buffer {
  return Buffer.from(text, 'utf8');
}

/** The bytes around a visitor id that every envelope of that visitor repeats. */
interface VisitorBytes {
  /** `{"d":{"msgId":"<visId>-`: msgId is `<visId>-<time>`, whose digits need no escaping. */
  head: Buffer;
  /** `","visId":"<visId>"`. */
  visId: Buffer;
}

const NO_UA = utf8(',"visitor_ua":""');
const UA = utf8(',"visitor_ua":');
const NO_UA_NO_IP_THEN_PROPS = utf8(',"visitor_ua":"","visitor_ip":"","event":{"props":');
const NO_IP_THEN_PROPS = utf8(',"visitor_ip":"","event":{"props":');
const IP = utf8(',"visitor_ip":');
const THEN_PROPS = utf8(',"event":{"props":');
const NAME = utf8(',"name":');
const TIME = utf8(',"time":');
/** `}}}`: closes an envelope with no `visitor` (or its caller-written props). */
const NO_VISITOR_END = utf8('}}}');
const VISITOR_PROPS = utf8('},"visitor":{"props":');
const END = utf8('}}}}');
const EMPTY_STRING = utf8('""');
const COMMA = utf8(',');
const BATCH_HEAD = utf8('{"ev":[');
const BATCH_END = utf8(']}');
const EMPTY = Buffer.alloc(0);

/**
 * Writes queued events as VWO's envelope JSON (docs/events.md), byte for byte what JSON.stringify gives
 * for the envelope object VWO's SDK builds, from templates: only caller strings are escaped. A batch is
 * serialised on the sending path for every event, so what repeats is kept as ready UTF-8 bytes (a
 * visitor's id parts, quoted user agents and IPs, an impression's `event.props` with the name after it,
 * the current time's digits), copied into one scratch buffer: no string is built per event, and no
 * joined text has to be flattened and encoded again.
 */
export class EventSerializer {
  /** The SDK's own members of `event.props`, first in every event. */
  private readonly sdkProps: string;
  private readonly envKey: string;
  /** `},"visitor":{"props":{"vwo_fs_environment":<key>}}}}`: how most envelopes end. */
  private readonly commonTail: Buffer;
  /** `},"visitor":{"props":{"vwo_fs_environment":<key>,"ip":`: the end of an impression with an IP. */
  private readonly ipTail: Buffer;
  private readonly visitors = new RecentCache<string, VisitorBytes>(QUOTED_CACHE_SIZE, (visId) => {
    const quoted = JSON.stringify(visId);
    return { head: utf8(`{"d":{"msgId":${quoted.slice(0, -1)}-`), visId: utf8(`","visId":${quoted}`) };
  });
  private readonly quoted = new RecentCache<string, Buffer>(QUOTED_CACHE_SIZE, (s) => utf8(JSON.stringify(s)));
  /** campaignId → variationId → `event.props` of a (non-holdout) impression, `,"name":…,"time":` after it. */
  private readonly impressionProps = new Map<Impression['campaignId'], Map<Impression['variationId'], Buffer>>();
  /** The last RECENT_SHAPES impression shapes looked up (one decision's impressions come in a row). */
  private readonly recentProps: Array<{ campaignId: unknown; variationId: unknown; bytes: Buffer }> = [];
  private recentNext = 0;
  /** The body being written, sized from the events' expected size (grown if they are larger). */
  private out = EMPTY;
  private pos = 0;
  private eventBytes = FIRST_EVENT_BYTES;
  /**
   * The record written last and where its envelope's start (up to `event.props`) lies in `out`: the next record
   * of the same visitor, time, session, user agent and IP (the other impressions of one decision) copies it.
   */
  private previous: EventRecord | undefined;
  private prefixStart = 0;
  private prefixEnd = 0;
  /** Events of one batch mostly share a millisecond and a second: their digits are written once. */
  private lastTime = NaN;
  private timeBytes: Buffer = Buffer.alloc(0);
  /** A time's digits are written at the end of this buffer; `timeViews[i]` is the buffer from byte i. */
  private readonly timeDigits = Buffer.alloc(32);
  private readonly timeViews: Buffer[] = [];
  private lastSession = NaN;
  private sessionBytes: Buffer = Buffer.alloc(0);

  constructor(sdkKey: string, sdk: SdkInfo) {
    this.envKey = JSON.stringify(sdkKey);
    this.sdkProps = `"vwo_sdkName":${JSON.stringify(sdk.name)},"vwo_sdkVersion":${JSON.stringify(sdk.version)},"vwo_envKey":${this.envKey}`;
    this.commonTail = utf8(`},"visitor":{"props":{"vwo_fs_environment":${this.envKey}}}}}`);
    this.ipTail = utf8(`},"visitor":{"props":{"vwo_fs_environment":${this.envKey},"ip":`);
  }

  /** The `{"d":…}` body of one event. */
  serialise(r: EventRecord): string {
    this.begin(1);
    this.append(r);
    return this.finish().toString('utf8');
  }

  /** `{"ev":[…]}` of a batch request as the UTF-8 bytes sent (a buffer of its own). */
  batchBytes(records: readonly EventRecord[]): Buffer {
    this.begin(records.length);
    this.put(BATCH_HEAD);
    for (let i = 0; i < records.length; i++) {
      if (i > 0) this.put(COMMA);
      this.append(records[i]);
    }
    this.put(BATCH_END);
    if (records.length > 0) this.eventBytes = Math.ceil((this.pos / records.length) * 1.125);
    return this.finish();
  }

  /** `{"ev":[…]}` of a batch request (docs/events.md), as one string. */
  batchBody(records: readonly EventRecord[]): string {
    return this.batchBytes(records).toString('utf8');
  }

  private begin(events: number): void {
    this.out = Buffer.allocUnsafe(events * this.eventBytes + 16);
    this.pos = 0;
    this.previous = undefined;
  }

  /** The body written, left to the caller. */
  private finish(): Buffer {
    const body = this.out.subarray(0, this.pos);
    this.out = EMPTY;
    this.previous = undefined;
    return body;
  }

  /** The envelope of `r`: eight copies in the common case (no user agent or IP), five when it repeats the last one's visitor. */
  private append(r: EventRecord): void {
    const time = this.timeOf(r.time);
    const p = this.previous;
    if (p !== undefined && r.visId === p.visId && r.time === p.time && r.sessionId === p.sessionId && r.userAgent === p.userAgent && r.ipAddress === p.ipAddress) {
      this.repeatPrefix();
    } else {
      const start = this.pos;
      this.prefix(r, time);
      this.prefixStart = start;
      this.prefixEnd = this.pos;
    }
    this.previous = r;
    this.propsAndName(r);
    this.put(time);
    if (r.visitorProps === undefined) this.visitorPropsTail(r);
    else if (r.visitorProps === '') this.put(NO_VISITOR_END);
    else {
      this.put(VISITOR_PROPS);
      this.putText(r.visitorProps);
      this.put(NO_VISITOR_END);
    }
  }

  /** `{"d":{"msgId":…` up to `"event":{"props":`. */
  private prefix(r: EventRecord, time: Buffer): void {
    const visitor = this.visitors.get(r.visId);
    this.put(visitor.head);
    this.put(time);
    this.put(visitor.visId);
    this.sessionMember(r.sessionId);
    if (r.userAgent === '' && r.ipAddress === '') {
      this.put(NO_UA_NO_IP_THEN_PROPS);
    } else {
      if (r.userAgent === '') this.put(NO_UA);
      else this.putPair(UA, this.quote(r.userAgent));
      if (r.ipAddress === '') {
        this.put(NO_IP_THEN_PROPS);
      } else {
        this.putPair(IP, this.quote(r.ipAddress));
        this.put(THEN_PROPS);
      }
    }
  }

  private repeatPrefix(): void {
    const length = this.prefixEnd - this.prefixStart;
    const end = this.pos + length;
    if (end > this.out.length) this.grow(end);
    this.out.copyWithin(this.pos, this.prefixStart, this.prefixEnd);
    this.prefixStart = this.pos;
    this.prefixEnd = end;
    this.pos = end;
  }

  /** The digits of `time` (kept while events share it). */
  private timeOf(time: number): Buffer {
    if (time !== this.lastTime) {
      this.lastTime = time;
      this.timeBytes = Number.isSafeInteger(time) && time >= 0 ? this.digits(time) : utf8(String(time));
    }
    return this.timeBytes;
  }

  /**
   * String(n) of a non-negative safe integer, written from the end of the kept digits buffer: no allocation
   * per millisecond, and no double-to-string conversion (epoch milliseconds are not small integers).
   */
  private digits(n: number): Buffer {
    const d = this.timeDigits;
    let i = d.length;
    do {
      // Exact for safe integers: n / 10 is off by less than the smallest fraction (0.1) floor has to keep.
      const q = Math.floor(n / 10);
      d[--i] = 48 + (n - q * 10);
      n = q;
    } while (n > 0);
    return (this.timeViews[i] ??= d.subarray(i));
  }

  private sessionMember(sessionId: number): void {
    if (typeof sessionId !== 'number' || !Number.isFinite(sessionId)) return this.putText(member('"sessionId"', sessionId));
    if (sessionId !== this.lastSession) {
      this.lastSession = sessionId;
      this.sessionBytes = utf8(`,"sessionId":${sessionId}`);
    }
    this.put(this.sessionBytes);
  }

  /** JSON string bytes; the empty string and recently seen values skip JSON.stringify. */
  private quote(value: string): Buffer {
    if (value === '') return EMPTY_STRING;
    if (typeof value !== 'string') return utf8(`${JSON.stringify(value)}`);
    return this.quoted.get(value);
  }

  /** `event.props`, then `,"name":"<name>","time":`; kept whole for impressions, which all share a name. */
  private propsAndName(r: EventRecord): void {
    const i = r.impression;
    if (r.eventProps !== undefined || !i || i.isHoldout === true || r.name !== EVENT_VARIATION_SHOWN) {
      this.putText(this.eventProps(r));
      this.putPair(NAME, this.quote(r.name));
      this.put(TIME);
      return;
    }
    this.put(this.impressionBytes(i));
  }

  /** The kept `event.props` + name of an impression: the last few shapes first (no Map lookup), then the maps. */
  private impressionBytes(i: Impression): Buffer {
    const campaignId = i.campaignId;
    const variationId = i.variationId;
    const recent = this.recentProps;
    for (let k = 0; k < recent.length; k++) {
      const e = recent[k];
      if (e.campaignId === campaignId && e.variationId === variationId) return e.bytes;
    }
    let byVariation = this.impressionProps.get(campaignId);
    if (byVariation === undefined) {
      // Settings bound the shapes; a very long-lived service that saw too many starts over.
      if (this.impressionProps.size >= IMPRESSION_CACHE_SIZE) this.impressionProps.clear();
      byVariation = new Map();
      this.impressionProps.set(campaignId, byVariation);
    }
    let bytes = byVariation.get(variationId);
    if (bytes === undefined) {
      bytes = utf8(`${this.writeImpressionProps(i)},"name":${JSON.stringify(EVENT_VARIATION_SHOWN)},"time":`);
      byVariation.set(variationId, bytes);
    }
    recent[this.recentNext] = { campaignId, variationId, bytes };
    this.recentNext = (this.recentNext + 1) % RECENT_SHAPES;
    return bytes;
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
  private visitorPropsTail(r: EventRecord): void {
    const visibleIp = r.impression && r.impression.isHoldout !== true && r.ipAddress;
    if (!visibleIp) return this.put(this.commonTail);
    this.putPair(this.ipTail, this.quote(r.ipAddress));
    this.put(END);
  }

  private putPair(a: Uint8Array, b: Uint8Array): void {
    this.put(a);
    this.put(b);
  }

  private put(bytes: Uint8Array): void {
    const end = this.pos + bytes.length;
    if (end > this.out.length) this.grow(end);
    this.out.set(bytes, this.pos);
    this.pos = end;
  }

  /** Text with no kept bytes (caller JSON, odd values), encoded in place. */
  private putText(text: string): void {
    const most = this.pos + text.length * 3;
    if (most > this.out.length) this.grow(most);
    this.pos += this.out.write(text, this.pos, 'utf8');
  }

  private grow(needed: number): void {
    const next = Buffer.allocUnsafe(Math.max(needed, this.out.length * 2));
    this.out.copy(next, 0, 0, this.pos);
    this.out = next;
  }

}
