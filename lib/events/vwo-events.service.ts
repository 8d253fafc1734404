import { BeforeApplicationShutdown, Inject, Injectable, Optional } from '@nestjs/common';
import type { HttpService } from '@nestjs/axios';
import { VWO_EVENTS_CONFIG, VWO_HTTP_SERVICE, VWO_LOGGER } from '../vwo.internal-constants';
import type { VWOLogger } from '../logger/vwo-logger.interface';
import type { SettingsSnapshot } from '../engine/contract';
import type { Decision, VWOUserContext } from '../engine/types';
import { userIdProblem } from '../engine/user-id';
import { EventsOptions, EventsTuning, VWO_EVENTS_TUNING } from './events-options.interface';
import { EventsConfig, resolveEventsConfig } from './events-config';
import { DispatcherStats, EventDispatcher, FlushResult } from './event-dispatcher';
import { batchHeaders, EventUrls, singleEventHeaders } from './event-endpoints';
import type { EventEnvelope, EventRecord } from './event-envelope.interface';
import { EventHttpClient, EventTransport, PostOutcome } from './event-http.client';
import { HttpServiceTransport } from './http-service.transport';
import { WorkerThreadTransport } from './worker-thread.transport';
import { EventPayloadBuilder, SdkInitTiming } from './event-payload.builder';
import { EventSerializer } from './event-serializer';
import { isPlainObject } from '../is-plain-object';
import { sdkInfoFor } from '../sdk-info';
import { flushOnProcessExit } from './exit-flush';
import { waitKeepingAlive } from '../lifecycle/keep-alive';
import { NOOP_TELEMETRY } from '../telemetry/noop-telemetry';
import { VWOTelemetry } from '../telemetry/vwo-telemetry';
import { usageStatsMeta } from './usage-stats';
import { VWORequestError } from './vwo-request.error';
import { VWOHttpAgents } from '../network/vwo-http-agents';
import { type AttributeValue, isAttributeValue, isDevModeUser, wantsTrackUsage } from './event-eligibility';

export type { FlushResult } from './event-dispatcher';

/** What a sender needs once an SDK key is known (no key ⇒ offline, nothing is sent). */
interface Wiring {
  sdkKey: string;
  builder: EventPayloadBuilder;
  serializer: EventSerializer;
  urls: EventUrls;
  /** One object for every batch: the HttpService transport builds its request headers once per header set. */
  batchHeaders: Record<string, string>;
  client: EventHttpClient;
  transport: ClosableTransport;
}

type ClosableTransport = EventTransport & { destroy(): void };

/**
 * Sends impressions, custom events and attributes to VWO (docs/events.md): batched by default,
 * retried with backoff, bounded in memory, flushed within `shutdownTimeout` when the app shuts down.
 * No method throws into the caller; problems are logged.
 */
@Injectable()
export class VWOEventsService implements BeforeApplicationShutdown {
  private readonly config: EventsConfig;
  private readonly dispatcher: EventDispatcher<EventRecord>;
  private readonly wiring?: Wiring;
  private collectionPrefix?: string;
  private sdkInitSent = false;
  /** `vwoMeta` of the usage-stats event; undefined when the app opted out (isUsageStatsDisabled). */
  private readonly usageMeta?: Record<string, string | number>;
  private usageStatsSent = false;
  private unregisterExitFlush?: () => void;

  constructor(
    @Inject(VWO_EVENTS_CONFIG) options: EventsOptions,
    @Inject(VWO_LOGGER) private readonly logger: VWOLogger,
    @Inject(VWO_HTTP_SERVICE) http: HttpService,
    @Optional() @Inject(VWO_EVENTS_TUNING) tuning?: Partial<EventsTuning>,
    @Optional() telemetry: VWOTelemetry = NOOP_TELEMETRY,
    @Optional() agents?: VWOHttpAgents,
  ) {
    this.config = resolveEventsConfig(options, logger, tuning);
    this.dispatcher = new EventDispatcher(this.config.dispatcher, (chunk) => this.postBatch(chunk), logger, telemetry);
    if (!options.isUsageStatsDisabled) this.usageMeta = usageStatsMeta(options, this.config.batching);
    const sdkKey = options.sdkKey;
    if (!sdkKey) {
      logger.debug('No SDK key configured: events are not sent (offline mode).');
      return;
    }
    const accountId = options.accountId ?? '';
    const sdk = sdkInfoFor(options.sdkMeta);
    const transport: ClosableTransport =
      options.eventTransport === 'workerThread' ? new WorkerThreadTransport(agents?.config) : new HttpServiceTransport(http, agents?.requestOptions);
    this.wiring = {
      transport,
      sdkKey,
      builder: new EventPayloadBuilder(sdkKey, accountId, sdk),
      serializer: new EventSerializer(sdkKey, sdk),
      urls: new EventUrls(this.config.host, accountId, sdkKey, sdk),
      batchHeaders: batchHeaders(sdkKey),
      client: new EventHttpClient(transport, this.config.retry, this.config.tuning.requestTimeoutMs, logger, this.dispatcher.signal, sdkKey),
    };
    this.unregisterExitFlush = flushOnProcessExit(this);
  }

