/** Traffic allocation and variation choice by bucket (docs/bucketing.md). */
import { TRAFFIC_SCALE, VARIATION_SCALE, bucketValueJoined } from '../bucketing';
import type { CRule, CVariation } from '../settings/model';

/** Whether the user's traffic bucket for this rule falls inside its allocation. */
export function inTraffic(rule: CRule, bucketingId: string): boolean {
  const prefix = rule.trafficPrefix;
  if (prefix === undefined) throw new TypeError(`campaign ${String(rule.id)} has no variations`);
  const b = bucketValueJoined(prefix, bucketingId, TRAFFIC_SCALE);
  return b !== 0 && b <= (rule.trafficAllocation as number);
}

/** The variation the user gets from this rule, or null when outside its traffic (or every range). */
export function trafficVariation(rule: CRule, bucketingId: string): CVariation | null {
  if (!inTraffic(rule, bucketingId)) return null;
  if (rule.isRollout || rule.isPersonalize) return rule.variations[0];
  const b = bucketValueJoined(rule.variationPrefix, bucketingId, VARIATION_SCALE);
  const variations = rule.variations;
  for (let i = 0; i < variations.length; i++) {
    const v = variations[i];
    if (b >= v.start && b <= v.end) return v;
  }
  return null;
}
