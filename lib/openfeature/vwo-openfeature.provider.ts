import { Inject, Injectable, Optional } from '@nestjs/common';
import {
  ErrorCode,
  OpenFeatureEventEmitter,
  ProviderEvents,
  StandardResolutionReasons,
  type EvaluationContext,
  type FlagMetadata,
  type JsonValue,
  type Provider,
  type ResolutionDetails,
  type TrackingEventDetails,
} from '@openfeature/server-sdk';
import type { Flag } from '../engine';
import type { DecisionReason } from '../engine/types';
import type { VWOServiceApi } from '../typed-flags/vwo-service-api';
import { SettingsStore } from '../settings/settings-store';
import { VWOService } from '../vwo.service';
import { parseFlagKey, type VWOFlagTarget } from './openfeature-flag-key';
import { toVWOUserContext } from './openfeature-context';
import { VWO_OPENFEATURE_OPTIONS, type VWOOpenFeatureProviderOptions } from './vwo-openfeature.options';

type FlagType = 'boolean' | 'string' | 'number' | 'object';
type ValueOf<T extends FlagType> = T extends 'boolean' ? boolean : T extends 'string' ? string : T extends 'number' ? number : JsonValue;

const DEFAULT_INIT_TIMEOUT_MS = 5_000;

/** VWO reasons that are not an evaluation result but a failure, and the OpenFeature error each means. */
const ERROR_CODES: Partial<Record<DecisionReason, ErrorCode>> = {
  SETTINGS_NOT_READY: ErrorCode.PROVIDER_NOT_READY,
  FEATURE_NOT_FOUND: ErrorCode.FLAG_NOT_FOUND,
  INVALID_FEATURE_KEY: ErrorCode.FLAG_NOT_FOUND,
  INVALID_CONTEXT: ErrorCode.TARGETING_KEY_MISSING,
  ERROR: ErrorCode.GENERAL,
};

/**
 * An OpenFeature server provider backed by VWOService (our engine), for apps on `@openfeature/server-sdk`
 * or `@openfeature/nestjs-sdk`. Flag keys: `feature` resolves as a boolean (isEnabled); `feature.variable`
 * resolves one variable of the feature (any type; the flag's default when the feature is off for the user).
 * The evaluation context's `targetingKey` is the VWO user id; other attributes are custom variables.
 * @publicApi
 */
@Injectable()
export class VWOOpenFeatureProvider implements Provider {
  readonly metadata = { name: 'VWO' } as const;
  readonly runsOn = 'server' as const;
  readonly events = new OpenFeatureEventEmitter();
  private readonly initTimeoutMs: number;

  constructor(
    @Inject(VWOService) private readonly vwo: VWOServiceApi,
    @Optional() @Inject(VWO_OPENFEATURE_OPTIONS) options: VWOOpenFeatureProviderOptions = {},
    @Optional() private readonly store?: SettingsStore,
  ) {
    this.initTimeoutMs = options.initTimeoutMs ?? DEFAULT_INIT_TIMEOUT_MS;
  }

  /**
   * Waits for VWO settings (keeping the process alive meanwhile); if they are late, fails now and announces
   * READY when they arrive. That later wait holds nothing open: it must not keep a finished script alive.
   */
  async initialize(): Promise<void> {
    if (await this.vwo.whenReady(this.initTimeoutMs)) return;
    void (this.store?.ready ?? this.vwo.whenReady()).then(() => this.events.emit(ProviderEvents.Ready));
    throw new Error(`VWO settings not loaded after ${this.initTimeoutMs} ms`);
  }

  resolveBooleanEvaluation(flagKey: string, defaultValue: boolean, context: EvaluationContext): Promise<ResolutionDetails<boolean>> {
    return this.resolve(flagKey, defaultValue, context, 'boolean');
  }

  resolveStringEvaluation(flagKey: string, defaultValue: string, context: EvaluationContext): Promise<ResolutionDetails<string>> {
    return this.resolve(flagKey, defaultValue, context, 'string');
  }

  resolveNumberEvaluation(flagKey: string, defaultValue: number, context: EvaluationContext): Promise<ResolutionDetails<number>> {
    return this.resolve(flagKey, defaultValue, context, 'number');
  }

  resolveObjectEvaluation<T extends JsonValue>(flagKey: string, defaultValue: T, context: EvaluationContext): Promise<ResolutionDetails<T>> {
    return this.resolve(flagKey, defaultValue, context, 'object') as Promise<ResolutionDetails<T>>;
  }

