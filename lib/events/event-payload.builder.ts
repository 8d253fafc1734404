import type { Impression, VWOUserContext } from '../engine/types';
import { sessionIdOf } from '../engine/visitor';
import { RecentCache } from './recent-cache';
import type { SdkInfo } from '../sdk-info';
import { explicitVisitorId, getUUID, sdkUserId, userVisitorId } from './visitor-id';
import {
  EVENT_SDK_INIT,
  EVENT_SYNC_VISITOR_PROP,
  EVENT_TRACK_USAGE,
  EVENT_USAGE_STATS,
  EVENT_VARIATION_SHOWN,
  EventRecord,
} from './event-envelope.interface';

/** Timing figures of `vwo_fmeSdkInit` (ms). */
export interface SdkInitTiming {
  settingsFetchTime?: number;
  sdkInitTime?: number;
}

/** User ids whose visitor id (a SHA-1 chain, ~1 µs) is kept: a few hundred KB per account at most. */
export const VISITOR_ID_CACHE_SIZE = 10_000;

/**
 * Builds the records of VWO events (docs/events.md); EventSerializer writes their JSON.
 * Caller data that could change later (properties, attributes) is serialised here. Pure: no I/O, the
 * clock is injected.
 */
export class EventPayloadBuilder {
  private readonly visitorIds: RecentCache<string, string>;
  private readonly syncEventProps: string;

  constructor(
    private readonly sdkKey: string,
    private readonly accountId: string | number,
    private readonly sdk: SdkInfo,
    private readonly now: () => number = Date.now,
    visitorIdCacheSize = VISITOR_ID_CACHE_SIZE,
  ) {
    this.visitorIds = new RecentCache(visitorIdCacheSize, (userId) => userVisitorId(userId, accountId));
    this.syncEventProps = JSON.stringify({ ...this.sdkProps(), isCustomEvent: true, vwo_fs_environment: sdkKey });
  }

  /** `vwo_variationShown` for one rule the user was bucketed into (docs/events.md), at the decision's `time`. */
  impression(impression: Impression, context: VWOUserContext, time = this.now()): EventRecord {
    return this.impressions([impression], context, time)[0];
  }

  /**
   * The `vwo_variationShown` of every rule of one decision. Their visitor fields (id, session, post-segmentation
   * props) are the same for each: worked out once, on the first impression outside a holdout.
   */
  impressions(shown: readonly Impression[], context: VWOUserContext, time = this.now()): EventRecord[] {
    const out = new Array<EventRecord>(shown.length);
    const userAgent = context.userAgent ?? '';
    const ipAddress = context.ipAddress ?? '';
    let visId: string | undefined;
    let sessionId = 0;
    let visitorProps: string | undefined;
    for (let i = 0; i < shown.length; i++) {
      const impression = shown[i];
      if (impression.isHoldout === true) {
        // Holdout payloads always use the computed id and the current time (VWO's behaviour, docs/events.md).
        const holdoutId = getUUID(context.id, this.accountId);
        out[i] = record(EVENT_VARIATION_SHOWN, holdoutId, seconds(time), time, userAgent, ipAddress, true, impression, undefined, undefined);
        continue;
      }
      if (visId === undefined) {
        visId = this.visitorIdOf(context);
        sessionId = sessionIdOf(context, time);
        visitorProps = this.postSegmentationProps(context);
      }
      out[i] = record(EVENT_VARIATION_SHOWN, visId, sessionId, time, userAgent, ipAddress, true, impression, undefined, visitorProps);
    }
    return out;
  }

  /** A custom event named after a metric (docs/events.md); user properties come last and may override. */
  customEvent(eventName: string, context: VWOUserContext, properties?: Record<string, unknown>): EventRecord {
    const time = this.now();
    const props = Object.assign(this.sdkProps(), { isCustomEvent: true, variation: 1, id: 1 }, properties);
    return this.visitorRecord(eventName, context, time, JSON.stringify(props), undefined);
  }

