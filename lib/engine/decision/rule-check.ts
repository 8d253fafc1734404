/**
 * One rule's check (VWO's checkWhitelistingAndPreSeg, docs/decisions.md): whitelisting for AB rules, then the
 * rule's mutually exclusive group, then pre-segmentation (and, in a group, the group's competition).
 */
import { USER_LIST_ID_KEY } from '../constants';
import type { CFeature, CRule, CVariation, MegGroupRef } from '../settings/model';
import type { DecisionState } from './decision-state';
import { competeInGroup, decidedGroupVerdict } from './groups';
import { addWhitelisted } from './integration-payload';
import { passesPreSegmentation } from './pre-segmentation';
import { whitelistedVariation } from './whitelisting';

/** Whether the rule passed; a whitelisted variation also passes, and is served as it is. */
export type RuleVerdict = boolean | CVariation;

const hasOwn = Object.prototype.hasOwnProperty;

/**
 * @param isExperiment experiment rules share the decision's group winners; rollout rules have none (VWO passes null)
 * @param forDecidedFeature false when another feature of a group is checked: nothing of it reaches the payload
 */
export function checkRule(state: DecisionState, feature: CFeature, rule: CRule, isExperiment: boolean, forDecidedFeature: boolean): RuleVerdict {
  const listId = rule.isUserListEnabled ? state.uuid() : state.userId;
  const payload = forDecidedFeature ? state.payload : undefined;
  if (rule.isAB) {
    if (!state.variationTargetingVariablesOwned || state.variationTargetingVariables![USER_LIST_ID_KEY] !== listId) {
      state.variationTargetingVariables = withListId(state.variationTargetingVariables, listId);
      state.variationTargetingVariablesOwned = true;
    }
    if (payload) payload.variationTargetingVariables = state.variationTargetingVariables;
    if (rule.isForcedVariationEnabled) {
      const variation = whitelistedVariation(state, rule);
      if (variation) {
        if (forDecidedFeature) {
          if (payload) addWhitelisted(payload, rule, variation.id);
          state.impression(rule.id, variation.id);
        }
        return variation;
      }
    }
  }
  if (!state.customVariablesOwned || state.customVariables![USER_LIST_ID_KEY] !== listId) {
    state.customVariables = withListId(state.customVariables, listId);
    state.customVariablesOwned = true;
  }
  if (payload) payload.customVariables = state.customVariables;

  const lookup = rule.group;
  let group: MegGroupRef | undefined;
  if (lookup) {
    if ('error' in lookup) throw lookup.error;
    group = lookup;
  }
  if (group === undefined) return passesPreSegmentation(state, rule);
  const decided = decidedGroupVerdict(state, rule, group, isExperiment);
  if (decided !== undefined) return decided;
  const pre = passesPreSegmentation(state, rule);
  if (pre && group.groupId) return competeInGroup(state, feature, rule, group, isExperiment, checkRule);
  return pre;
}

/**
 * `Object.assign({}, vars, {_wingifyUserId: listId})`, as VWO rebuilds customVariables / variationTargetingVariables
 * before each rule (same keys, same order). A for-in copy: object spread is many times slower in V8 here.
 */
function withListId(vars: Record<string, unknown> | undefined, listId: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (vars !== undefined && vars !== null) {
    for (const k in vars) if (hasOwn.call(vars, k)) out[k] = vars[k];
  }
  out[USER_LIST_ID_KEY] = listId;
  return out;
}
