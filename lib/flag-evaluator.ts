import { featureKeyProblem } from './call-checks';
import { currentUserContext } from './context/request-context';
import { decide, DecideOptions, Flag, plan, userIdProblem } from './engine';
import type { DecisionReason, GatewayUserData, SettingsSnapshot, VWOUserContext } from './engine';
import type { DecisionEffects } from './decision-effects';
import { errorMessage as describe } from './error-message';
import { VWODefaultLogger } from './logger/vwo-default.logger';
import type { VWOLogger, VWOLogLevel } from './logger/vwo-logger.interface';
import type { VWOResolvedOptions } from './options/vwo-module-options.interface';
import type { GatewayUserDetailsClient, ListMembership } from './settings/gateway-user-details.client';
import type { SettingsStore } from './settings/settings-store';
import type { UserAliasClient } from './settings/user-alias.client';
import type { StoredReadResult, VWOStorageAccess } from './storage/storage-access';
import { hasUserId } from './user-resolution';

/**
 * getFlag behind VWOService: checks the key and the user (a bad one is a disabled flag with a reason, never a
 * throw), asks the engine what the decision needs (plan), fetches it in parallel, decides once, and hands the
 * decision's effects to DecisionEffects.
 */
export class FlagEvaluator {
  /** decide()'s options when there is no gateway data: one object for every call. */
  private readonly decideOptions: DecideOptions;
  /** Whether debug lines are written at all (the default logger says; any other logger gets every line). */
  private readonly debugEnabled: boolean;

  constructor(
    private readonly options: Pick<VWOResolvedOptions, 'accountId' | 'integrations'>,
    private readonly logger: VWOLogger,
    private readonly store: SettingsStore,
    private readonly storage: VWOStorageAccess,
    private readonly gateway: GatewayUserDetailsClient,
    private readonly aliases: UserAliasClient,
    private readonly effects: DecisionEffects,
  ) {
    // Without a callback the integration payload would be built for nothing.
    this.decideOptions = Object.freeze({ overlayWrites: storage.enabled, integrationPayload: !!options.integrations?.callback });
    this.debugEnabled = isLevelEnabled(logger, 'DEBUG');
  }

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
      const flag = this.decideFlag(snapshot, featureKey, context, storedResult, gatewayData && (await gatewayData), inList && (await inList));
      await this.effects.waitForTracking();
      return flag;
    } catch (err) {
      return this.failed(featureKey, err);
    }
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