  /** `vwo_syncVisitorProp` carrying all attributes in `d.visitor.props` (docs/events.md). */
  syncVisitorProps(attributes: Record<string, string | number | boolean>, context: VWOUserContext): EventRecord {
    const time = this.now();
    const visitorProps = JSON.stringify(Object.assign({ vwo_fs_environment: this.sdkKey }, attributes));
    return this.visitorRecord(EVENT_SYNC_VISITOR_PROP, context, time, this.syncEventProps, visitorProps);
  }

  /** `vwo_feTrackUsage`: the monthly-active-user signal of a getFlag that fired no impression (docs/events.md). */
  trackUsage(context: VWOUserContext, time = this.now()): EventRecord {
    return this.visitorRecord(EVENT_TRACK_USAGE, context, time, undefined, undefined);
  }

  /** `vwo_fmeSdkInit`, sent as the SDK-level visitor `<accountId>_<sdkKey>` (docs/events.md). */
  sdkInit(timing: SdkInitTiming = {}): EventRecord {
    const time = this.now();
    const visId = getUUID(sdkUserId(this.accountId, this.sdkKey), this.accountId);
    const props = Object.assign(this.sdkProps(), {
      vwo_fs_environment: this.sdkKey,
      product: 'fme',
      data: { isSDKInitialized: true, settingsFetchTime: timing.settingsFetchTime ?? 0, sdkInitTime: timing.sdkInitTime ?? 0 },
    });
    return record(EVENT_SDK_INIT, visId, seconds(time), time, '', '', false, undefined, JSON.stringify(props), undefined);
  }

  /**
   * `vwo_sdkUsageStats` (docs/events.md): the SDK-level visitor hashed in VWO's usage-stats account, no SDK key in the
   * props and no `visitor` object.
   */
  usageStats(usageStatsAccountId: string | number, vwoMeta: Record<string, unknown>): EventRecord {
    const time = this.now();
    const visId = getUUID(sdkUserId(this.accountId, this.sdkKey), usageStatsAccountId);
    const props = { vwo_sdkName: this.sdk.name, vwo_sdkVersion: this.sdk.version, product: 'fme', vwoMeta };
    return record(EVENT_USAGE_STATS, visId, seconds(time), time, '', '', false, undefined, JSON.stringify(props), '');
  }

  /** A visitor event (not an impression) of the user in `context`. */
  private visitorRecord(name: string, context: VWOUserContext, time: number, eventProps: string | undefined, visitorProps: string | undefined): EventRecord {
    const visId = this.visitorIdOf(context);
    return record(name, visId, sessionIdOf(context, time), time, context.userAgent ?? '', context.ipAddress ?? '', true, undefined, eventProps, visitorProps);
  }

  private visitorIdOf(context: VWOUserContext): string {
    return explicitVisitorId(context) ?? this.visitorIds.get(String(context.id));
  }

  private sdkProps(): Record<string, unknown> {
    return { vwo_sdkName: this.sdk.name, vwo_sdkVersion: this.sdk.version, vwo_envKey: this.sdkKey };
  }

  /**
   * `visitor.props` of an impression whose post-segmentation variables have truthy values (docs/events.md): those,
   * then the IP. Undefined when there are none (the serializer writes the common form).
   */
  private postSegmentationProps(context: VWOUserContext): string | undefined {
    const custom = context.customVariables;
    const keys = context.postSegmentationVariables;
    if (!custom || !keys || !keys.some((key) => custom[key])) return undefined;
    const props: Record<string, unknown> = { vwo_fs_environment: this.sdkKey };
    for (const key of keys) if (custom[key]) props[key] = custom[key];
    if (context.ipAddress) props.ip = context.ipAddress;
    return JSON.stringify(props);
  }
}

function seconds(ms: number): number {
  return Math.ceil(ms / 1000);
}

/** Every record has the same fields in the same order (one hidden class for the queue). */
function record(
  name: string,
  visId: string,
  sessionId: number,
  time: number,
  userAgent: string,
  ipAddress: string,
  visitorHeaders: boolean,
  impression: Impression | undefined,
  eventProps: string | undefined,
  visitorProps: string | undefined,
): EventRecord {
  return {
    name,
    visId,
    sessionId,
    time,
    userAgent,
    ipAddress,
    visitorHeaders,
    impression,
    eventProps,
    visitorProps,
  };
}
