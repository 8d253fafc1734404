import type { Impression, VWOUserContext } from '../engine/types';
import { sessionIdOf } from '../engine/visitor';
import { RecentCache } from './recent-cache';
import type { SdkInfo } from './sdk-info';
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

interface Visitor {
  visId: string;
  sessionId: number;
  userAgent: string;
  ipAddress: string;
}

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
    if (impression.isHoldout !== true) {
      return record(EVENT_VARIATION_SHOWN, this.visitor(context, time), time, true, impression, undefined, this.postSegmentationProps(context));
    }
    // Holdout payloads always use the computed id and the current time (VWO's behaviour, docs/events.md).
    const visitor = { ...this.visitor(context, time), visId: getUUID(context.id, this.accountId), sessionId: seconds(time) };
    return record(EVENT_VARIATION_SHOWN, visitor, time, true, impression, undefined, undefined);
  }

  /** A custom event named after a metric (docs/events.md); user properties come last and may override. */
  customEvent(eventName: string, context: VWOUserContext, properties?: Record<string, unknown>): EventRecord {
    const time = this.now();
    const props = Object.assign(this.sdkProps(), { isCustomEvent: true, variation: 1, id: 1 }, properties);
    return record(eventName, this.visitor(context, time), time, true, undefined, JSON.stringify(props), undefined);
  }

  /** `vwo_syncVisitorProp` carrying all attributes in `d.visitor.props` (docs/events.md). */
  syncVisitorProps(attributes: Record<string, string | number | boolean>, context: VWOUserContext): EventRecord {
    const time = this.now();
    const visitorProps = JSON.stringify(Object.assign({ vwo_fs_environment: this.sdkKey }, attributes));
    return record(EVENT_SYNC_VISITOR_PROP, this.visitor(context, time), time, true, undefined, this.syncEventProps, visitorProps);
  }

  /** `vwo_feTrackUsage`: the monthly-active-user signal of a getFlag that fired no impression (docs/events.md). */
  trackUsage(context: VWOUserContext, time = this.now()): EventRecord {
    return record(EVENT_TRACK_USAGE, this.visitor(context, time), time, true, undefined, undefined, undefined);
  }

  /** `vwo_fmeSdkInit`, sent as the SDK-level visitor `<accountId>_<sdkKey>` (docs/events.md). */
  sdkInit(timing: SdkInitTiming = {}): EventRecord {
    const time = this.now();
    const visitor: Visitor = {
      visId: getUUID(sdkUserId(this.accountId, this.sdkKey), this.accountId),
      sessionId: seconds(time),
      userAgent: '',
      ipAddress: '',
    };
    const props = Object.assign(this.sdkProps(), {
      vwo_fs_environment: this.sdkKey,
      product: 'fme',
      data: { isSDKInitialized: true, settingsFetchTime: timing.settingsFetchTime ?? 0, sdkInitTime: timing.sdkInitTime ?? 0 },
    });
    return record(EVENT_SDK_INIT, visitor, time, false, undefined, JSON.stringify(props), undefined);
  }

  /**
   * `vwo_sdkUsageStats` (docs/events.md): the SDK-level visitor hashed in VWO's usage-stats account, no SDK key in the
   * props and no `visitor` object.
   */
  usageStats(usageStatsAccountId: string | number, vwoMeta: Record<string, unknown>): EventRecord {
    const time = this.now();
    const visitor: Visitor = {
      visId: getUUID(sdkUserId(this.accountId, this.sdkKey), usageStatsAccountId),
      sessionId: seconds(time),
      userAgent: '',
      ipAddress: '',
    };
    const props = { vwo_sdkName: this.sdk.name, vwo_sdkVersion: this.sdk.version, product: 'fme', vwoMeta };
    return record(EVENT_USAGE_STATS, visitor, time, false, undefined, JSON.stringify(props), '');
  }

  private visitor(context: VWOUserContext, time: number): Visitor {
    return {
      visId: explicitVisitorId(context) ?? this.visitorIds.get(String(context.id)),
      sessionId: sessionIdOf(context, time),
      userAgent: context.userAgent ?? '',
      ipAddress: context.ipAddress ?? '',
    };
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
  visitor: Visitor,
  time: number,
  visitorHeaders: boolean,
  impression: Impression | undefined,
  eventProps: string | undefined,
  visitorProps: string | undefined,
): EventRecord {
  return {
    name,
    visId: visitor.visId,
    sessionId: visitor.sessionId,
    time,
    userAgent: visitor.userAgent,
    ipAddress: visitor.ipAddress,
    visitorHeaders,
    impression,
    eventProps,
    visitorProps,
  };
}