  /** Queue sizes and counters, e.g. for a health indicator. */
  get stats(): DispatcherStats {
    return this.dispatcher.stats;
  }

  /**
   * One `vwo_variationShown` per entry of decision.impressions, as the engine decided them: it leaves out
   * stored decisions and dev-mode ones, except "user is in a holdout" (docs/decisions.md), so no filter
   * here. With none, an MAU account gets `vwo_feTrackUsage`, which dev mode does suppress (docs/events.md).
   */
  impressions(snapshot: SettingsSnapshot, decision: Decision, context: VWOUserContext, time = Date.now()): void {
    const shown = decision.impressions;
    if (shown.length === 0 && !wantsTrackUsage(snapshot, context)) return;
    // guard() without its closure: this runs for every decision.
    const w = this.checked('impressions', context);
    if (!w) return;
    try {
      this.collectionPrefix = snapshot.collectionPrefix;
      this.send(shown.length === 0 ? [w.builder.trackUsage(context, time)] : w.builder.impressions(shown, context, time), true);
    } catch (err) {
      this.buildFailed('impressions', err);
    }
  }

  /** Sends a custom event; false (and an error log) when the name is not a metric in settings or input is bad. */
  trackEvent(
    snapshot: SettingsSnapshot,
    eventName: string,
    context: VWOUserContext,
    properties?: Record<string, unknown>,
  ): boolean {
    if (typeof eventName !== 'string' || !eventName) {
      this.logger.error('trackEvent: eventName must be a non-empty string; event not sent.');
      return false;
    }
    if (properties !== undefined && !isPlainObject(properties)) {
      this.logger.error(`trackEvent: properties of event ${eventName} must be a plain object; event not sent.`);
      return false;
    }
    if (!snapshot.metric(eventName)) {
      this.logger.error(`Event:${eventName} not found in any of the features' metrics; event not sent.`);
      return false;
    }
    // Accepted (the metric exists), but a dev-mode user's events stay home.
    if (isDevModeUser(snapshot, context)) return this.skipDevMode('trackEvent');
    return this.guard('trackEvent', context, (w) => {
      this.collectionPrefix = snapshot.collectionPrefix;
      this.send([w.builder.customEvent(eventName, context, properties)], false);
    });
  }

  /** Sends all attributes in one `vwo_syncVisitorProp`. */
  setAttributes(snapshot: SettingsSnapshot, attributes: Record<string, AttributeValue>, context: VWOUserContext): void {
    if (!isPlainObject(attributes) || Object.keys(attributes).length === 0 || !Object.values(attributes).every(isAttributeValue)) {
      this.logger.error('setAttribute: attributes must be a non-empty map of string, number or boolean values; not sent.');
      return;
    }
    if (isDevModeUser(snapshot, context)) {
      this.skipDevMode('setAttribute');
      return;
    }
    this.guard('setAttribute', context, (w) => {
      this.collectionPrefix = snapshot.collectionPrefix;
      this.send([w.builder.syncVisitorProps(attributes, context)], false);
    });
  }

  /** `vwo_fmeSdkInit`, once per service, unless settings say this SDK instance was initialised before. */
  sdkInit(snapshot: SettingsSnapshot, timing?: SdkInitTiming): void {
    const meta = snapshot.raw.sdkMetaInfo as { wasInitializedEarlier?: unknown } | undefined;
    if (this.sdkInitSent || meta?.wasInitializedEarlier === true || !this.wiring) return;
    this.sdkInitSent = true;
    this.collectionPrefix = snapshot.collectionPrefix;
    this.send([this.wiring.builder.sdkInit(timing)], false);
  }

  /**
   * `vwo_sdkUsageStats` (docs/events.md), once per service, when the settings name VWO's usage-stats account and the app did
   * not opt out: queued like any event when batching, else sent alone to that account.
   */
  usageStats(snapshot: SettingsSnapshot): void {
    const account = snapshot.usageStatsAccountId;
    const w = this.wiring;
    if (this.usageStatsSent || !account || !this.usageMeta || !w) return;
    this.usageStatsSent = true;
    this.collectionPrefix = snapshot.collectionPrefix;
    const event = w.builder.usageStats(account, this.usageMeta);
    if (this.config.batching) return this.dispatcher.enqueue(event);
    const request = { url: w.urls.usageStats(account, this.collectionPrefix), body: w.serializer.serialise(event), headers: singleEventHeaders(event) };
    this.dispatcher.dispatch(1, () => w.client.post(request));
  }

