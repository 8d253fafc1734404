/**
 * Raw VWO settings documents (the JSON the server sends, docs/settings.md) and a builder that
 * allocates ids and keys the way VWO does: campaign key `<featureKey>_<ruleKey>`, variation ids
 * 1..n per campaign, one variable of each type per variation. Shared by the benchmarks and the
 * differential test; it validates nothing, so it can also build documents VWO would never send.
 */

export type CampaignType = 'FLAG_ROLLOUT' | 'FLAG_TESTING' | 'FLAG_PERSONALIZE';
export type Segments = Record<string, unknown>;

export interface VariableDoc {
  id: number;
  key: string;
  type: string;
  value: unknown;
}

export interface VariationDoc {
  id: number;
  name: string;
  weight: number;
  segments?: Segments;
  variables?: VariableDoc[];
  salt?: string;
}

export interface CampaignDoc {
  id: number;
  key: string;
  name: string;
  type: CampaignType;
  status: string;
  segments: Segments;
  variations: VariationDoc[];
  percentTraffic?: number;
  isForcedVariationEnabled?: boolean;
  isUserListEnabled?: boolean;
  salt?: string;
}

export interface RuleDoc {
  type: CampaignType;
  ruleKey: string;
  campaignId: number;
  variationId?: number;
}

export interface MetricDoc {
  id: number;
  type: string;
  identifier: string;
}

export interface FeatureDoc {
  id: number;
  key: string;
  name: string;
  type: string;
  status: string;
  metrics: MetricDoc[];
  rules: RuleDoc[];
}

export interface GroupDoc {
  name: string;
  campaigns: string[];
  /** 1 (or absent) = random; anything else = advanced (priority `p`, then weights `wt`). */
  et?: number;
  p?: string[];
  wt?: Record<string, number>;
}

export interface SettingsDoc {
  accountId: number | string;
  version: number;
  sdkKey?: string;
  features: FeatureDoc[];
  campaigns: CampaignDoc[];
  groups?: Record<string, GroupDoc>;
  campaignGroups?: Record<string, number>;
  [key: string]: unknown;
}

/** Variables of one variation: one per VWO type, each value tagged so two variations never serve the same set. */
export function variablesFor(tag: string, seed: number): VariableDoc[] {
  return [
    { id: 1, key: 'int', type: 'integer', value: seed },
    { id: 2, key: 'float', type: 'double', value: seed + 0.25 },
    { id: 3, key: 'string', type: 'string', value: tag },
    { id: 4, key: 'boolean', type: 'boolean', value: seed % 2 === 0 },
    { id: 5, key: 'json', type: 'json', value: { tag, list: [seed, tag] } },
  ];
}

/** The string a group lists for a campaign: `"<id>"`, or `"<id>_<variationId>"` for a personalize rule. */
export function campaignRef(campaign: CampaignDoc, variationId?: number): string {
  return variationId === undefined ? String(campaign.id) : `${campaign.id}_${variationId}`;
}

export interface VariationSpec {
  weight: number;
  segments?: Segments;
  salt?: string;
  /** false ⇒ no `variables` key; default: variablesFor(...) */
  variables?: VariableDoc[] | false;
  /** true ⇒ omit `segments` entirely (VWO treats this as an error on rollout/personalize). */
  omitSegments?: boolean;
}

export interface RolloutSpec {
  weight: number;
  segments?: Segments;
  salt?: string;
  variables?: VariableDoc[] | false;
  omitSegments?: boolean;
}

export interface TestingSpec {
  variations: VariationSpec[];
  percentTraffic?: number;
  segments?: Segments;
  salt?: string;
  isForcedVariationEnabled?: boolean;
  isUserListEnabled?: boolean;
}

export class SettingsDocBuilder {
  readonly doc: SettingsDoc;
  private lastCampaignId = 0;
  private variableSeed = 0;

  constructor(accountId: number | string = 123456, firstCampaignId = 1) {
    this.doc = { accountId, version: 1, sdkKey: 'generated-sdk-key', features: [], campaigns: [] };
    this.lastCampaignId = firstCampaignId - 1;
  }

  feature(key: string): FeatureDoc {
    const id = this.doc.features.length + 1;
    const feature: FeatureDoc = {
      id,
      key,
      name: key,
      type: 'FEATURE_FLAG',
      status: 'ON',
      metrics: [{ id, type: 'CUSTOM_GOAL', identifier: `${key}_event` }],
      rules: [],
    };
    this.doc.features.push(feature);
    return feature;
  }

