/**
 * getFlag's decision (docs/decisions.md), as a pure synchronous function: settings snapshot, feature key, user
 * context and the user's prefetched storage records in; the decision, the storage writes, the impressions and the
 * integration payload out. No I/O; never throws (every exception VWO's SDK would throw becomes the error flag).
 *
 * The flow mirrors VWO's Node SDK (HEAD, 1.60) step by step, including its order of side effects, because that
 * order is observable (stored records, MEG meta records, the integration payload's key order).
 */
import { VARIATION_SCALE, TRAFFIC_SCALE, bucketValueJoined, rangeStep } from './bucketing';
import {
  CAMPAIGN_AB,
  CAMPAIGN_PERSONALIZE,
  HOLDOUT_VARIATION_IN,
  HOLDOUT_VARIATION_NOT_IN,
  IMPACT_VARIATION_DISABLED,
  IMPACT_VARIATION_ENABLED,
  MEG_RANDOM_ALGO,
  USER_LIST_ID_KEY,
} from './constants';
import type { SettingsSnapshot } from './contract';
import { DecisionError } from './errors';
import type { SegmentEnv } from './segments';
import { CompiledSnapshot } from './settings/compile';
import type { CFeature, CHoldout, CRule, CVariation, MegGroupRef } from './settings/model';
import type {
  Decision,
  DecisionReason,
  EngineLogger,
  GatewayUserData,
  Id,
  Impression,
  StoredLookup,
  StoredRecord,
  VWOUserContext,
} from './types';
import { userIdProblem } from './user-id';
import { getUUID } from './uuid';

type Rec = Record<string, any>;

/** Inputs of a decision that VWO's SDK would fetch over the network; the caller resolves them beforehand. */
export interface DecideOptions {
  /** Location / parsed user agent to use when the context has no `_vwo` (VWO's gateway `/get-user-details`). */
  gateway?: GatewayUserData;
  /** Answers `inlist(<listId>)` checks (VWO's gateway `/check-attribute`); absent ⇒ every inlist check fails. */
  inList?: (listId: string, attribute: string) => boolean;
  /**
   * Let this call's own storage writes be read back later in the same call, as with a synchronous connector
   * (default true). Pass false when no storage is configured: VWO then reads nothing back.
   */
  overlayWrites?: boolean;
}

const EMPTY_VARIABLES = Object.freeze([]) as readonly never[];
// Shared empty results (frozen: a caller pushing into a decision's lists must not leak into other decisions).
const NO_WRITES = Object.freeze([]) as unknown as StoredRecord[];
const NO_IMPRESSIONS = Object.freeze([]) as unknown as Impression[];
const toStr = Object.prototype.toString;

interface Whitelisted {
  variation: CVariation;
  variationId: Id;
}

interface HoldoutResult {
  matched: CHoldout[];
  notMatched: CHoldout[];
  /** Every newly evaluated holdout with its impression variation (1 = in, 2 = not in), in order. */
  evaluated: Array<[CHoldout, number]>;
}
const NO_HOLDOUTS: HoldoutResult = Object.freeze({ matched: [], notMatched: [], evaluated: [] }) as HoldoutResult;

type FeatureInfo = { rolloutId: unknown; rolloutKey: unknown; rolloutVariationId: unknown };

/** evaluateRule's answer: [passed, whitelisted variation]. The common answers are shared, not built per call. */
type RuleOutcome = readonly [boolean, Whitelisted | null];
const PASSED: RuleOutcome = Object.freeze([true, null] as const);
const FAILED: RuleOutcome = Object.freeze([false, null] as const);
const NO_STORED_HOLDOUTS: readonly unknown[] = Object.freeze([]);

/** The rules that passed (VWO's `passedRulesInformation`): stored and sent to the integration callback. */
class Passed {
  hasRollout = false;
  rolloutId: unknown = undefined;
  rolloutKey: unknown = undefined;
  rolloutVariationId: unknown = undefined;
  hasExperiment = false;
  experimentId: unknown = undefined;
  experimentKey: unknown = undefined;
  experimentVariationId: unknown = undefined;

  setRollout(id: unknown, key: unknown, variationId: unknown): void {
    this.hasRollout = true;
    this.rolloutId = id;
    this.rolloutKey = key;
    this.rolloutVariationId = variationId;
  }

  setExperiment(id: unknown, key: unknown, variationId: unknown): void {
    this.hasExperiment = true;
    this.experimentId = id;
    this.experimentKey = key;
    this.experimentVariationId = variationId;
  }

  /** `Object.assign(decision, passedRulesInformation)`: rollout keys, then experiment keys. */
  copyTo(decision: Rec): void {
    if (this.hasRollout) {
      decision.rolloutId = this.rolloutId;
      decision.rolloutKey = this.rolloutKey;
      decision.rolloutVariationId = this.rolloutVariationId;
    }
    if (this.hasExperiment) {
      decision.experimentId = this.experimentId;
      decision.experimentKey = this.experimentKey;
      decision.experimentVariationId = this.experimentVariationId;
    }
  }

