/** Rollout rules (docs/decisions.md): only the first rule whose audience matches is tried for traffic. */
import type { CFeature, CRule } from '../settings/model';
import type { DecisionOutcome } from './decision-outcome';
import type { DecisionState } from './decision-state';
import { addPassedRules } from './integration-payload';
import { checkRule } from './rule-check';
import { trafficVariation } from './traffic';

export function decideRollout(state: DecisionState, feature: CFeature, outcome: DecisionOutcome): void {
  const rollouts = feature.rollouts;
  let selected: CRule | undefined;
  for (let i = 0; i < rollouts.length; i++) {
    const rule = rollouts[i];
    if (checkRule(state, feature, rule, false, true)) {
      selected = rule;
      state.markRolloutPassed(state.featureKey);
      break;
    }
  }
  if (!selected) return;
  const variation = trafficVariation(selected, state.bucketingId);
  if (!variation) {
    outcome.notInRollout = true;
    return;
  }
  outcome.serveRollout(selected, variation);
  const payload = state.payload;
  if (payload) {
    payload.isUserPartOfCampaign = true;
    addPassedRules(payload, outcome);
  }
  state.impression(selected.id, variation.id);
}
