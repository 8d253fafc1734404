import { Inject, Injectable, Optional } from '@nestjs/common';
import type { Flag, SettingsSnapshot, VWOUserContext } from './engine';
import { DecisionEffects } from './decision-effects';
import { errorMessage as describe } from './error-message';
import { EventCalls } from './event-calls';
import { FlushResult, VWOEventsService } from './events/vwo-events.service';
import { FlagEvaluator } from './flag-evaluator';
import { waitKeepingAlive } from './lifecycle/keep-alive';
import type { VWOLogger } from './logger/vwo-logger.interface';
import type { VWOResolvedOptions, VWOSettingsDocument } from './options/vwo-module-options.interface';
import { SdkStartEvents } from './sdk-start-events';
import type { VWOAttributeValue } from './set-attribute-arguments';
import { GatewayUserDetailsClient } from './settings/gateway-user-details.client';
import { SettingsStore } from './settings/settings-store';
import { SettingsSyncService } from './settings/settings-sync.service';
import { UserAliasClient } from './settings/user-alias.client';
import { VWOStorageAccess } from './storage/storage-access';
import { NOOP_TELEMETRY } from './telemetry/noop-telemetry';
import { VWOTelemetry } from './telemetry/vwo-telemetry';
import { UserResolution } from './user-resolution';
import { VWO_LOGGER, VWO_OPTIONS } from './vwo.internal-constants';

export type { VWOAttributeValue };

/**
 * VWO Feature Management & Experimentation for the application: flags, events, attributes. A singleton;
 * every method resolves (never rejects): a problem is logged and yields a disabled flag or `false`.
 * Methods take the user context explicitly, or use the current request's user (see the HTTP layer).
 * Offline (no sdkKey) nothing is sent to VWO. A front: FlagEvaluator decides flags (engine plan, prefetch,
 * decide) and DecisionEffects applies what a decision asks for (storage write, impressions, integrations
 * callback); EventCalls takes trackEvent and setAttribute; SdkStartEvents reports the start.
 */
@Injectable()
export class VWOService {
  private readonly flags: FlagEvaluator;
  private readonly eventCalls: EventCalls;

  constructor(
    @Inject(VWO_OPTIONS) private readonly options: VWOResolvedOptions,
    @Inject(VWO_LOGGER) private readonly logger: VWOLogger,
    private readonly store: SettingsStore,
    private readonly sync: SettingsSyncService,
    storage: VWOStorageAccess,
    gateway: GatewayUserDetailsClient,
    private readonly events: VWOEventsService,
    private readonly aliases: UserAliasClient,
    @Optional() telemetry: VWOTelemetry = NOOP_TELEMETRY,
  ) {
    const effects = new DecisionEffects(storage, events, telemetry, logger, options);
    this.flags = new FlagEvaluator(options, logger, store, storage, gateway, aliases, effects);
    this.eventCalls = new EventCalls(store, events, new UserResolution(aliases), effects, logger, options.offline);
    new SdkStartEvents(store, sync, events, effects, options.offline);
  }

  /**
   * Decides a feature flag for a user (the current request's user when `context` is omitted). Disabled
   * flags carry the reason: INVALID_CONTEXT without a user id, SETTINGS_NOT_READY before the first settings.
   */
  getFlag(featureKey: string, context?: VWOUserContext): Promise<Flag> {
    return this.flags.getFlag(featureKey, context);
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
}
