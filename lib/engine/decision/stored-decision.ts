/**
 * The stored decision (docs/decisions.md): a user stored in a holdout stays out, a stored experiment variation
 * is served again, and a stored rollout variation is reused (its experiments are still evaluated).
 */
import { DecisionError } from '../errors';
import type { CFeature } from '../settings/model';
import type { Decision, StoredRecord } from '../types';
import type { DecisionOutcome } from './decision-outcome';
import type { DecisionState } from './decision-state';
import { holdoutImpressions, idsOf, matchHoldouts, registerNewHoldouts } from './holdouts';
import { decisionOf, findRuleKey } from './result';
import { storedHoldoutIds, storedRecord } from './stored-record';

/** A user the stored record puts in one of the feature's holdouts: newly added holdouts are evaluated too. */
export function storedHoldoutDecision(state: DecisionState, feature: CFeature | undefined, stored: StoredRecord): Decision | undefined {
  const storedIn = storedHoldoutIds(stored) as (unknown[] & Iterable<unknown>) | undefined;
  if (!storedIn) return undefined;
  if (!feature) throw new DecisionError(`stored holdout decision for "${state.featureKey}", which is not in settings`);
  for (const h of feature.holdouts) {
    if (!storedIn.includes(h.id)) continue;
    const storedNotIn = (stored.notInHoldoutId ?? []) as Iterable<unknown>;
    const r = matchHoldouts(state, feature, stored);
    state.write(
      storedRecord({
        featureKey: state.featureKey,
        userId: state.userId,
        isInHoldoutId: [...storedIn, ...idsOf(r.matched)!] as StoredRecord['isInHoldoutId'],
        notInHoldoutId: [...storedNotIn, ...idsOf(r.notMatched)!] as StoredRecord['notInHoldoutId'],
      }),
    );
    holdoutImpressions(state, r.evaluated, false);
    return decisionOf(state, { enabled: false, variation: null, reason: 'STORED_HOLDOUT', feature });
  }
  return undefined;
}

/** A stored experiment variation still in the settings: served again, with no impression of it. */
export function storedExperimentDecision(state: DecisionState, feature: CFeature | undefined, stored: StoredRecord): Decision | undefined {
  if (!isReusable(state, stored) || !stored.experimentVariationId || !stored.experimentKey) return undefined;
  const variation = state.storedVariation(stored.experimentKey, stored.experimentVariationId);
  if (!variation) return undefined;
  if (state.payload) state.payload.isUserPartOfCampaign = true;
  if (!feature) throw new DecisionError(`stored decision for "${state.featureKey}", which is not in settings`);
  registerNewHoldouts(state, feature, stored);
  const experiment = {
    id: stored.experimentId!,
    key: stored.experimentKey,
    ruleKey: findRuleKey(feature.experiments, stored.experimentKey, undefined),
    variationId: variation.id,
    variationName: variation.name,
  };
  return decisionOf(state, { enabled: true, variation, reason: 'STORED_EXPERIMENT', feature, experiment });
}

/** A stored rollout variation still in the settings: the outcome starts from it. */
export function reuseStoredRollout(state: DecisionState, feature: CFeature | undefined, stored: StoredRecord, outcome: DecisionOutcome): void {
  if (!isReusable(state, stored) || stored.experimentVariationId || !stored.rolloutKey || !stored.rolloutId) return;
  const variation = state.storedVariation(stored.rolloutKey, stored.rolloutVariationId);
  if (!variation) return;
  if (state.payload) state.payload.isUserPartOfCampaign = true;
  if (feature) outcome.notInHoldoutIds.push(...registerNewHoldouts(state, feature, stored));
  outcome.reuseStoredRollout(stored, variation);
  state.markRolloutPassed(state.featureKey);
}

/** Only a record of a feature that is still in the settings is reused. */
function isReusable(state: DecisionState, stored: StoredRecord): boolean {
  return !!stored.featureId && state.snapshot.featureIds.has(stored.featureId);
}