  /** A rollout rule on a new FLAG_ROLLOUT campaign with one variation. */
  rollout(feature: FeatureDoc, spec: RolloutSpec): CampaignDoc {
    const ruleKey = this.nextRuleKey(feature, 'rolloutRule');
    const campaign = this.campaign(feature, ruleKey, 'FLAG_ROLLOUT', {}, []);
    this.addRolloutRule(feature, campaign, spec, ruleKey);
    return campaign;
  }

  /** Another rollout rule on an existing rollout campaign (a new variation of it), as VWO does for several rollout rules. */
  addRolloutRule(feature: FeatureDoc, campaign: CampaignDoc, spec: RolloutSpec, ruleKey?: string): VariationDoc {
    const variation = this.variation(campaign, spec);
    feature.rules.push({
      type: 'FLAG_ROLLOUT',
      ruleKey: ruleKey ?? this.nextRuleKey(feature, 'rolloutRule'),
      campaignId: campaign.id,
      variationId: variation.id,
    });
    return variation;
  }

  testing(feature: FeatureDoc, spec: TestingSpec): CampaignDoc {
    const ruleKey = this.nextRuleKey(feature, 'testingRule');
    const campaign = this.campaign(feature, ruleKey, 'FLAG_TESTING', spec.segments ?? {}, []);
    if (spec.percentTraffic !== undefined) campaign.percentTraffic = spec.percentTraffic;
    if (spec.salt !== undefined) campaign.salt = spec.salt;
    if (spec.isForcedVariationEnabled !== undefined) campaign.isForcedVariationEnabled = spec.isForcedVariationEnabled;
    if (spec.isUserListEnabled !== undefined) campaign.isUserListEnabled = spec.isUserListEnabled;
    for (const variation of spec.variations) this.variation(campaign, variation);
    feature.rules.push({ type: 'FLAG_TESTING', ruleKey, campaignId: campaign.id });
    return campaign;
  }

  /** A FLAG_PERSONALIZE campaign; add rules pointing at its variations with personalizeRule(). */
  personalizeCampaign(feature: FeatureDoc, variations: VariationSpec[]): CampaignDoc {
    const ruleKey = this.nextRuleKey(feature, 'personalizeRule');
    const campaign = this.campaign(feature, ruleKey, 'FLAG_PERSONALIZE', {}, []);
    for (const variation of variations) this.variation(campaign, variation);
    return campaign;
  }

  personalizeRule(feature: FeatureDoc, campaign: CampaignDoc, variationId: number): void {
    feature.rules.push({
      type: 'FLAG_PERSONALIZE',
      ruleKey: this.nextRuleKey(feature, 'personalizeRule'),
      campaignId: campaign.id,
      variationId,
    });
  }

  /** A mutually exclusive group over campaign refs (see campaignRef). Returns the group id. */
  group(refs: string[], algorithm: Omit<GroupDoc, 'name' | 'campaigns'> = {}): number {
    const groups = (this.doc.groups ??= {});
    const campaignGroups = (this.doc.campaignGroups ??= {});
    const groupId = Object.keys(groups).length + 1;
    groups[String(groupId)] = { name: `Group ${groupId}`, campaigns: refs, ...algorithm };
    for (const ref of refs) campaignGroups[ref] = groupId;
    return groupId;
  }

  private nextRuleKey(feature: FeatureDoc, prefix: string): string {
    return `${prefix}${feature.rules.filter((r) => r.ruleKey.startsWith(prefix)).length + 1}`;
  }

  private campaign(
    feature: FeatureDoc,
    ruleKey: string,
    type: CampaignType,
    segments: Segments,
    variations: VariationDoc[],
  ): CampaignDoc {
    const key = `${feature.key}_${ruleKey}`;
    const campaign: CampaignDoc = { id: ++this.lastCampaignId, key, name: key, type, status: 'RUNNING', segments, variations };
    this.doc.campaigns.push(campaign);
    return campaign;
  }

  private variation(campaign: CampaignDoc, spec: VariationSpec): VariationDoc {
    const id = campaign.variations.length + 1;
    const variation: VariationDoc = { id, name: id === 1 ? 'Default' : `Variation-${id}`, weight: spec.weight };
    if (!spec.omitSegments) variation.segments = spec.segments ?? {};
    if (spec.salt !== undefined) variation.salt = spec.salt;
    if (spec.variables !== false) {
      variation.variables = spec.variables ?? variablesFor(`c${campaign.id}v${id}`, ++this.variableSeed);
    }
    campaign.variations.push(variation);
    return variation;
  }
}