  /** The record of an enabled flag (docs/decisions.md), VWO's field order, undefined fields left out. */
  record(featureKey: string, featureId: Id, userId: string, notInHoldoutId: unknown[]): StoredRecord {
    const r: Rec = { featureKey, featureId, userId };
    if (this.rolloutId !== undefined) r.rolloutId = this.rolloutId;
    if (this.rolloutKey !== undefined) r.rolloutKey = this.rolloutKey;
    if (this.rolloutVariationId !== undefined) r.rolloutVariationId = this.rolloutVariationId;
    if (this.experimentId !== undefined) r.experimentId = this.experimentId;
    if (this.experimentKey !== undefined) r.experimentKey = this.experimentKey;
    if (this.experimentVariationId !== undefined) r.experimentVariationId = this.experimentVariationId;
    r.notInHoldoutId = notInHoldoutId;
    return r as StoredRecord;
  }
}

const hasOwn = Object.prototype.hasOwnProperty;

/**
 * `Object.assign({}, vars, {_wingifyUserId: listId})`, as VWO rebuilds customVariables / variationTargetingVariables
 * before each rule (same keys, same order). A for-in copy: object spread is many times slower in V8 here.
 */
function withListId(vars: Rec | undefined, listId: unknown): Rec {
  const out: Rec = {};
  if (vars !== undefined && vars !== null) {
    for (const k in vars) if (hasOwn.call(vars, k)) out[k] = vars[k];
  }
  out[USER_LIST_ID_KEY] = listId;
  return out;
}

/** Builds a storage record with VWO's field order, leaving out undefined fields. */
function record(fields: Rec): StoredRecord {
  const out: Rec = {};
  for (const k in fields) if (fields[k] !== undefined) out[k] = fields[k];
  return out as StoredRecord;
}

class Run {
  /** customVariables / variationTargetingVariables as VWO's context model holds them (mutated per rule). */
  private cv: Rec | undefined;
  private vtv: Rec | undefined;
  /** cv / vtv are copies this run made (never mutated), so an identical copy can be skipped. */
  private cvOwned = false;
  private vtvOwned = false;
  private uuidValue: string | undefined;
  private envValue: SegmentEnv | undefined;
  private overlay: Map<string, StoredRecord> | undefined;
  private readonly suppressEvents: boolean;
  writes: StoredRecord[] = NO_WRITES;
  impressions: Impression[] = NO_IMPRESSIONS;
  /**
   * VWO's evaluatedFeatureMap, of which only the keys are ever read: the decided feature's rollout passed
   * pre-segmentation (or was stored), and which other group features passed their rollout. No Map per call.
   */
  private ownRolloutPassed = false;
  private otherRolloutsPassed: string[] | undefined;
  /** VWO's megGroupWinnerCampaigns of the experiment rules (one per decision), created on first use. */
  private megWinners: Map<unknown, unknown> | undefined;
  private featureId: Id | undefined;

  constructor(
    private readonly snap: CompiledSnapshot,
    private readonly featureKey: string,
    private readonly ctx: VWOUserContext,
    private readonly userId: string,
    private readonly bucketingId: string,
    private readonly read: StoredLookup,
    private readonly logger: EngineLogger | undefined,
    private readonly options: DecideOptions | undefined,
  ) {
    this.cv = ctx.customVariables || undefined;
    this.vtv = ctx.variationTargetingVariables || undefined;
    this.suppressEvents = !!(snap.devMode && ctx.isDevMode);
  }

  // ---------------------------------------------------------------------------------------------------------
  // getFlag (docs/decisions.md)

