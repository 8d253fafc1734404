import { Inject, Injectable, Optional } from '@nestjs/common';
import { featureKeyProblem } from './call-checks';
import { currentUserContext } from './context/request-context';
import { decide, DecideOptions, Flag, plan, userIdProblem } from './engine';
import type { DecisionReason, GatewayUserData, SettingsSnapshot, VWOUserContext } from './engine';
import { DecisionEffects } from './decision-effects';
import { errorMessage as describe } from './error-message';
import { FlushResult, VWOEventsService } from './events/vwo-events.service';
import { VWODefaultLogger } from './logger/vwo-default.logger';
import type { VWOLogger, VWOLogLevel } from './logger/vwo-logger.interface';
import type { VWOResolvedOptions, VWOSettingsDocument } from './options/vwo-module-options.interface';
import { waitKeepingAlive } from './lifecycle/keep-alive';
import { GatewayUserDetailsClient, ListMembership } from './settings/gateway-user-details.client';
import { UserAliasClient } from './settings/user-alias.client';
import { SettingsStore } from './settings/settings-store';
import { SettingsSyncService } from './settings/settings-sync.service';
import { StoredReadResult, VWOStorageAccess } from './storage/storage-access';
import { NOOP_TELEMETRY } from './telemetry/noop-telemetry';
import { VWOTelemetry } from './telemetry/vwo-telemetry';
import { VWO_LOGGER, VWO_OPTIONS } from './vwo.internal-constants';
import type { VWOAttributeValue } from './set-attribute-arguments';
import { SdkStartEvents } from './sdk-start-events';
import { EventCalls } from './event-calls';
import { hasUserId, UserResolution } from './user-resolution';

export type { VWOAttributeValue };

/**
 * VWO Feature Management & Experimentation for the application: flags, events, attributes. A singleton;
 * every method resolves (never rejects): a problem is logged and yields a disabled flag or `false`.
 * Methods take the user context explicitly, or use the current request's user (see the HTTP layer).
 * Offline (no sdkKey) nothing is sent to VWO. A front: the engine decides, DecisionEffects applies what a
 * decision asks for (storage write, impressions, integrations callback), SdkStartEvents reports the start.
 */
@Injectable()
export class VWOService {
  private readonly effects: DecisionEffects;
  private readonly eventCalls: EventCalls;
  /** decide()'s options when there is no gateway data: one object for every call. */
  private readonly decideOptions: DecideOptions;
  /** Whether debug lines are written at all (the default logger says; any other logger gets every line). */
  private readonly debugEnabled: boolean;

  constructor(
    @Inject(VWO_OPTIONS) private readonly options: VWOResolvedOptions,
    @Inject(VWO_LOGGER) private readonly logger: VWOLogger,
    private readonly store: SettingsStore,
    private readonly sync: SettingsSyncService,
    private readonly storage: VWOStorageAccess,
    private readonly gateway: GatewayUserDetailsClient,
    private readonly events: VWOEventsService,
    private readonly aliases: UserAliasClient,
    @Optional() telemetry: VWOTelemetry = NOOP_TELEMETRY,
  ) {
    // Without a callback the integration payload would be built for nothing.
    this.decideOptions = Object.freeze({ overlayWrites: storage.enabled, integrationPayload: !!options.integrations?.callback });
    this.debugEnabled = isLevelEnabled(logger, 'DEBUG');
    this.effects = new DecisionEffects(storage, events, telemetry, logger, options);
    this.eventCalls = new EventCalls(store, events, new UserResolution(aliases), this.effects, logger, options.offline);
    new SdkStartEvents(store, sync, events, this.effects, options.offline);
  }

  /**
   * Decides a feature flag for a user (the current request's user when `context` is omitted). Disabled
   * flags carry the reason: INVALID_CONTEXT without a user id, SETTINGS_NOT_READY before the first settings.
   */
  getFlag(featureKey: string, context?: VWOUserContext): Promise<Flag> {
    // With a context nothing here needs to wait: the only await is the caller's (or a storage / gateway read).
    return context === undefined ? this.getFlagForRequest(featureKey) : this.getFlagFor(featureKey, context);
  }

