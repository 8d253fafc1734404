/**
 * Mutually exclusive groups: which features a group's campaign references point at, and which of their rules
 * take part. Worked out per group from the settings alone, the first time a decision reaches the group.
 */
import type { CFeature, CRule } from './model';
import { EMPTY, rulesOf, type Rec } from './raw-document';

/** A group's campaign references (`groups[g].campaigns`, as given) and the features owning them. */
export interface GroupMembers {
  featureKeys: string[];
  /** Usually an array of strings; kept as given (VWO calls `.includes` on it). */
  refs: any;
  /**
   * Per entry of featureKeys: the rules (of every feature with that key) the group references, first per
   * ruleKey, or the error VWO throws collecting them (thrown only if a decision gets that far).
   */
  memberRules: ReadonlyArray<readonly CRule[] | Error>;
}

/** Group members in VWO's order: references in group order, features in settings order. */
export function findGroupMembers(
  group: Rec | undefined,
  featuresRaw: readonly Rec[],
  compiledByKey: (key: string) => readonly CFeature[],
): GroupMembers {
  const refs: any = group ? group.campaigns : [];
  const featureKeys: string[] = [];
  for (const ref of refs) {
    // VWO splits the reference on "_" into numbers; a rule matches on campaignId and, if given, variationId.
    const [campaignId, variationId] = (ref as string).split('_').map(Number);
    for (const f of featuresRaw) {
      if (featureKeys.indexOf(f.key) !== -1) continue;
      for (const rule of rulesOf(f)) {
        if (rule.campaignId !== campaignId) continue;
        if (variationId === undefined || variationId === null || rule.variationId === variationId) featureKeys.push(f.key);
      }
    }
  }
  // A key listed twice (two rules of a feature on one campaign) adds no rule the second time (dedup by ruleKey).
  const memberRules = featureKeys.map((key, i) =>
    featureKeys.indexOf(key) < i ? EMPTY : referencedRules(compiledByKey(key), refs),
  );
  return { featureKeys, refs, memberRules };
}

function referencedRules(features: readonly CFeature[], refs: any): readonly CRule[] | Error {
  const out: CRule[] = [];
  try {
    for (const f of features) {
      for (const rule of f.rules) {
        if (refs.includes(String(rule.id)) || refs.includes(`${rule.id}_${rule.variations[0].id}`)) {
          if (!out.some((x) => x.ruleKey === rule.ruleKey)) out.push(rule);
        }
      }
    }
  } catch (err) {
    return err as Error;
  }
  return Object.freeze(out);
}