  decide(): Decision {
    const snap = this.snap;
    const featureKey = this.featureKey;
    const feature = snap.featureByKey.get(featureKey);
    this.featureId = feature?.id;
    // The integration payload, built exactly as VWO builds its `decision` object (key order matters, docs/decisions.md).
    const decision: Rec = {
      featureName: feature?.name,
      featureId: feature?.id,
      featureKey: feature?.key,
      userId: this.userId,
      api: 'getFlag',
      holdoutIDs: [],
      isPartOfHoldout: false,
      isHoldoutPresent: false,
      isUserPartOfCampaign: false,
    };
    let isEnabled = false;
    let rolloutVariation: CVariation | null = null;
    let experimentVariation: CVariation | null = null;
    let checkExperiments = false;
    const passed = new Passed();
    const notInHoldoutIds: unknown[] = [];
    let storedRollout: FeatureInfo | undefined;
    let rolloutRule: CRule | undefined;
    let experimentRule: CRule | undefined;
    let whitelisted = false;
    let disabledReason: DecisionReason = 'NO_RULE_MATCHED';

    const storedData: any = this.get(featureKey);

    // stored holdout short-circuit
    const storedIn: any = storedData?.isInHoldoutId ?? storedData?.holdoutGroupId;
    const storedNotIn: any = storedData?.notInHoldoutId ?? [];
    if (storedIn && (Array.isArray(storedIn) ? storedIn.length > 0 : true)) {
      if (!feature) throw new DecisionError(`stored holdout decision for "${featureKey}", which is not in settings`);
      for (const h of feature.holdouts) {
        if (storedIn.includes(h.id)) {
          const r = this.matchHoldouts(feature, storedData);
          this.write(
            record({
              featureKey,
              userId: this.userId,
              isInHoldoutId: [...storedIn, ...r.matched.map((x) => x.id)],
              notInHoldoutId: [...storedNotIn, ...r.notMatched.map((x) => x.id)],
            }),
          );
          this.holdoutImpressions(r.evaluated, false);
          return this.result(false, null, 'STORED_HOLDOUT', feature, undefined, undefined, undefined);
        }
      }
    }

    // stored decision reuse
    if (storedData?.featureId && snap.featureIds.has(storedData.featureId)) {
      if (storedData.experimentVariationId) {
        if (storedData.experimentKey) {
          const variation = this.storedVariation(storedData.experimentKey, storedData.experimentVariationId);
          if (variation) {
            decision.isUserPartOfCampaign = true;
            if (!feature) throw new DecisionError(`stored decision for "${featureKey}", which is not in settings`);
            this.registerNewHoldouts(feature, storedData, decision);
            const experiment = {
              id: storedData.experimentId,
              key: storedData.experimentKey,
              ruleKey: findRuleKey(feature.experiments, storedData.experimentKey, undefined),
              variationId: variation.id,
              variationName: variation.name,
            };
            return this.result(true, variation, 'STORED_EXPERIMENT', feature, undefined, experiment, undefined);
          }
        }
      } else if (storedData.rolloutKey && storedData.rolloutId) {
        const variation = this.storedVariation(storedData.rolloutKey, storedData.rolloutVariationId);
        if (variation) {
          decision.isUserPartOfCampaign = true;
          if (feature) notInHoldoutIds.push(...this.registerNewHoldouts(feature, storedData, decision));
          isEnabled = true;
          checkExperiments = true;
          rolloutVariation = variation;
          storedRollout = {
            rolloutId: storedData.rolloutId,
            rolloutKey: storedData.rolloutKey,
            rolloutVariationId: storedData.rolloutVariationId,
          };
          this.markRolloutPassed(featureKey);
          passed.setRollout(storedRollout.rolloutId, storedRollout.rolloutKey, storedRollout.rolloutVariationId);
        }
      }
    }

    // see docs/decisions.md
    if (!feature) {
      return disabled(featureKey, 'FEATURE_NOT_FOUND', `feature "${featureKey}" is not in settings`, this.userId, this.writes);
    }

    // holdouts
    if (!isEnabled) {
      const r = this.matchHoldouts(feature, storedData);
      decision.isPartOfHoldout = r.matched.length > 0;
      if (r.matched.length > 0 || r.notMatched.length > 0) decision.isHoldoutPresent = true;
      if (r.matched.length > 0) {
        const ids = r.matched.map((x) => x.id);
        decision.holdoutIDs = ids;
        this.write(
          record({ featureKey, userId: this.userId, isInHoldoutId: ids, notInHoldoutId: r.notMatched.map((x) => x.id) }),
        );
        decision.isEnabled = false;
        // VWO sends these even in dev mode.
        this.holdoutImpressions(r.evaluated, true);
        return this.result(false, null, 'HOLDOUT', feature, undefined, undefined, decision);
      }
      for (const h of r.notMatched) notInHoldoutIds.push(h.id);
      this.holdoutImpressions(r.evaluated, false);
    }

    // rollout rules
    const rollouts = feature.rollouts;
    if (rollouts.length > 0 && !isEnabled) {
      let selected: CRule | undefined;
      for (let i = 0; i < rollouts.length; i++) {
        const rule = rollouts[i];
        if (this.evaluateRule(feature, rule, false, decision)[0]) {
          selected = rule;
          this.markRolloutPassed(featureKey);
          break;
        }
      }
      if (selected) {
        const variation = this.trafficVariation(selected);
        if (variation) {
          isEnabled = true;
          checkExperiments = true;
          rolloutVariation = variation;
          rolloutRule = selected;
          decision.isUserPartOfCampaign = true;
          passed.setRollout(selected.id, selected.key, variation.id);
          passed.copyTo(decision);
          this.impression(selected.id, variation.id);
        } else {
          disabledReason = 'NOT_IN_ROLLOUT';
        }
      }
    } else if (rollouts.length === 0) {
      checkExperiments = true;
    }

    // experiment rules
    if (checkExperiments) {
      let selected: CRule | undefined;
      const experiments = feature.experiments;
      for (let i = 0; i < experiments.length; i++) {
        const rule = experiments[i];
        const outcome = this.evaluateRule(feature, rule, true, decision);
        if (outcome[0]) {
          const wl = outcome[1];
          if (wl === null) {
            selected = rule;
          } else {
            isEnabled = true;
            decision.isUserPartOfCampaign = true;
            experimentVariation = wl.variation;
            experimentRule = rule;
            whitelisted = true;
            passed.setExperiment(rule.id, rule.key, wl.variationId);
          }
          break;
        }
      }
      if (selected) {
        const variation = this.trafficVariation(selected);
        if (variation) {
          isEnabled = true;
          decision.isUserPartOfCampaign = true;
          experimentVariation = variation;
          experimentRule = selected;
          passed.setExperiment(selected.id, selected.key, variation.id);
          passed.copyTo(decision);
          this.impression(selected.id, variation.id);
        }
      }
    }

    // final write
    // Nothing is read after this write: no need to overlay it.
    if (isEnabled) {
      this.write(passed.record(featureKey, feature.id, this.userId, notInHoldoutIds), false);
    } else {
      this.write({ featureKey, userId: this.userId, notInHoldoutId: notInHoldoutIds } as StoredRecord, false);
    }

    // impact campaign
    if (feature.impactCampaignId) {
      this.impression(feature.impactCampaignId as Id, isEnabled ? IMPACT_VARIATION_ENABLED : IMPACT_VARIATION_DISABLED);
    }

    let rollout: Decision['rollout'];
    if (rolloutRule && rolloutVariation) {
      rollout = { id: rolloutRule.id, key: rolloutRule.key, ruleKey: rolloutRule.ruleKey, variationId: rolloutVariation.id };
    } else if (storedRollout && rolloutVariation) {
      rollout = {
        id: storedRollout.rolloutId as Id,
        key: storedRollout.rolloutKey as string,
        ruleKey: findRuleKey(feature.rollouts, storedRollout.rolloutKey, rolloutVariation.id),
        variationId: rolloutVariation.id,
      };
    }
    let experiment: Decision['experiment'];
    if (experimentRule && experimentVariation) {
      experiment = {
        id: experimentRule.id,
        key: experimentRule.key,
        ruleKey: experimentRule.ruleKey,
        variationId: experimentVariation.id,
        variationName: experimentVariation.name,
      };
    }
    if (!isEnabled) return this.result(false, null, disabledReason, feature, undefined, undefined, decision);
    const reason: DecisionReason = experiment
      ? whitelisted
        ? 'WHITELISTED'
        : 'EXPERIMENT'
      : storedRollout
        ? 'STORED_ROLLOUT'
        : 'ROLLOUT';
    return this.result(true, experimentVariation ?? rolloutVariation, reason, feature, rollout, experiment, decision);
  }

