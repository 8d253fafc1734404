/**
 * Mutually exclusive groups (docs/decisions.md): of the campaigns of one group, a user takes part in one at most.
 * A winner already chosen in this decision or stored in the group's meta record decides at once; otherwise the
 * group's eligible campaigns compete and the winner is stored.
 */
import { CAMPAIGN_AB } from '../constants';
import type { CFeature, CRule, MegGroupRef } from '../settings/model';
import type { DecisionState } from './decision-state';
import { pickGroupWinner } from './group-winner';
import { matchHoldouts } from './holdouts';
import { passesPreSegmentation } from './pre-segmentation';
import { storedHoldoutIds, storedRecord } from './stored-record';
import { inTraffic, trafficVariation } from './traffic';

/** The rule check, handed in by its module (it calls back into this one for a group's other features). */
export type RuleChecker = (state: DecisionState, feature: CFeature, rule: CRule, isExperiment: boolean, forDecidedFeature: boolean) => unknown;

/** A group whose winner is already known: whether this rule is it; undefined when the group is still open. */
export function decidedGroupVerdict(state: DecisionState, rule: CRule, group: MegGroupRef, isExperiment: boolean): boolean | undefined {
  const groupId = group.groupId;
  const winner = isExperiment ? state.groupWinner(groupId) : undefined;
  if (winner) {
    if (rule.isAB) {
      if (winner === rule.id) return true;
    } else if (rule.isPersonalize) {
      if (winner === `${rule.id}_${rule.variations[0].id}`) return true;
    }
    return false;
  } else if (groupId) {
    const s = state.read(group.metaKey);
    if (s && s.experimentKey && s.experimentId) {
      if (s.experimentId === rule.id) {
        if (rule.isPersonalize) {
          if (s.experimentVariationId === rule.variations[0].id) return true;
          setGroupWinner(state, isExperiment, groupId, `${s.experimentId}_${s.experimentVariationId}`);
          return false;
        }
        return true;
      }
      // eslint-disable-next-line eqeqeq
      if (s.experimentVariationId != -1) setGroupWinner(state, isExperiment, groupId, `${s.experimentId}_${s.experimentVariationId}`);
      else setGroupWinner(state, isExperiment, groupId, s.experimentId);
      return false;
    }
  }
  return undefined;
}

/** A rule that passed pre-segmentation in an open group: it passes only if it wins the group. */
export function competeInGroup(state: DecisionState, feature: CFeature, rule: CRule, group: MegGroupRef, isExperiment: boolean, checkRule: RuleChecker): boolean {
  const groupId = group.groupId;
  const w = groupWinner(state, feature, group, checkRule);
  if (w && w.id === rule.id) {
    if (w.type === CAMPAIGN_AB) return true;
    if (w.variations[0].id === rule.variations[0].id) return true;
    setGroupWinner(state, isExperiment, groupId, `${w.id}_${w.variations[0].id}`);
    return false;
  } else if (w) {
    setGroupWinner(state, isExperiment, groupId, w.type === CAMPAIGN_AB ? w.id : `${w.id}_${w.variations[0].id}`);
    return false;
  }
  setGroupWinner(state, isExperiment, groupId, -1);
  return false;
}

/** The group's competition: which of its features may take part, then which of their rules win. */
function groupWinner(state: DecisionState, feature: CFeature, group: MegGroupRef, checkRule: RuleChecker): CRule | null {
  const snap = state.snapshot;
  const { featureKeys, memberRules } = snap.groupMembers(group.groupId);
  // The lists below stay undefined unless needed: most decisions skip no feature and use one pool.
  let featureToSkip: string[] | undefined;
  /** Indexes (into featureKeys) of the features whose referenced rules compete, in order (sized once). */
  let competing: number[] | undefined;
  let competingCount = 0;
  let rulesCount = 0;
  for (let i = 0; i < featureKeys.length; i++) {
    const fk = featureKeys[i];
    const f = snap.featureByKey.get(fk)!;
    if (featureToSkip?.includes(fk)) continue;
    // Another feature already holding the user in a holdout takes no part; nor does one that now does.
    const s = state.read(fk);
    if (storedHoldoutIds(s) !== undefined) {
      (featureToSkip ??= []).push(fk);
      continue;
    }
    const h = matchHoldouts(state, f, s);
    if (h.matched.length > 0) {
      state.write(storedRecord({ featureKey: fk, userId: state.userId, isInHoldoutId: h.matched.map((x) => x.id) }));
      (featureToSkip ??= []).push(fk);
      continue;
    }
    if (!passesRolloutGate(state, f, checkRule)) {
      (featureToSkip ??= []).push(fk);
      continue;
    }
    const rules = memberRules[i];
    if (rules instanceof Error) throw rules;
    if (rules.length > 0) {
      (competing ??= new Array<number>(featureKeys.length - i))[competingCount++] = i;
      rulesCount += rules.length;
    }
  }
  if (!competing) return null;

  let eligible: CRule[] | undefined;
  let eligibleCount = 0;
  let withStorage: CRule[] | undefined;
  for (let c = 0; c < competingCount; c++) {
    const fk = featureKeys[competing[c]];
    const rules = memberRules[competing[c]] as readonly CRule[];
    for (let j = 0; j < rules.length; j++) {
      const r = rules[j];
      const s = state.read(fk);
      if (s?.experimentVariationId) {
        if (s.experimentKey && s.experimentKey === r.key) {
          if (state.storedVariation(s.experimentKey, s.experimentVariationId)) {
            if (!withStorage?.some((x) => x.key === r.key)) (withStorage ??= []).push(r);
            continue;
          }
        }
      }
      if (passesPreSegmentation(state, r) && inTraffic(r, state.bucketingId)) (eligible ??= new Array<CRule>(rulesCount))[eligibleCount++] = r;
    }
  }
  if (eligible) eligible.length = eligibleCount;
  return pickGroupWinner(state, feature, group, withStorage ?? eligible);
}

/** Does another feature of the group pass its rollout (so its experiments may compete)? */
function passesRolloutGate(state: DecisionState, f: CFeature, checkRule: RuleChecker): boolean {
  if (state.rolloutPassed(f.key)) return true;
  if (f.rollouts.length === 0) return true;
  let selected: CRule | undefined;
  const rollouts = f.rollouts;
  for (let i = 0; i < rollouts.length; i++) {
    if (checkRule(state, f, rollouts[i], false, false)) {
      selected = rollouts[i];
      break;
    }
  }
  if (selected && trafficVariation(selected, state.bucketingId)) {
    state.markRolloutPassed(f.key);
    return true;
  }
  return false;
}

/** Records a group's winner for the rest of this decision. */
export function setGroupWinner(state: DecisionState, isExperiment: boolean, groupId: unknown, value: unknown): void {
  // VWO passes no map for rollout rules; a rollout campaign inside a MEG group then throws here (docs/decisions.md).
  if (!isExperiment) throw new TypeError("Cannot read properties of null (reading 'set')");
  state.setGroupWinner(groupId, value);
}
