import type { Impression, VWOUserContext } from '../engine/types';
import type { SdkInfo } from './sdk-info';
import { getUUID, sdkUserId, visitorId } from './visitor-id';
import {
  EVENT_SDK_INIT,
  EVENT_SYNC_VISITOR_PROP,
  EVENT_TRACK_USAGE,
  EVENT_VARIATION_SHOWN,
  EventEnvelope,
  OutgoingEvent,
} from './event-envelope.interface';

/** Timing figures of `vwo_fmeSdkInit` (ms). */
export interface SdkInitTiming {
  settingsFetchTime?: number;
  sdkInitTime?: number;
}

interface EnvelopeParts {
  visId: string;
  sessionId: number;
  userAgent: string;
  ipAddress: string;
}

/** Builds VWO event bodies (network.md §4.2–§4.7, §4.10). Pure: no I/O, the clock is injected. */
export class EventPayloadBuilder {
  constructor(
    private readonly sdkKey: string,
    private readonly accountId: string | number,
    private readonly sdk: SdkInfo,
    private readonly now: () => number = Date.now,
  ) {}

  /** `vwo_variationShown` for one rule the user was bucketed into (§4.4). */
  impression(impression: Impression, context: VWOUserContext): OutgoingEvent {
    const holdout = impression.isHoldout === true;
    // Holdout payloads always use the computed id and the current time (VWO's behaviour, §4.4).
    const parts = holdout
      ? { ...this.visitorParts(context), visId: getUUID(context.id, this.accountId), sessionId: this.nowSeconds() }
      : this.visitorParts(context);
    const envelope = this.envelope(EVENT_VARIATION_SHOWN, parts);
    const props = envelope.d.event.props;
    props.id = impression.campaignId;
    props.variation = impression.variationId;
    props.isFirst = 1;
    if (holdout) props.fId = impression.featureId;
    else this.addVisitorProps(envelope, context);
    return this.outgoing(envelope, parts, true);
  }

  /** A custom event named after a metric (§4.5); user properties come last and may override. */
  customEvent(eventName: string, context: VWOUserContext, properties?: Record<string, unknown>): OutgoingEvent {
    const parts = this.visitorParts(context);
    const envelope = this.envelope(eventName, parts);
    Object.assign(envelope.d.event.props, { isCustomEvent: true, variation: 1, id: 1 }, properties);
    return this.outgoing(envelope, parts, true);
  }

  /** `vwo_syncVisitorProp` carrying all attributes in `d.visitor.props` (§4.6). */
  syncVisitorProps(attributes: Record<string, string | number | boolean>, context: VWOUserContext): OutgoingEvent {
    const parts = this.visitorParts(context);
    const envelope = this.envelope(EVENT_SYNC_VISITOR_PROP, parts);
    Object.assign(envelope.d.event.props, { isCustomEvent: true, vwo_fs_environment: this.sdkKey });
    Object.assign(envelope.d.visitor!.props, attributes);
    return this.outgoing(envelope, parts, true);
  }

  /** `vwo_feTrackUsage`: the monthly-active-user signal of a getFlag that fired no impression (§4.10). */
  trackUsage(context: VWOUserContext): OutgoingEvent {
    const parts = this.visitorParts(context);
    return this.outgoing(this.envelope(EVENT_TRACK_USAGE, parts), parts, true);
  }

  /** `vwo_fmeSdkInit`, sent as the SDK-level visitor `<accountId>_<sdkKey>` (§4.7). */
  sdkInit(timing: SdkInitTiming = {}): OutgoingEvent {
    const parts: EnvelopeParts = {
      visId: getUUID(sdkUserId(this.accountId, this.sdkKey), this.accountId),
      sessionId: this.nowSeconds(),
      userAgent: '',
      ipAddress: '',
    };
    const envelope = this.envelope(EVENT_SDK_INIT, parts);
    Object.assign(envelope.d.event.props, {
      vwo_fs_environment: this.sdkKey,
      product: 'fme',
      data: { isSDKInitialized: true, settingsFetchTime: timing.settingsFetchTime ?? 0, sdkInitTime: timing.sdkInitTime ?? 0 },
    });
    return this.outgoing(envelope, parts, false);
  }

  private visitorParts(context: VWOUserContext): EnvelopeParts {
    return {
      visId: visitorId(context, this.accountId),
      sessionId: context.sessionId ? context.sessionId : this.nowSeconds(),
      userAgent: context.userAgent ?? '',
      ipAddress: context.ipAddress ?? '',
    };
  }

  private envelope(name: string, parts: EnvelopeParts): EventEnvelope {
    return {
      d: {
        msgId: `${parts.visId}-${this.now()}`,
        visId: parts.visId,
        sessionId: parts.sessionId,
        visitor_ua: parts.userAgent,
        visitor_ip: parts.ipAddress,
        event: {
          props: { vwo_sdkName: this.sdk.name, vwo_sdkVersion: this.sdk.version, vwo_envKey: this.sdkKey },
          name,
          time: this.now(),
        },
        visitor: { props: { vwo_fs_environment: this.sdkKey } },
      },
    };
  }

  /** Post-segmentation variables with a truthy value, then the IP (§4.4). */
  private addVisitorProps(envelope: EventEnvelope, context: VWOUserContext): void {
    const props = envelope.d.visitor!.props;
    const custom = context.customVariables;
    if (custom && context.postSegmentationVariables) {
      for (const key of context.postSegmentationVariables) if (custom[key]) props[key] = custom[key];
    }
    if (context.ipAddress) props.ip = context.ipAddress;
  }

  private outgoing(envelope: EventEnvelope, parts: EnvelopeParts, visitorHeaders: boolean): OutgoingEvent {
    return {
      name: envelope.d.event.name,
      envelope,
      userAgent: parts.userAgent,
      ipAddress: parts.ipAddress,
      visitorHeaders,
    };
  }

  private nowSeconds(): number {
    return Math.ceil(this.now() / 1000);
  }
}