  private result(
    enabled: boolean,
    variation: CVariation | null,
    reason: DecisionReason,
    feature: CFeature,
    rollout: Decision['rollout'],
    experiment: Decision['experiment'],
    integration: Rec | undefined,
  ): Decision {
    return {
      featureKey: this.featureKey,
      enabled,
      variables: variation ? variation.variables : EMPTY_VARIABLES,
      reason,
      message: undefined,
      userId: this.userId,
      feature: feature.info,
      rollout,
      experiment,
      writes: this.writes,
      impressions: this.impressions,
      integration,
      variationId: variation ? variation.id : undefined,
      variationName: variation ? variation.name : undefined,
      variableIndex: variation ? variation.variableIndex : undefined,
    };
  }

  // ---------------------------------------------------------------------------------------------------------
  // evaluateRule / checkWhitelistingAndPreSeg (docs/decisions.md)

  private evaluateRule(
    feature: CFeature,
    rule: CRule,
    /** Experiment rules share the decision's MEG winners; rollout rules have none (VWO passes null). */
    isExperiment: boolean,
    decision: Rec | null,
  ): RuleOutcome {
    const listId = rule.isUserListEnabled ? this.uuid() : this.userId;
    if (rule.isAB) {
      if (!this.vtvOwned || this.vtv![USER_LIST_ID_KEY] !== listId) {
        this.vtv = withListId(this.vtv, listId);
        this.vtvOwned = true;
      }
      if (decision) decision.variationTargetingVariables = this.vtv;
      if (rule.isForcedVariationEnabled) {
        const wl = this.whitelist(rule);
        if (wl) {
          if (decision) {
            Object.assign(decision, { experimentId: rule.id, experimentKey: rule.key, experimentVariationId: wl.variationId });
            this.impression(rule.id, wl.variation.id);
          }
          return [true, wl];
        }
      }
    }
    if (!this.cvOwned || this.cv![USER_LIST_ID_KEY] !== listId) {
      this.cv = withListId(this.cv, listId);
      this.cvOwned = true;
    }
    if (decision) decision.customVariables = this.cv;

    const lookup = rule.group;
    let group: MegGroupRef | undefined;
    let groupId: unknown;
    if (lookup) {
      if ('error' in lookup) throw lookup.error;
      group = lookup;
      groupId = lookup.groupId;
    }
    const winner = isExperiment ? this.megWinners?.get(groupId) : undefined;
    if (winner) {
      if (rule.isAB) {
        if (winner === rule.id) return PASSED;
      } else if (rule.isPersonalize) {
        if (winner === `${rule.id}_${rule.variations[0].id}`) return PASSED;
      }
      return FAILED;
    } else if (groupId) {
      const s: any = this.get(group!.metaKey);
      if (s && s.experimentKey && s.experimentId) {
        if (s.experimentId === rule.id) {
          if (rule.isPersonalize) {
            if (s.experimentVariationId === rule.variations[0].id) return PASSED;
            this.megSet(isExperiment, groupId, `${s.experimentId}_${s.experimentVariationId}`);
            return FAILED;
          }
          return PASSED;
        }
        // eslint-disable-next-line eqeqeq
        if (s.experimentVariationId != -1) this.megSet(isExperiment, groupId, `${s.experimentId}_${s.experimentVariationId}`);
        else this.megSet(isExperiment, groupId, s.experimentId);
        return FAILED;
      }
    }

    const pre = this.preSegmentation(rule);
    if (pre && groupId) {
      const w = this.evaluateGroups(feature, group!);
      if (w && w.id === rule.id) {
        if (w.type === CAMPAIGN_AB) return PASSED;
        if (w.variations[0].id === rule.variations[0].id) return PASSED;
        this.megSet(isExperiment, groupId, `${w.id}_${w.variations[0].id}`);
        return FAILED;
      } else if (w) {
        this.megSet(isExperiment, groupId, w.type === CAMPAIGN_AB ? w.id : `${w.id}_${w.variations[0].id}`);
        return FAILED;
      }
      this.megSet(isExperiment, groupId, -1);
      return FAILED;
    }
    return pre ? PASSED : FAILED;
  }