  /** Sends everything queued and resolves once VWO answered it (and any request already running); offline: empty. */
  flush(): Promise<FlushResult> {
    return this.dispatcher.flush();
  }

  /** Flushes within shutdownTimeout, then stops timers, retries and requests still running, and closes idle sockets. */
  async beforeApplicationShutdown(): Promise<void> {
    this.unregisterExitFlush?.();
    await this.dispatcher.close(this.config.shutdownTimeoutMs);
    this.wiring?.transport.destroy();
  }

  /**
   * The process is about to exit and app.close() was never called (a script, a worker on
   * createApplicationContext): sends what is queued within shutdownTimeout, keeping the process alive for
   * it, as a graceful shutdown would; what cannot be sent is counted in a warning. Nothing queued: nothing done.
   */
  async flushBeforeExit(): Promise<void> {
    const { queued, inFlightRequests } = this.dispatcher.stats;
    if (this.dispatcher.isClosed || (queued === 0 && inFlightRequests === 0)) return;
    this.unregisterExitFlush?.();
    const timeoutMs = this.config.shutdownTimeoutMs;
    this.logger.info(`The process is exiting without app.close(): sending ${queued} queued VWO event(s) within ${timeoutMs} ms`);
    await waitKeepingAlive(this.dispatcher.close(timeoutMs), timeoutMs + 1000);
    this.wiring?.transport.destroy();
  }

  /**
   * Routing (docs/events.md): batching ⇒ queue; no batching and no gateway ⇒ impressions of one decision in one
   * batch request, other events alone to /events/t; gateway ⇒ every event alone to /events/t.
   */
  private send(events: EventRecord[], impressions: boolean): void {
    const w = this.wiring!;
    if (this.config.batching) {
      for (let i = 0; i < events.length; i++) this.dispatcher.enqueue(events[i]);
    } else if (impressions && !this.config.host.viaGateway) {
      const url = w.urls.batch(this.collectionPrefix);
      this.dispatcher.dispatch(events.length, () => w.client.post({ url, body: w.serializer.batchBytes(events), headers: w.batchHeaders }));
    } else {
      for (const e of events) {
        const request = { url: w.urls.single(e, this.collectionPrefix), body: w.serializer.serialise(e), headers: singleEventHeaders(e) };
        this.dispatcher.dispatch(1, () => w.client.post(request));
      }
    }
  }

  /** One queued batch: its JSON is written here, when it leaves, not when its events were queued. */
  private async postBatch(batch: EventRecord[]): Promise<PostOutcome> {
    const w = this.wiring;
    if (!w) return { ok: false, attempts: 0, error: new VWORequestError('no sdkKey configured (offline)', undefined, 0, '') };
    const body = w.serializer.batchBytes(batch);
    const outcome = await w.client.post({ url: w.urls.batch(this.collectionPrefix), body, headers: w.batchHeaders });
    this.reportBatch(body, outcome);
    return outcome;
  }

  /** batchEventData.flushCallback; a throwing callback is logged, never propagated. */
  private reportBatch(body: Buffer, outcome: PostOutcome): void {
    const callback = this.config.flushCallback;
    if (!callback) return;
    try {
      const payload = JSON.parse(body.toString('utf8')) as { ev: EventEnvelope[] };
      callback(outcome.ok ? null : (outcome.error ?? new VWORequestError('batch request failed', outcome.status, outcome.attempts, '')), payload);
    } catch (err) {
      this.logger.error(`batchEventData.flushCallback threw: ${(err as Error).message}`);
    }
  }

  private skipDevMode(api: string): true {
    this.logger.debug(`${api}: settings devMode and context isDevMode are on; event not sent.`);
    return true;
  }

  /** Checks what every visitor event needs, and keeps any failure away from the caller. */
  private guard(api: string, context: VWOUserContext, run: (w: Wiring) => void): boolean {
    const w = this.checked(api, context);
    if (!w) return false;
    try {
      run(w);
      return true;
    } catch (err) {
      this.buildFailed(api, err);
      return false;
    }
  }

  /** The wiring, when there is one (an SDK key) and the context's user id is usable; else logged, undefined. */
  private checked(api: string, context: VWOUserContext): Wiring | undefined {
    if (!this.wiring) {
      this.logger.debug(`${api}: no SDK key configured (offline); event not sent.`);
      return undefined;
    }
    const idProblem = userIdProblem(context);
    if (idProblem) {
      this.logger.error(`${api}: ${idProblem}; event not sent.`);
      return undefined;
    }
    return this.wiring;
  }

  private buildFailed(api: string, err: unknown): void {
    this.logger.error(`${api}: event could not be built: ${(err as Error).message}`);
  }
}