  private async getFlagForRequest(featureKey: string): Promise<Flag> {
    let context: VWOUserContext | undefined;
    try {
      // An invalid key is reported as such, without resolving the user.
      if (!featureKeyProblem(featureKey)) context = await currentUserContext();
    } catch (err) {
      return this.failed(featureKey, err);
    }
    return this.getFlagFor(featureKey, context);
  }

  private async getFlagFor(featureKey: string, context: VWOUserContext | undefined): Promise<Flag> {
    try {
      const keyProblem = featureKeyProblem(featureKey);
      if (keyProblem) return this.disabled(String(featureKey), 'INVALID_FEATURE_KEY', keyProblem);
      if (!hasUserId(context)) return this.invalidContext(featureKey, context);
      if (this.aliases.enabled) context = await this.aliases.resolve(context);
      const snapshot = this.store.snapshot;
      if (!snapshot) return this.disabled(featureKey, 'SETTINGS_NOT_READY', 'settings are not available yet', context);
      // What the decision needs, fetched in parallel (the gateway lookups never reject), then one decide().
      const needs = plan(snapshot, featureKey, context);
      const gatewayData = needs.gateway && this.gateway.configured ? this.gateway.fetch(context) : undefined;
      const inList = this.gateway.listMembership(needs.listChecks);
      const stored = this.storage.read(needs.storageKeys, String(context.id));
      const storedResult = isPromise(stored) ? await stored : stored;
      return this.decideFlag(snapshot, featureKey, context, storedResult, gatewayData && (await gatewayData), inList && (await inList));
    } catch (err) {
      return this.failed(featureKey, err);
    }
  }

  /**
   * Tracks a custom event (a metric of some feature in VWO). Resolves `{ [eventName]: true }` when the
   * event was accepted for sending, false when it is unknown, there is no user or no settings, or the input
   * is bad (a non-string name, properties that are an array or not JSON). A class instance's own enumerable
   * properties are sent. Each refusal is one log line giving its reason.
   */
  async trackEvent(
    eventName: string,
    context?: VWOUserContext,
    properties: Record<string, unknown> = {},
  ): Promise<Record<string, boolean>> {
    return this.eventCalls.trackEvent(eventName, context, properties);
  }

  /**
   * Sets visitor attributes: `setAttribute(key, value, context?)`, `setAttribute({ key: value }, context?)`, and
   * every other shape VWO's SDK accepts, such as `setAttribute(map, undefined, context)`.
   */
  setAttribute(key: string, value: VWOAttributeValue, context?: VWOUserContext): Promise<void>;
  setAttribute(attributes: Record<string, VWOAttributeValue>, context?: VWOUserContext): Promise<void>;
  setAttribute(attributes: Record<string, VWOAttributeValue>, unused: unknown, context: VWOUserContext): Promise<void>;
  setAttribute(keyOrMap: unknown, valueOrContext?: unknown, maybeContext?: unknown): Promise<void> {
    return this.eventCalls.setAttribute(keyOrMap, valueOrContext, maybeContext);
  }

  /**
   * Records that `aliasId` is another id of the user (a context or a user id), through the gateway service;
   * needs `isAliasingEnabled`. Resolves false, with a log line, when it could not.
   */
  setAlias(contextOrUserId: VWOUserContext | string, aliasId: string): Promise<boolean> {
    return this.aliases.setAlias(contextOrUserId, aliasId);
  }

  /** Sends queued events now. */
  async flushEvents(): Promise<FlushResult> {
    if (this.options.offline) return { status: 'empty', events: 0 };
    try {
      return await this.events.flush();
    } catch (err) {
      this.logger.error(`flushEvents failed: ${describe(err)}`);
      return { status: 'failed', events: 0 };
    }
  }