  /** see docs/decisions.md */
  private preSegmentation(rule: CRule): boolean {
    let seg;
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
    return !!seg.evaluate(this.cv, this.env());
  }

  /** forced variations of an AB rule, evaluated against variationTargetingVariables. */
  private whitelist(rule: CRule): Whitelisted | null {
    if (!rule.hasWhitelisting) return null;
    let matched: CVariation[] | undefined;
    for (const v of rule.variations) {
      const seg = v.segments;
      if (!seg.isPlainObject || seg.isEmptyPlainObject) continue;
      if (seg.evaluate(this.vtv, this.env())) (matched ??= []).push(v);
    }
    if (!matched) return null;
    if (matched.length === 1) return { variation: matched[0], variationId: matched[0].id };
    // Several matches: scale their weights to 100 and pick by bucket, with VWO's JavaScript arithmetic.
    const n = matched.length;
    const total: any = matched.reduce((acc: any, v) => acc + (v.weight as any), 0);
    const b = bucketValueJoined(rule.whitelistPrefix, this.bucketingId, VARIATION_SCALE);
    let current = 0;
    for (const v of matched) {
      const weight = !total ? 100 / n : ((v.weight as any) / total) * 100;
      const step = rangeStep(weight);
      if (step && b >= current + 1 && b <= current + step) return { variation: v, variationId: v.id };
      current += step;
    }
    return null;
  }

  // ---------------------------------------------------------------------------------------------------------
  // Traffic and variation (docs/bucketing.md)

  private inTraffic(rule: CRule): boolean {
    const prefix = rule.trafficPrefix;
    if (prefix === undefined) throw new TypeError(`campaign ${String(rule.id)} has no variations`);
    const b = bucketValueJoined(prefix, this.bucketingId, TRAFFIC_SCALE);
    return b !== 0 && b <= (rule.trafficAllocation as number);
  }

  private trafficVariation(rule: CRule): CVariation | null {
    if (!this.inTraffic(rule)) return null;
    if (rule.isRollout || rule.isPersonalize) return rule.variations[0];
    const b = bucketValueJoined(rule.variationPrefix, this.bucketingId, VARIATION_SCALE);
    const variations = rule.variations;
    for (let i = 0; i < variations.length; i++) {
      const v = variations[i];
      if (b >= v.start && b <= v.end) return v;
    }
    return null;
  }

  // ---------------------------------------------------------------------------------------------------------
  // Mutually exclusive groups (docs/decisions.md)

