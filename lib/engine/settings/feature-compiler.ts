/**
 * Builds the decision-ready form of one feature: its rules linked to their campaigns, variation ranges assigned,
 * variables indexed, segments compiled. The snapshot calls it the first time a feature is decided, so applying a
 * document costs little more than validating it, however many features it holds.
 */
import { rangeStep } from '../bucketing';
import { CAMPAIGN_AB, CAMPAIGN_PERSONALIZE, CAMPAIGN_ROLLOUT, MEG_META_KEY_PREFIX } from '../constants';
import type { SegmentCompiler } from '../segments';
import type { Id, Variable } from '../types';
import type { CCampaign, CFeature, CHoldout, CRule, CVariation, GroupLookup } from './model';
import { EMPTY, isPlainObjectLiteral, list, rulesOf, variationsOf, type Rec } from './raw-document';

const EMPTY_INDEX: ReadonlyMap<string, unknown> = new Map();

/** What the compiler needs from the whole document. */
export interface DocumentParts {
  readonly accountId: Id;
  readonly campaignGroups: Rec;
  readonly groups: Rec;
  /** Raw campaign per id (the last of duplicate ids, as VWO's linking map). */
  readonly campaignById: ReadonlyMap<unknown, Rec>;
  readonly holdouts: readonly CHoldout[];
}

export class FeatureCompiler {
  /** One compiled campaign per raw campaign object, shared by every rule linked to it. */
  private readonly campaigns = new Map<Rec, CCampaign>();

  constructor(
    private readonly doc: DocumentParts,
    private readonly segments: SegmentCompiler,
  ) {}

  feature(f: Rec): CFeature {
    const rulesRaw = rulesOf(f);
    const rules: CRule[] = [];
    for (const r of rulesRaw) {
      const raw = this.doc.campaignById.get(r.campaignId);
      if (raw) rules.push(this.rule(raw, r));
    }
    return Object.freeze({
      id: f.id,
      key: f.key,
      name: f.name,
      type: f.type,
      isDebuggerEnabled: !!f.isDebuggerEnabled,
      info: Object.freeze({ id: f.id, key: f.key, name: f.name }),
      impactCampaignId: f.impactCampaign ? f.impactCampaign.campaignId : undefined,
      rules: Object.freeze(rules),
      rollouts: Object.freeze(rules.filter((r) => r.isRollout)),
      experiments: Object.freeze(rules.filter((r) => r.isAB || r.isPersonalize)),
      holdouts: Object.freeze(this.doc.holdouts.filter((h) => h.isGlobal || h.featureIds.includes(f.id))),
      ruleCampaignIds: Object.freeze(rulesRaw.map((r) => r.campaignId)),
      ruleVariationIds: Object.freeze(rulesRaw.map((r) => r.variationId)),
    });
  }

  campaign(raw: Rec): CCampaign {
    let compiled = this.campaigns.get(raw);
    if (!compiled) {
      compiled = this.buildCampaign(raw);
      this.campaigns.set(raw, compiled);
    }
    return compiled;
  }

  private buildCampaign(raw: Rec): CCampaign {
    const type = raw.type as string;
    const isRangeCampaign = !(type === CAMPAIGN_ROLLOUT || type === CAMPAIGN_PERSONALIZE);
    let current = 0;
    const variations: CVariation[] = [];
    const variationById = new Map<unknown, CVariation>();
    for (const v of variationsOf(raw)) {
      const weight = v.w || v.weight;
      let start: number;
      let end: number;
      if (isRangeCampaign) {
        // Testing (and any non-rollout type): cumulative ranges, computed in doubles exactly as VWO does.
        const step = rangeStep(weight);
        start = step ? current + 1 : -1;
        end = step ? current + step : -1;
        current += step;
      } else {
        // Rollout/personalize ranges are never used for decisions.
        start = 1;
        end = (weight as number) * 100;
      }
      const segRaw = v.seg || v.segments;
      const { variables, index } = buildVariables(v.variables);
      const variation: CVariation = Object.freeze({
        id: v.i || v.id,
        name: v.n || v.key || v.name,
        weight,
        salt: v.salt,
        segments: this.segments.compile(segRaw ? segRaw : undefined),
        start,
        end,
        variables,
        variableIndex: index,
      });
      variations.push(variation);
      if (!variationById.has(variation.id)) variationById.set(variation.id, variation);
    }
    return Object.freeze({ id: raw.id, key: raw.key, name: raw.name, type, variations: Object.freeze(variations), variationById });
  }

