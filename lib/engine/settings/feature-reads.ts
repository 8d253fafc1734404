/**
 * What one decision of a feature may read, so the caller can fetch it all before deciding synchronously:
 * storage keys (the feature, its groups' winner records, the other features of those groups, features named by
 * `featureId` segments) and `inlist` checks, over every segment the decision may evaluate.
 */
import { featureIdRefs, inlistRefs, type Segment } from '../segments';
import type { CFeature } from './model';
import type { GroupMembers } from './group-members';

export interface FeatureReads {
  readonly keys: readonly string[];
  readonly inlist: readonly { readonly variable: string; readonly listId: string }[];
}

/** The parts of a snapshot the reads are worked out from. */
export interface ReadsSource {
  featuresWithKey(key: string): readonly CFeature[];
  groupMembers(groupId: unknown): GroupMembers;
  readonly featureKeyById: ReadonlyMap<unknown, string>;
}

export function featureReads(source: ReadsSource, feature: CFeature): FeatureReads {
  const keys: string[] = [feature.key];
  const add = (k: string | undefined): void => {
    if (k !== undefined && !keys.includes(k)) keys.push(k);
  };
  const involved: CFeature[] = [...source.featuresWithKey(feature.key)];
  for (const rule of feature.rules) {
    const g = rule.group;
    if (!g || 'error' in g) continue;
    add(g.metaKey);
    let members: string[] = [];
    try {
      members = source.groupMembers(g.groupId).featureKeys;
    } catch {
      // a broken group ends in the error flag when the decision reaches it
    }
    for (const k of members) {
      add(k);
      for (const f of source.featuresWithKey(k)) if (!involved.includes(f)) involved.push(f);
    }
  }
  const inlist = new Map<string, { variable: string; listId: string }>();
  for (const f of involved) {
    for (const s of segmentsOf(f)) {
      for (const id of featureIdRefs(s.dsl)) add(source.featureKeyById.get(id));
      for (const ref of inlistRefs(s.dsl)) inlist.set(`${ref.variable}\u0000${ref.listId}`, Object.freeze(ref));
    }
  }
  return Object.freeze({ keys: Object.freeze(keys), inlist: Object.freeze([...inlist.values()]) });
}

/** Every segment a decision of this feature may evaluate: its rules' and its holdouts'. */
function segmentsOf(feature: CFeature): Segment[] {
  const out: Segment[] = [];
  for (const rule of feature.rules) {
    out.push(rule.campaignSegments);
    for (const v of rule.variations) out.push(v.segments);
  }
  for (const h of feature.holdouts) out.push(h.segments);
  return out;
}