  private evaluateGroups(feature: CFeature, group: MegGroupRef): CRule | null {
    const snap = this.snap;
    const groupId = group.groupId;
    const { featureKeys, memberRules } = snap.groupMembers(groupId);
    // The lists below stay undefined unless needed: most decisions skip no feature and use one pool.
    let featureToSkip: string[] | undefined;
    /** Indexes (into featureKeys) of the features whose referenced rules compete, in order. */
    let competing: number[] | undefined;
    for (let i = 0; i < featureKeys.length; i++) {
      const fk = featureKeys[i];
      const f = snap.featureByKey.get(fk)!;
      if (featureToSkip?.includes(fk)) continue;
      // Another feature already holding the user in a holdout takes no part; nor does one that now does.
      const s: any = this.get(fk);
      const sIn = s?.isInHoldoutId ?? s?.holdoutGroupId;
      if (sIn && (Array.isArray(sIn) ? sIn.length > 0 : true)) {
        (featureToSkip ??= []).push(fk);
        continue;
      }
      const h = this.matchHoldouts(f, s);
      if (h.matched.length > 0) {
        this.write(record({ featureKey: fk, userId: this.userId, isInHoldoutId: h.matched.map((x) => x.id) }));
        (featureToSkip ??= []).push(fk);
        continue;
      }
      if (!this.rolloutGate(f)) {
        (featureToSkip ??= []).push(fk);
        continue;
      }
      const rules = memberRules[i];
      if (rules instanceof Error) throw rules;
      if (rules.length > 0) (competing ??= []).push(i);
    }
    if (!competing) return null;

    let eligible: CRule[] | undefined;
    let withStorage: CRule[] | undefined;
    for (let c = 0; c < competing.length; c++) {
      const fk = featureKeys[competing[c]];
      const rules = memberRules[competing[c]] as readonly CRule[];
      for (let j = 0; j < rules.length; j++) {
        const r = rules[j];
        const s: any = this.get(fk);
        if (s?.experimentVariationId) {
          if (s.experimentKey && s.experimentKey === r.key) {
            if (this.storedVariation(s.experimentKey, s.experimentVariationId)) {
              if (!withStorage?.some((x) => x.key === r.key)) (withStorage ??= []).push(r);
              continue;
            }
          }
        }
        if (this.preSegmentation(r) && this.inTraffic(r)) (eligible ??= []).push(r);
      }
    }

    const pool = withStorage ?? eligible;
    if (!pool) return null;
    if (pool.length === 1) return pool[0];
    const called = snap.ruleCampaignIdsByKey.get(feature.key)!;
    const et = snap.groups[groupId as string]?.et;
    const algo = et !== undefined ? et : MEG_RANDOM_ALGO;
    return algo === MEG_RANDOM_ALGO ? this.megRandom(pool, called, group) : this.megAdvanced(pool, called, group);
  }

  /** see docs/decisions.md */
  private megRandom(candidates: CRule[], called: readonly unknown[], group: MegGroupRef): CRule | null {
    const weight = Math.round((100 / candidates.length) * 10000) / 10000;
    const winner = this.pickByWeight(candidates, null, weight, group);
    if (!winner) return null;
    // VWO's random winner is a variation model built from the campaign: its key is `key || name`.
    this.writeMegWinner(group, winner, winner.key || winner.name);
    return called.includes(winner.id) ? winner : null;
  }

  /** see docs/decisions.md */
  private megAdvanced(candidates: CRule[], called: readonly unknown[], group: MegGroupRef): CRule | null {
    const settings = this.snap.groups[group.groupId as string];
    const priority: any = settings.p !== undefined ? settings.p : {};
    const wt: any = settings.wt !== undefined ? settings.wt : {};
    let winner: CRule | null = null;
    let winnerKey: string | undefined;
    outer: for (let i = 0; i < priority.length; i++) {
      for (const c of candidates) {
        // eslint-disable-next-line eqeqeq
        if ((c.id as any) == priority[i] || `${c.id}_${c.variations[0].id}` === priority[i]) {
          winner = c;
          winnerKey = c.key;
          break outer;
        }
      }
    }
    if (!winner) {
      const weights: unknown[] = [];
      const participants: CRule[] = [];
      for (const c of candidates) {
        let w = wt[c.id as string];
        if (w === undefined) w = wt[`${c.id}_${c.variations[0].id}`];
        if (w !== undefined) {
          participants.push(c);
          weights.push(w);
        }
      }
      winner = this.pickByWeight(participants, weights, undefined, group);
      winnerKey = winner ? winner.key || winner.name : undefined;
    }
    if (!winner) return null;
    this.writeMegWinner(group, winner, winnerKey!);
    return called.includes(winner.id) ? winner : null;
  }

  /**
   * Cumulative ranges (docs/settings.md steps) over the candidates and the `<groupId>_<bucketingId>` bucket. Each candidate
   * weighs `weights[i]`, or `sameWeight` when weights is null (no per-call closure or array).
   */
  private pickByWeight(candidates: CRule[], weights: unknown[] | null, sameWeight: unknown, group: MegGroupRef): CRule | null {
    if (candidates.length === 0) return null;
    const b = bucketValueJoined(group.bucketPrefix, this.bucketingId, VARIATION_SCALE);
    let current = 0;
    for (let i = 0; i < candidates.length; i++) {
      const step = rangeStep(weights ? weights[i] : sameWeight);
      if (step && b >= current + 1 && b <= current + step) return candidates[i];
      current += step;
    }
    return null;
  }

  private writeMegWinner(group: MegGroupRef, winner: CRule, key: string): void {
    // Built directly (not through record()): validated settings leave none of these fields undefined.
    this.write({
      featureKey: group.metaKey,
      userId: this.userId,
      experimentId: winner.id,
      experimentKey: key,
      experimentVariationId: winner.type === CAMPAIGN_PERSONALIZE ? winner.variations[0].id : -1,
    } as StoredRecord);
  }