  private rule(c: Rec, rawRule: Rec): CRule {
    const campaign = this.campaign(c);
    let variations = campaign.variations;
    if (rawRule.variationId) {
      const v = campaign.variations.find((x) => x.id === rawRule.variationId);
      if (v) variations = Object.freeze([v]);
    }
    const type = campaign.type;
    const isRollout = type === CAMPAIGN_ROLLOUT;
    const isPersonalize = type === CAMPAIGN_PERSONALIZE;
    const var0 = variations[0];
    const id = campaign.id;
    const groupRef = isPersonalize && !var0 ? undefined : isPersonalize ? `${id}_${var0.id}` : String(id);
    const rollish = isRollout || isPersonalize;
    const trafficSalt = rollish ? var0?.salt : c.salt;
    const saltOrId = c.salt ? c.salt : id;
    return Object.freeze({
      id,
      key: campaign.key,
      name: campaign.name,
      type,
      ruleKey: rawRule.ruleKey,
      isAB: type === CAMPAIGN_AB,
      isRollout,
      isPersonalize,
      salt: c.salt,
      percentTraffic: c.percentTraffic,
      isForcedVariationEnabled: c.isForcedVariationEnabled,
      isUserListEnabled: c.isUserListEnabled,
      campaignSegments: this.segments.compile(c.segments),
      variations,
      group: this.groupOf(id, isPersonalize && !var0, groupRef),
      groupRef,
      trafficPrefix: rollish && !var0 ? undefined : trafficSalt ? `${trafficSalt}_` : `${id}_`,
      trafficAllocation: rollish ? var0?.weight : c.percentTraffic,
      variationPrefix: `${saltOrId}_${this.doc.accountId}_`,
      whitelistPrefix: `${saltOrId}_`,
      hasWhitelisting: variations.some((v) => v.segments.isPlainObject && !v.segments.isEmptyPlainObject),
    });
  }

  /** Where a rule's campaign sits in `campaignGroups`, or the error VWO throws looking it up. */
  private groupOf(id: unknown, personalizeWithoutVariation: boolean, groupRef: string | undefined): GroupLookup | null {
    if (personalizeWithoutVariation) return { error: new TypeError(`campaign ${String(id)} (personalize) has no variations`) };
    const { campaignGroups, groups } = this.doc;
    if (!campaignGroups || !Object.prototype.hasOwnProperty.call(campaignGroups, groupRef as string)) return null;
    const groupId = campaignGroups[groupRef as string];
    const g = groups[groupId as string];
    return g === undefined || g === null
      ? { error: new TypeError(`campaignGroups["${groupRef}"] points at group ${String(groupId)}, which is not in groups`) }
      : { groupId, metaKey: `${MEG_META_KEY_PREFIX}${groupId}`, bucketPrefix: `${groupId}_` };
  }
}

function buildVariables(raw: unknown): { variables: readonly Variable[]; index: ReadonlyMap<string, unknown> } {
  const items = isPlainObjectLiteral(raw) ? [] : list(raw);
  if (items.length === 0) return { variables: EMPTY, index: EMPTY_INDEX };
  const variables: Variable[] = [];
  const index = new Map<string, unknown>();
  for (const v of items) {
    // VWO's variable model: aliases with `??`; JSON key order value, type, key, id.
    const variable = { value: v.val ?? v.value, type: v.type, key: v.k ?? v.key, id: v.i ?? v.id } as Variable;
    variables.push(Object.freeze(variable));
    if (!index.has(variable.key)) index.set(variable.key, variable.value);
  }
  return { variables: Object.freeze(variables), index };
}
