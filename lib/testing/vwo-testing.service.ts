import { Injectable } from '@nestjs/common';
import { featureKeyProblem, trackEventProblem } from '../call-checks';
import { currentUserContext } from '../context/request-context';
import type { SettingsSnapshot } from '../engine/contract';
import { Flag } from '../engine';
import type { Decision, DecisionReason, VWOUserContext } from '../engine/types';
import { userIdProblem } from '../engine/user-id';
import type { VWOLogger } from '../logger/vwo-logger.interface';
import type { FlushResult } from '../events/vwo-events.service';
import type { VWOServiceApi } from '../typed-flags/vwo-service-api';
import { parseSetAttributeArguments, type VWOAttributeValue } from '../set-attribute-arguments';
import { variableType } from './variable-type';
import type {
  VWOTestingAliasCall,
  VWOTestingAttributeCall,
  VWOTestingEvaluation,
  VWOTestingFlag,
  VWOTestingFlagDefinition,
  VWOTestingTrackedEvent,
} from './vwo-testing.types';

const DEFAULT_TEST_USER: VWOUserContext = { id: 'vwo-test-user' };

/**
 * The VWOService of VWOTestingModule: answers from in-memory flags, sends nothing, and records every call
 * so tests can assert on them. Provided under the VWOService token, so the guard, the param decorators
 * and application code use it unchanged. Inject it as `VWOTestingService` to change flags during a test.
 * @publicApi
 */
@Injectable()
export class VWOTestingService implements VWOServiceApi {
  /** Every getFlag answered, in order. */
  readonly evaluations: VWOTestingEvaluation[] = [];
  /** Every trackEvent call, in order. */
  readonly trackedEvents: VWOTestingTrackedEvent[] = [];
  /** Every setAttribute call, in order. */
  readonly attributes: VWOTestingAttributeCall[] = [];
  /** Every setAlias call, in order. */
  readonly aliases: VWOTestingAliasCall[] = [];
  private readonly flags = new Map<string, VWOTestingFlagDefinition>();

  private readonly knownEvents?: ReadonlySet<string>;

  constructor(
    private readonly initialFlags: Readonly<Record<string, VWOTestingFlagDefinition>> = {},
    private readonly defaultUser: VWOUserContext | false = DEFAULT_TEST_USER,
    private readonly logger?: VWOLogger,
    events?: readonly string[],
  ) {
    this.knownEvents = events && new Set(events);
    this.reset();
  }

  /** Sets (or replaces) one flag from now on. */
  setFlag(featureKey: string, flag: VWOTestingFlagDefinition): this {
    this.flags.set(featureKey, flag);
    return this;
  }

  /** Shorthand for `setFlag(key, { enabled: true, variables })`. */
  enable(featureKey: string, variables?: Record<string, unknown>): this {
    return this.setFlag(featureKey, { enabled: true, variables });
  }

  /** Shorthand for `setFlag(key, { enabled: false })`. */
  disable(featureKey: string): this {
    return this.setFlag(featureKey, { enabled: false });
  }

  /** Forgets a flag: it then behaves like a feature missing from the settings. */
  removeFlag(featureKey: string): this {
    this.flags.delete(featureKey);
    return this;
  }

  /** Back to the flags given to forRoot, with no recorded calls (call it in `afterEach`). */
  reset(): this {
    this.flags.clear();
    for (const [key, flag] of Object.entries(this.initialFlags)) this.flags.set(key, flag);
    this.evaluations.length = 0;
    this.trackedEvents.length = 0;
    this.attributes.length = 0;
    this.aliases.length = 0;
    return this;
  }

  async getFlag(featureKey: string, context?: VWOUserContext): Promise<Flag> {
    const keyProblem = featureKeyProblem(featureKey);
    const user = keyProblem ? undefined : await this.resolveUser(context);
    const decision = keyProblem ? disabledDecision(String(featureKey), 'INVALID_FEATURE_KEY', keyProblem) : this.decide(featureKey, user);
    this.evaluations.push({ featureKey, context: user, enabled: decision.enabled });
    return new Flag(decision);
  }

