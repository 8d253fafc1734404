/** The `{ d: … }` body of one VWO event, key order as VWO's SDK emits it (network.md §4.2). */
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

/** One event ready to go: its body, plus what its `/events/t` query and headers need. */
export interface OutgoingEvent {
  name: string;
  envelope: EventEnvelope;
  userAgent: string;
  ipAddress: string;
  /** Visitor events carry X-Device-User-Agent / VWO-X-Forwarded-For; SDK-level events do not. */
  visitorHeaders: boolean;
}

export const EVENT_VARIATION_SHOWN = 'vwo_variationShown';
export const EVENT_SYNC_VISITOR_PROP = 'vwo_syncVisitorProp';
export const EVENT_SDK_INIT = 'vwo_fmeSdkInit';
export const EVENT_TRACK_USAGE = 'vwo_feTrackUsage';