  /** docs/decisions.md: does another feature of the group pass its rollout (so its experiments may compete)? */
  private rolloutGate(f: CFeature): boolean {
    if (this.rolloutPassed(f.key)) return true;
    if (f.rollouts.length === 0) return true;
    let selected: CRule | undefined;
    const rollouts = f.rollouts;
    for (let i = 0; i < rollouts.length; i++) {
      if (this.evaluateRule(f, rollouts[i], false, null)[0]) {
        selected = rollouts[i];
        break;
      }
    }
    if (selected) {
      const variation = this.trafficVariation(selected);
      if (variation) {
        this.markRolloutPassed(f.key);
        return true;
      }
    }
    return false;
  }

  private rolloutPassed(key: string): boolean {
    return key === this.featureKey ? this.ownRolloutPassed : !!this.otherRolloutsPassed?.includes(key);
  }

  private markRolloutPassed(key: string): void {
    if (key === this.featureKey) this.ownRolloutPassed = true;
    else if (!this.otherRolloutsPassed) this.otherRolloutsPassed = [key];
    else if (!this.otherRolloutsPassed.includes(key)) this.otherRolloutsPassed.push(key);
  }

  private megSet(isExperiment: boolean, groupId: unknown, value: unknown): void {
    // VWO passes no map for rollout rules; a rollout campaign inside a MEG group then throws here (docs/decisions.md).
    if (!isExperiment) throw new TypeError("Cannot read properties of null (reading 'set')");
    (this.megWinners ??= new Map()).set(groupId, value);
  }

  // ---------------------------------------------------------------------------------------------------------
  // Holdouts (docs/decisions.md)

  /** VWO's getMatchedHoldouts: evaluates the feature's holdouts not yet recorded in `stored`. */
  private matchHoldouts(feature: CFeature, stored: any): HoldoutResult {
    const holdouts = feature.holdouts;
    // VWO spreads both stored lists first (a malformed record throws even without holdouts).
    const already: readonly unknown[] = stored
      ? [...(stored.isInHoldoutId ?? []), ...(stored.notInHoldoutId ?? [])]
      : NO_STORED_HOLDOUTS;
    if (holdouts.length === 0) return NO_HOLDOUTS;
    const result: HoldoutResult = { matched: [], notMatched: [], evaluated: [] };
    for (let i = 0; i < holdouts.length; i++) {
      const h = holdouts[i];
      if (already.includes(h.id)) continue;
      let segmentPass = true;
      if (h.segments.hasKeys) segmentPass = !!h.segments.evaluate(this.cv, this.env());
      let variation: number;
      if (!segmentPass) {
        variation = HOLDOUT_VARIATION_NOT_IN;
        result.notMatched.push(h);
      } else {
        const b = bucketValueJoined(h.keyPrefix, this.userId, TRAFFIC_SCALE);
        const isIn = b !== 0 && b <= (h.percentTraffic as number);
        variation = isIn ? HOLDOUT_VARIATION_IN : HOLDOUT_VARIATION_NOT_IN;
        (isIn ? result.matched : result.notMatched).push(h);
      }
      result.evaluated.push([h, variation]);
    }
    return result;
  }

  /** VWO's sendNetworkCallsForNotInHoldouts: holdouts added after a stored decision count as "not in". */
  private registerNewHoldouts(feature: CFeature, stored: any, decision: Rec): unknown[] {
    const holdouts = feature.holdouts;
    const notIn: unknown[] = [...(stored?.notInHoldoutId ?? [])];
    const isIn: unknown[] = [...(stored?.isInHoldoutId ?? [])];
    const initial = notIn.length;
    if (holdouts.length > 0) decision.isHoldoutPresent = true;
    for (const h of holdouts) {
      if (!notIn.includes(h.id) && !isIn.includes(h.id)) {
        notIn.push(h.id);
        this.impression(h.id, HOLDOUT_VARIATION_NOT_IN, true);
      }
    }
    if (notIn.length > initial) this.write(record({ featureKey: feature.key, userId: this.userId, notInHoldoutId: notIn }));
    return notIn;
  }

  private holdoutImpressions(evaluated: Array<[CHoldout, number]>, evenInDevMode: boolean): void {
    for (const [h, variation] of evaluated) this.impression(h.id, variation, true, evenInDevMode);
  }

  // ---------------------------------------------------------------------------------------------------------
  // Plumbing

  private storedVariation(campaignKey: unknown, variationId: unknown): CVariation | undefined {
    return this.snap.campaignByKey.get(campaignKey as string)?.variationById.get(variationId);
  }

  private uuid(): string {
    return (this.uuidValue ??= getUUID(this.userId, this.snap.accountId));
  }

  /** A record as VWO's storage would return it: this call's writes first (when overlaid), then the prefetched ones. */
  private get(key: string): any {
    const overlay = this.overlay;
    if (overlay !== undefined && overlay.has(key)) return overlay.get(key);
    let value: unknown;
    try {
      value = this.read(key);
    } catch {
      value = null;
    }
    return value ?? null;
  }