  /**
   * Records the event and resolves `{ [eventName]: true }`, or refuses it (`false`, an error logged, nothing
   * recorded) where VWOService would: a bad name or properties, no usable user id, or, with the `events`
   * option, a name that is not one of them (VWO sends only events that are metrics in the settings).
   */
  async trackEvent(eventName: string, context?: VWOUserContext, properties: Record<string, unknown> = {}): Promise<Record<string, boolean>> {
    const argumentProblem = trackEventProblem(eventName, properties);
    const user = argumentProblem ? undefined : await this.resolveUser(context);
    const unknown = this.knownEvents && !this.knownEvents.has(eventName);
    const problem = argumentProblem ?? (!user ? 'no user context with a usable id' : unknown ? 'not one of the `events` of VWOTestingModule' : undefined);
    if (problem) {
      this.logger?.error(`trackEvent("${eventName}") skipped: ${problem}`);
      return { [eventName]: false };
    }
    this.trackedEvents.push({ eventName, context: user, properties });
    return { [eventName]: true };
  }

  /** Records the attributes, or refuses them (an error logged, nothing recorded) where VWOService would. */
  async setAttribute(key: string, value: VWOAttributeValue, context?: VWOUserContext): Promise<void>;
  async setAttribute(attributes: Record<string, VWOAttributeValue>, context?: VWOUserContext): Promise<void>;
  async setAttribute(attributes: Record<string, VWOAttributeValue>, unused: unknown, context: VWOUserContext): Promise<void>;
  async setAttribute(keyOrMap: unknown, valueOrContext?: unknown, maybeContext?: unknown): Promise<void> {
    const { attributes, context, problem: argumentProblem } = parseSetAttributeArguments(keyOrMap, valueOrContext, maybeContext);
    const user = argumentProblem ? undefined : await this.resolveUser(context);
    const problem = argumentProblem ?? (!user ? 'no user context with a usable id' : undefined);
    if (problem) {
      this.logger?.error(`setAttribute skipped: ${problem}`);
      return;
    }
    this.attributes.push({ attributes, context: user });
  }

  /** Recorded; resolves true. */
  async setAlias(contextOrUserId: VWOUserContext | string, aliasId: string): Promise<boolean> {
    this.aliases.push({ contextOrUserId, aliasId });
    return true;
  }

  /** Nothing is ever queued. */
  async flushEvents(): Promise<FlushResult> {
    return { status: 'empty', events: 0 };
  }

  /** The testing module has no settings document: use `setFlag`. Resolves false. */
  async updateSettings(): Promise<boolean> {
    return false;
  }

  isReady(): boolean {
    return true;
  }

  async whenReady(): Promise<boolean> {
    return true;
  }

  /** No settings document backs the testing module. */
  getSnapshot(): SettingsSnapshot | undefined {
    return undefined;
  }

  private decide(featureKey: string, user: VWOUserContext | undefined): Decision {
    if (!user) return disabledDecision(featureKey, 'INVALID_CONTEXT', 'context.id is required and must be truthy');
    const userId = String(user.id);
    const definition = this.flags.get(featureKey);
    if (!definition) return disabledDecision(featureKey, 'FEATURE_NOT_FOUND', `"${featureKey}" is not a flag of VWOTestingModule`, userId);
    const flag: VWOTestingFlag = typeof definition === 'function' ? definition(user) : definition;
    if (!flag.enabled) return disabledDecision(featureKey, 'NO_RULE_MATCHED', 'disabled in VWOTestingModule', userId);
    const variables = Object.entries(flag.variables ?? {}).map(([key, value], index) => ({ id: index + 1, key, type: variableType(value), value }));
    return { featureKey, enabled: true, variables, reason: 'ROLLOUT', userId, writes: [], impressions: [] };
  }

  /** As VWOService: the given context, else the current request's user; then the test default. Ids as VWOService checks them. */
  private async resolveUser(context: VWOUserContext | undefined): Promise<VWOUserContext | undefined> {
    const user = context ?? (await currentUserContext()) ?? (this.defaultUser || undefined);
    return userIdProblem(user) === undefined ? user : undefined;
  }
}

function disabledDecision(featureKey: string, reason: DecisionReason, message: string, userId?: string): Decision {
  return { featureKey, enabled: false, variables: [], reason, message, userId, writes: [], impressions: [] };
}
