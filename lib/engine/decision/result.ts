/** The Decision value a decision returns, from what the steps settled. */
import type { CFeature, CRule, CVariation } from '../settings/model';
import type { Decision, DecisionReason, IntegrationPayload, StoredRecord } from '../types';
import { NO_IMPRESSIONS, NO_WRITES, type DecisionState } from './decision-state';

const EMPTY_VARIABLES = Object.freeze([]) as readonly never[];

export interface Served {
  enabled: boolean;
  /** The variation whose variables the user gets (experiment over rollout); null when disabled. */
  variation: CVariation | null;
  reason: DecisionReason;
  feature: CFeature;
  rollout?: Decision['rollout'];
  experiment?: Decision['experiment'];
  integration?: IntegrationPayload;
}

/** A decision for a feature in the settings, carrying the state's writes and impressions. */
export function decisionOf(state: DecisionState, served: Served): Decision {
  const variation = served.variation;
  return {
    featureKey: state.featureKey,
    enabled: served.enabled,
    variables: variation ? variation.variables : EMPTY_VARIABLES,
    reason: served.reason,
    message: undefined,
    userId: state.userId,
    feature: served.feature.info,
    rollout: served.rollout,
    experiment: served.experiment,
    writes: state.writes,
    impressions: state.impressions,
    integration: served.integration,
    variationId: variation ? variation.id : undefined,
    variationName: variation ? variation.name : undefined,
    variableIndex: variation ? variation.variableIndex : undefined,
  };
}

/** A disabled decision with no feature behind it (bad input, no settings, unknown feature, an error). */
export function disabledDecision(
  featureKey: string,
  reason: DecisionReason,
  message: string | undefined,
  userId: string | undefined,
  writes: StoredRecord[] = NO_WRITES,
): Decision {
  return {
    featureKey,
    enabled: false,
    variables: EMPTY_VARIABLES,
    reason,
    message,
    userId,
    feature: undefined,
    rollout: undefined,
    experiment: undefined,
    writes,
    impressions: NO_IMPRESSIONS,
    integration: undefined,
    variationId: undefined,
    variationName: undefined,
    variableIndex: undefined,
  };
}

/** The rule key of a stored decision's campaign (and variation, for rollouts), or '' when no rule has it now. */
export function findRuleKey(rules: readonly CRule[], campaignKey: unknown, variationId: unknown): string {
  for (const r of rules) {
    if (r.key === campaignKey && (variationId === undefined || r.variations[0]?.id === variationId)) return r.ruleKey;
  }
  return '';
}
