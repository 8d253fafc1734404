import type { Impression } from '../engine/types';

/** The `{ d: … }` body of one VWO event, key order as VWO's SDK emits it (docs/events.md). */
export interface EventEnvelope {
  d: {
    msgId: string;
    visId: string;
    sessionId: number;
    visitor_ua: string;
    visitor_ip: string;
    event: { props: Record<string, unknown>; name: string; time: number };
    visitor?: { props: Record<string, unknown> };
  };
}

/**
 * One event as it waits in the queue: the few values its envelope, `/events/t` query and headers need.
 * The JSON is written only when the event is sent (EventSerializer), off the caller's path.
 */
export interface EventRecord {
  readonly name: string;
  readonly visId: string;
  readonly sessionId: number;
  /** Epoch ms: `event.time` and the suffix of `msgId`. */
  readonly time: number;
  readonly userAgent: string;
  readonly ipAddress: string;
  /** Visitor events carry X-Device-User-Agent / VWO-X-Forwarded-For; SDK-level events do not. */
  readonly visitorHeaders: boolean;
  /** `vwo_variationShown`: the rule shown; its members follow the SDK's own in `event.props`. */
  readonly impression?: Impression;
  /**
   * `event.props` / `visitor.props` as JSON, written when the event is built because they hold caller data
   * (custom properties, attributes, post-segmentation variables). Absent: the serializer writes the common
   * forms itself (SDK members, then the impression's; `vwo_fs_environment`, then a visible impression's IP).
   */
  readonly eventProps?: string;
  /** `''`: the envelope has no `visitor` object at all (`vwo_sdkUsageStats`). */
  readonly visitorProps?: string;
}

export const EVENT_VARIATION_SHOWN = 'vwo_variationShown';
export const EVENT_SYNC_VISITOR_PROP = 'vwo_syncVisitorProp';
export const EVENT_SDK_INIT = 'vwo_fmeSdkInit';
export const EVENT_TRACK_USAGE = 'vwo_feTrackUsage';
export const EVENT_USAGE_STATS = 'vwo_sdkUsageStats';