  /**
   * Replaces the settings now: with the given document, else by fetching (`v2-pull`, VWO's webhook
   * endpoint, unless `isViaWebhook` is false). Resolves true when valid settings are in place afterwards.
   */
  async updateSettings(settings?: VWOSettingsDocument, isViaWebhook = true): Promise<boolean> {
    try {
      const hasDocument = settings !== undefined && Object.keys(settings).length > 0;
      const outcome = hasDocument ? await this.store.apply(settings, 'update') : await this.sync.refresh(isViaWebhook ? 'v2-pull' : 'v2-settings');
      return outcome === 'updated' || outcome === 'unchanged';
    } catch (err) {
      this.logger.error(`updateSettings failed: ${describe(err)}`);
      return false;
    }
  }

  /** True once valid settings are loaded (fetched or from the `settings` option). */
  isReady(): boolean {
    return this.store.isReady();
  }

  /**
   * Resolves true when settings are ready, or false after `timeoutMs` (waits indefinitely without one, or
   * until the module is destroyed: then false). While it waits, the process stays alive: a script awaiting
   * it is not ended by Node midway because only our unref'd retry timers are pending.
   */
  async whenReady(timeoutMs?: number): Promise<boolean> {
    if (this.store.isReady()) return true;
    // Offline, only updateSettings() can make it ready: nothing to keep the process alive for.
    if (this.options.offline && timeoutMs === undefined) return this.store.ready.then(() => true);
    await waitKeepingAlive(this.store.ready, timeoutMs, this.sync.shutdownSignal);
    return this.store.isReady();
  }

  /** The current settings snapshot (undefined before the first settings). */
  getSnapshot(): SettingsSnapshot | undefined {
    return this.store.snapshot;
  }

  private decideFlag(
    snapshot: SettingsSnapshot,
    featureKey: string,
    user: VWOUserContext,
    stored: StoredReadResult,
    gateway: GatewayUserData | undefined,
    inList: ListMembership | undefined,
  ): Flag {
    // Without storage VWO reads nothing back within one decision either (overlayWrites: false).
    const options = gateway || inList ? { ...this.decideOptions, gateway, inList } : this.decideOptions;
    const decision = decide(snapshot, featureKey, user, stored, this.logger, options);
    // One clock read: the flag's session id and its events' come from it.
    const time = Date.now();
    this.effects.apply(snapshot, decision, user, stored, time);
    return new Flag(decision, { context: user, accountId: this.options.accountId ?? snapshot.accountId, time });
  }

  /** A missing id is routine (debug line); an id VWO cannot encode is a bug in the caller, said once as an error. */
  private invalidContext(featureKey: string, context: VWOUserContext | undefined): Flag {
    const problem = userIdProblem(context) ?? 'context.id is required';
    if (!context?.id) return this.disabled(featureKey, 'INVALID_CONTEXT', problem);
    this.logger.error(`getFlag("${featureKey}") returns a disabled flag: ${problem}`);
    return Flag.disabled(featureKey, 'INVALID_CONTEXT', problem);
  }

  private failed(featureKey: string, err: unknown): Flag {
    this.logger.error(`getFlag("${featureKey}") failed: ${describe(err)}`);
    return this.disabled(featureKey, 'ERROR', describe(err));
  }

  private disabled(featureKey: string, reason: DecisionReason, message: string, user?: VWOUserContext): Flag {
    if (reason !== 'SETTINGS_NOT_READY' && this.debugEnabled) this.logger.debug(`Feature "${featureKey}" disabled (${reason}): ${message}`);
    const visitor = user && { context: user, accountId: this.options.accountId, time: Date.now() };
    const flag = Flag.disabled(featureKey, reason, message, visitor);
    this.effects.record(flag.decision);
    return flag;
  }
}

/** The default logger knows its level; any other logger is given every line. */
function isLevelEnabled(logger: VWOLogger, level: VWOLogLevel): boolean {
  return logger instanceof VWODefaultLogger ? logger.isLevelEnabled(level) : true;
}

function isPromise<T>(value: T | Promise<T>): value is Promise<T> {
  return value instanceof Promise;
}

