import type { Decision, DecisionReason } from '../engine/types';

/** The event name of OpenTelemetry's feature-flag semantic convention. */
export const FEATURE_FLAG_EVALUATION_EVENT = 'feature_flag.evaluation';
/** `feature_flag.provider.name` (the OpenFeature provider's name too). */
export const PROVIDER_NAME = 'VWO';

/** The convention's `feature_flag.result.reason` values this module uses. */
export type FeatureFlagResultReason = 'targeting_match' | 'split' | 'cached' | 'default' | 'error';

/** The convention's reason for each of ours, and `error.type` for the reasons that are failures. */
const REASONS: Readonly<Record<DecisionReason, readonly [FeatureFlagResultReason, string?]>> = {
  ROLLOUT: ['targeting_match'],
  WHITELISTED: ['targeting_match'],
  EXPERIMENT: ['split'],
  // A holdout is a pseudorandom share of users kept away from the feature.
  HOLDOUT: ['split'],
  STORED_EXPERIMENT: ['cached'],
  STORED_ROLLOUT: ['cached'],
  STORED_HOLDOUT: ['cached'],
  NOT_IN_ROLLOUT: ['default'],
  NO_RULE_MATCHED: ['default'],
  FEATURE_NOT_FOUND: ['error', 'flag_not_found'],
  INVALID_FEATURE_KEY: ['error', 'flag_not_found'],
  INVALID_CONTEXT: ['error', 'targeting_key_missing'],
  SETTINGS_NOT_READY: ['error', 'provider_not_ready'],
  ERROR: ['error', 'general'],
};

/** The convention's reason for one of ours (`default` for a reason this table does not know). */
export function resultReasonOf(reason: DecisionReason): FeatureFlagResultReason {
  return REASONS[reason]?.[0] ?? 'default';
}

/** `error.type` of a decision that failed, else undefined. */
export function errorTypeOf(reason: DecisionReason): string | undefined {
  return REASONS[reason]?.[1];
}

/** The variation served: its name, else its id; undefined when the flag is off (no variation). */
export function variantOf(decision: Decision): string | undefined {
  if (decision.variationName !== undefined) return decision.variationName;
  return decision.variationId === undefined ? undefined : String(decision.variationId);
}

/**
 * The attributes of one `feature_flag.evaluation` event. `feature_flag.context.id` (a user id) only when
 * the app asked for it.
 */
export function evaluationAttributes(decision: Decision, withContextId: boolean): Record<string, string | boolean> {
  const attributes: Record<string, string | boolean> = {
    'feature_flag.key': decision.featureKey,
    'feature_flag.provider.name': PROVIDER_NAME,
    'feature_flag.result.reason': resultReasonOf(decision.reason),
    'feature_flag.result.value': decision.enabled,
    'vwo.reason': decision.reason,
  };
  const variant = variantOf(decision);
  if (variant !== undefined) attributes['feature_flag.result.variant'] = variant;
  const errorType = errorTypeOf(decision.reason);
  if (errorType !== undefined) {
    attributes['error.type'] = errorType;
    if (decision.message) attributes['feature_flag.error.message'] = decision.message;
  }
  if (withContextId && decision.userId !== undefined) attributes['feature_flag.context.id'] = decision.userId;
  return attributes;
}
