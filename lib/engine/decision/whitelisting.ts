/** Whitelisting (docs/decisions.md): the forced variations of an AB rule, matched on variationTargetingVariables. */
import { VARIATION_SCALE, bucketValueJoined, rangeStep } from '../bucketing';
import type { CRule, CVariation } from '../settings/model';
import type { DecisionState } from './decision-state';

/** The variation whitelisting forces for this user, or null. */
export function whitelistedVariation(state: DecisionState, rule: CRule): CVariation | null {
  if (!rule.hasWhitelisting) return null;
  let matched: CVariation[] | undefined;
  for (const v of rule.variations) {
    const seg = v.segments;
    if (!seg.isPlainObject || seg.isEmptyPlainObject) continue;
    if (seg.evaluate(state.variationTargetingVariables, state.env())) (matched ??= []).push(v);
  }
  if (!matched) return null;
  if (matched.length === 1) return matched[0];
  return pickByScaledWeight(matched, bucketValueJoined(rule.whitelistPrefix, state.bucketingId, VARIATION_SCALE));
}

/**
 * Several matches: their weights scaled to 100, picked by bucket. Weights may be numeric strings, so the sum
 * and the division are JavaScript's own coercing arithmetic, as in VWO's SDK.
 */
function pickByScaledWeight(matched: CVariation[], bucket: number): CVariation | null {
  const n = matched.length;
  const total = matched.reduce<unknown>((acc, v) => (acc as number) + (v.weight as number), 0) as number;
  let current = 0;
  for (const v of matched) {
    const weight = !total ? 100 / n : ((v.weight as number) / total) * 100;
    const step = rangeStep(weight);
    if (step && bucket >= current + 1 && bucket <= current + step) return v;
    current += step;
  }
  return null;
}
