/**
 * getFlag's decision (docs/decisions.md), step by step: the stored decision, holdouts, rollout rules, experiment
 * rules, then the stored record and the impact impression. The order mirrors VWO's Node SDK, including the order of
 * its side effects, because that order is observable (stored records, group meta records, the payload's key order).
 */
import { IMPACT_VARIATION_DISABLED, IMPACT_VARIATION_ENABLED } from '../constants';
import type { CFeature } from '../settings/model';
import type { Decision, DecisionReason, Id, StoredRecord } from '../types';
import { DecisionOutcome } from './decision-outcome';
import type { DecisionState } from './decision-state';
import { decideExperiments } from './experiments';
import { holdoutDecision } from './holdouts';
import { newIntegrationPayload } from './integration-payload';
import { decisionOf, disabledDecision, findRuleKey } from './result';
import { decideRollout } from './rollout';
import { reuseStoredRollout, storedExperimentDecision, storedHoldoutDecision } from './stored-decision';

export function runDecision(state: DecisionState, withPayload: boolean): Decision {
  const featureKey = state.featureKey;
  const feature = state.snapshot.featureByKey.get(featureKey);
  state.featureId = feature?.id;
  if (withPayload && feature) state.payload = newIntegrationPayload(feature, state.userId);
  const stored = state.read(featureKey);
  const outcome = new DecisionOutcome();

  // Most users have no record for the feature: then there is nothing stored to reuse.
  if (stored !== null) {
    const fromStorage = storedHoldoutDecision(state, feature, stored) ?? storedExperimentDecision(state, feature, stored);
    if (fromStorage) return fromStorage;
    reuseStoredRollout(state, feature, stored, outcome);
  }
  if (!feature) {
    return disabledDecision(featureKey, 'FEATURE_NOT_FOUND', `feature "${featureKey}" is not in settings`, state.userId, state.writes);
  }
  if (!outcome.enabled) {
    const inHoldout = holdoutDecision(state, feature, stored, outcome);
    if (inHoldout) return inHoldout;
  }
  const hasRollouts = feature.rollouts.length > 0;
  if (hasRollouts && !outcome.enabled) decideRollout(state, feature, outcome);
  if (!hasRollouts || outcome.enabled) decideExperiments(state, feature, outcome);

  // Nothing is read after this write: no need to overlay it.
  const enabled = outcome.enabled;
  const record = enabled
    ? outcome.record(featureKey, feature.id, state.userId)
    : ({ featureKey, userId: state.userId, notInHoldoutId: outcome.notInHoldoutIds } as StoredRecord);
  state.write(record, false);
  if (feature.impactCampaignId) {
    state.impression(feature.impactCampaignId as Id, enabled ? IMPACT_VARIATION_ENABLED : IMPACT_VARIATION_DISABLED);
  }
  if (!enabled) {
    const reason: DecisionReason = outcome.notInRollout ? 'NOT_IN_ROLLOUT' : 'NO_RULE_MATCHED';
    return decisionOf(state, { enabled: false, variation: null, reason, feature, integration: state.payload });
  }
  return servedDecision(state, feature, outcome);
}

/** The decision of an enabled flag: the experiment's variation if any, else the rollout's. */
function servedDecision(state: DecisionState, feature: CFeature, outcome: DecisionOutcome): Decision {
  const rolloutVariation = outcome.rolloutVariation;
  let rollout: Decision['rollout'];
  if (outcome.rolloutRule && rolloutVariation) {
    const rule = outcome.rolloutRule;
    rollout = { id: rule.id, key: rule.key, ruleKey: rule.ruleKey, variationId: rolloutVariation.id };
  } else if (outcome.reusesStoredRollout && rolloutVariation) {
    rollout = {
      id: outcome.rolloutId as Id,
      key: outcome.rolloutKey as string,
      ruleKey: findRuleKey(feature.rollouts, outcome.rolloutKey, rolloutVariation.id),
      variationId: rolloutVariation.id,
    };
  }
  const experimentRule = outcome.experimentRule;
  const experimentVariation = outcome.experimentVariation;
  let experiment: Decision['experiment'];
  if (experimentRule && experimentVariation) {
    experiment = {
      id: experimentRule.id,
      key: experimentRule.key,
      ruleKey: experimentRule.ruleKey,
      variationId: experimentVariation.id,
      variationName: experimentVariation.name,
    };
  }
  const reason: DecisionReason = experiment
    ? outcome.whitelisted
      ? 'WHITELISTED'
      : 'EXPERIMENT'
    : outcome.reusesStoredRollout
      ? 'STORED_ROLLOUT'
      : 'ROLLOUT';
  const variation = experimentVariation ?? rolloutVariation;
  return decisionOf(state, { enabled: true, variation, reason, feature, rollout, experiment, integration: state.payload });
}