  /** VWO's StorageDecorator.setDataInStorage, including the records it refuses to write. */
  private write(r: StoredRecord, overlay = true): void {
    const x = r as Rec;
    if (!x.featureKey || !x.userId) return;
    if ((x.rolloutKey && !x.experimentKey && !x.rolloutVariationId) || (x.experimentKey && !x.experimentVariationId)) {
      this.logger?.warn(`VWO: not storing an incomplete decision record for "${String(x.featureKey)}"`);
      return;
    }
    // A literal sizes the list exactly; most decisions write once.
    if (this.writes === NO_WRITES) this.writes = [r];
    else this.writes.push(r);
    if (overlay && this.options?.overlayWrites !== false) (this.overlay ??= new Map()).set(x.featureKey, r);
  }

  private impression(campaignId: Id, variationId: Id, isHoldout = false, evenInDevMode = false): void {
    if (this.suppressEvents && !evenInDevMode) return;
    const imp: Impression = { campaignId, variationId, featureId: this.featureId as Id };
    if (isHoldout) imp.isHoldout = true;
    if (this.impressions === NO_IMPRESSIONS) this.impressions = [imp];
    else this.impressions.push(imp);
  }

  private env(): SegmentEnv {
    if (this.envValue) return this.envValue;
    const ctx = this.ctx;
    const env: SegmentEnv = {
      userId: this.userId,
      userAgent: ctx.userAgent,
      ipAddress: ctx.ipAddress,
      gateway: ctx._vwo || ctx._wingify || this.options?.gateway,
      platformVariables: ctx.platformVariables,
      featureIdState: (featureId: number) => {
        const key = this.snap.featureKeyById.get(featureId);
        if (key === undefined) return 'unknown';
        const r = this.get(key);
        return toStr.call(r) === '[object Object]' && Object.keys(r).length > 0 ? 'on' : 'off';
      },
      inList: this.options?.inList,
      logger: this.logger,
    };
    return (this.envValue = env);
  }
}

function findRuleKey(rules: readonly CRule[], campaignKey: unknown, variationId: unknown): string {
  for (const r of rules) {
    if (r.key === campaignKey && (variationId === undefined || r.variations[0]?.id === variationId)) return r.ruleKey;
  }
  return '';
}

function disabled(
  featureKey: string,
  reason: DecisionReason,
  message: string | undefined,
  userId: string | undefined,
  writes: StoredRecord[] = NO_WRITES,
): Decision {
  return {
    featureKey,
    enabled: false,
    variables: EMPTY_VARIABLES,
    reason,
    message,
    userId,
    feature: undefined,
    rollout: undefined,
    experiment: undefined,
    writes,
    impressions: NO_IMPRESSIONS,
    integration: undefined,
    variationId: undefined,
    variationName: undefined,
    variableIndex: undefined,
  };
}

/** docs/bucketing.md: the bucketing seed VWO keeps, or undefined (logged) for the values it drops. */
function bucketingSeedOf(context: VWOUserContext, logger: EngineLogger | undefined): unknown {
  if (!('bucketingSeed' in context)) return undefined;
  const seed: unknown = context.bucketingSeed;
  if (
    seed === undefined ||
    seed === null ||
    typeof seed === 'number' ||
    typeof seed === 'object' ||
    (typeof seed === 'string' && seed.trim() === '')
  ) {
    logger?.warn(`VWO: invalid bucketingSeed (${seed === null ? 'null' : typeof seed}); bucketing by user id`);
    return undefined;
  }
  return seed;
}

/**
 * Decides one flag for one user (docs/decisions.md). `stored` answers synchronously from records the caller
 * prefetched for `snapshot.storageKeys(featureKey)`. Never throws: invalid input and every exception VWO's SDK
 * would throw give a disabled decision (reason INVALID_*, FEATURE_NOT_FOUND or ERROR) with no variables.
 */
export function decide(
  snapshot: SettingsSnapshot,
  featureKey: string,
  context: VWOUserContext,
  stored: StoredLookup,
  logger?: EngineLogger,
  options?: DecideOptions,
): Decision {
  if (typeof featureKey !== 'string') {
    return disabled(String(featureKey), 'INVALID_FEATURE_KEY', 'featureKey must be a string', undefined);
  }
  if (!(snapshot instanceof CompiledSnapshot)) {
    return disabled(featureKey, 'SETTINGS_NOT_READY', 'no valid settings yet', undefined);
  }
  const idProblem = userIdProblem(context);
  if (idProblem) return disabled(featureKey, 'INVALID_CONTEXT', idProblem, undefined);
  const userId = String(context.id);
  let run: Run | undefined;
  try {
    const seed = bucketingSeedOf(context, logger);
    const bucketingId = seed ? String(seed) : userId;
    run = new Run(snapshot, featureKey, context, userId, bucketingId, stored ?? noStorage, logger, options);
    return run.decide();
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    logger?.warn(`VWO: getFlag("${featureKey}") failed, returning a disabled flag: ${message}`);
    // Writes already made stay made (VWO does not roll them back); impressions were still queued, so dropped.
    return disabled(featureKey, 'ERROR', message, userId, run ? run.writes : NO_WRITES);
  }
}

const noStorage: StoredLookup = () => undefined;
