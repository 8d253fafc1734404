/** Pre-segmentation (docs/decisions.md): does the user match the rule's audience before any bucketing? */
import type { Segment } from '../segments';
import type { CRule } from '../settings/model';
import type { DecisionState } from './decision-state';

export function passesPreSegmentation(state: DecisionState, rule: CRule): boolean {
  let seg: Segment;
  if (rule.isRollout || rule.isPersonalize) {
    const v0 = rule.variations[0];
    if (!v0) throw new TypeError(`campaign ${String(rule.id)} has no variations`);
    seg = v0.segments;
  } else if (rule.isAB) {
    seg = rule.campaignSegments;
  } else {
    return true;
  }
  if (seg.isEmptyPlainObject) return true;
  return !!seg.evaluate(state.customVariables, state.env());
}