  /** OpenFeature's `client.track(name, context, details)` sends a VWO custom event (a metric of some feature). */
  track(eventName: string, context: EvaluationContext, details: TrackingEventDetails = {}): void {
    const user = toVWOUserContext(context);
    if (user) void this.vwo.trackEvent(eventName, user, { ...details });
  }

  private async resolve<T extends FlagType>(flagKey: string, defaultValue: ValueOf<T>, context: EvaluationContext, type: T): Promise<ResolutionDetails<ValueOf<T>>> {
    const user = toVWOUserContext(context);
    if (!user) return failure(defaultValue, ErrorCode.TARGETING_KEY_MISSING, 'the evaluation context has no targetingKey (the VWO user id)');
    const target = parseFlagKey(flagKey);
    const flag = await this.vwo.getFlag(target.featureKey, user);
    const errorCode = ERROR_CODES[flag.reason];
    if (errorCode) return failure(defaultValue, errorCode, flag.message ?? `${flag.reason} for "${target.featureKey}"`);
    return target.variableKey === undefined ? this.enabledValue(flag, defaultValue, type) : this.variableValue(flag, target, defaultValue, type);
  }

  /** `feature`: the flag itself, a boolean. */
  private enabledValue<T extends FlagType>(flag: Flag, defaultValue: ValueOf<T>, type: T): ResolutionDetails<ValueOf<T>> {
    if (type !== 'boolean') return failure(defaultValue, ErrorCode.TYPE_MISMATCH, `"${flag.featureKey}" is a boolean flag; name a variable as "${flag.featureKey}.<variable>"`);
    return { value: flag.isEnabled() as ValueOf<T>, ...evaluation(flag) };
  }

  /** `feature.variable`: the served variation's variable; the caller's default while the feature is off. */
  private variableValue<T extends FlagType>(flag: Flag, target: VWOFlagTarget, defaultValue: ValueOf<T>, type: T): ResolutionDetails<ValueOf<T>> {
    if (!flag.isEnabled()) return { value: defaultValue, ...evaluation(flag) };
    const variable = flag.getVariables().find((candidate) => candidate.key === target.variableKey);
    if (!variable) return failure(defaultValue, ErrorCode.FLAG_NOT_FOUND, `"${target.featureKey}" has no variable "${target.variableKey}"`);
    const value = coerce(variable.value, variable.type, type);
    if (value === undefined) return failure(defaultValue, ErrorCode.TYPE_MISMATCH, `"${target.featureKey}.${target.variableKey}" is a ${variable.type}, not a ${type}`);
    return { value: value as ValueOf<T>, ...evaluation(flag) };
  }
}

/** The variable's value as the requested type, or undefined when it is not one (JSON text counts as an object). */
function coerce(value: unknown, vwoType: string, type: FlagType): unknown {
  if (type !== 'object') return typeof value === type ? value : undefined;
  if (typeof value === 'object' && value !== null) return value;
  if (vwoType !== 'json' || typeof value !== 'string') return undefined;
  try {
    const parsed: unknown = JSON.parse(value);
    return typeof parsed === 'object' && parsed !== null ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** Reason, variant and metadata of a normal (non-error) evaluation. */
function evaluation(flag: Flag): Pick<ResolutionDetails<unknown>, 'reason' | 'variant' | 'flagMetadata'> {
  const metadata: FlagMetadata = { vwoReason: flag.reason };
  if (flag.rollout) Object.assign(metadata, { rolloutId: flag.rollout.id, rolloutRuleKey: flag.rollout.ruleKey });
  if (flag.experiment) Object.assign(metadata, { experimentId: flag.experiment.id, experimentRuleKey: flag.experiment.ruleKey, variationId: flag.experiment.variationId });
  if (!flag.isEnabled()) return { reason: StandardResolutionReasons.DISABLED, flagMetadata: metadata };
  if (flag.experiment) return { reason: StandardResolutionReasons.SPLIT, variant: flag.experiment.variationName, flagMetadata: metadata };
  return { reason: StandardResolutionReasons.TARGETING_MATCH, variant: flag.rollout?.ruleKey ?? 'enabled', flagMetadata: metadata };
}

function failure<V>(value: V, errorCode: ErrorCode, errorMessage: string): ResolutionDetails<V> {
  return { value, reason: StandardResolutionReasons.ERROR, errorCode, errorMessage };
}
