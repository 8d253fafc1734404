/**
 * Experiment rules (docs/decisions.md): testing and personalize rules, in order. The first that passes its check
 * ends the search: a whitelisted variation is served as it is, otherwise the user's traffic bucket decides.
 */
import type { CFeature, CRule } from '../settings/model';
import type { DecisionOutcome } from './decision-outcome';
import type { DecisionState } from './decision-state';
import { addPassedRules } from './integration-payload';
import { checkRule } from './rule-check';
import { trafficVariation } from './traffic';

export function decideExperiments(state: DecisionState, feature: CFeature, outcome: DecisionOutcome): void {
  const experiments = feature.experiments;
  let selected: CRule | undefined;
  for (let i = 0; i < experiments.length; i++) {
    const rule = experiments[i];
    const verdict = checkRule(state, feature, rule, true, true);
    if (verdict === false) continue;
    if (verdict === true) {
      selected = rule;
    } else {
      outcome.serveExperiment(rule, verdict, true);
      if (state.payload) state.payload.isUserPartOfCampaign = true;
    }
    break;
  }
  if (!selected) return;
  const variation = trafficVariation(selected, state.bucketingId);
  if (!variation) return;
  outcome.serveExperiment(selected, variation, false);
  const payload = state.payload;
  if (payload) {
    payload.isUserPartOfCampaign = true;
    addPassedRules(payload, outcome);
  }
  state.impression(selected.id, variation.id);
}
