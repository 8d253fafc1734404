/**
 * The integration callback's payload (docs/decisions.md), built as VWO builds its `decision` object. Its key order
 * is observable (callbacks serialise it), so each function below adds its keys at the point of the flow where VWO
 * does; a key set twice keeps its first position. Built only when there is a callback to receive it.
 */
import type { CFeature, CRule } from '../settings/model';
import type { Id, IntegrationPayload } from '../types';
import type { DecisionOutcome } from './decision-outcome';

export function newIntegrationPayload(feature: CFeature, userId: string): IntegrationPayload {
  return {
    featureName: feature.name,
    featureId: feature.id,
    featureKey: feature.key,
    userId,
    api: 'getFlag',
    holdoutIDs: [],
    isPartOfHoldout: false,
    isHoldoutPresent: false,
    isUserPartOfCampaign: false,
  };
}

/** `Object.assign(decision, passedRulesInformation)`: rollout keys, then experiment keys. */
export function addPassedRules(payload: IntegrationPayload, passed: DecisionOutcome): void {
  if (passed.hasRollout) {
    payload.rolloutId = passed.rolloutId;
    payload.rolloutKey = passed.rolloutKey;
    payload.rolloutVariationId = passed.rolloutVariationId;
  }
  if (passed.hasExperiment) {
    payload.experimentId = passed.experimentId;
    payload.experimentKey = passed.experimentKey;
    payload.experimentVariationId = passed.experimentVariationId;
  }
}

/** A whitelisted experiment variation: VWO adds the experiment's keys on its own. */
export function addWhitelisted(payload: IntegrationPayload, rule: CRule, variationId: Id): void {
  payload.experimentId = rule.id;
  payload.experimentKey = rule.key;
  payload.experimentVariationId = variationId;
}

/** The user is in a holdout: the flag is off, and the payload says which holdouts. */
export function addHoldouts(payload: IntegrationPayload, holdoutIds: unknown[]): void {
  payload.holdoutIDs = holdoutIds;
  payload.isEnabled = false;
}
