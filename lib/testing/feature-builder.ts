import type {
  MetricSpec,
  RolloutRuleSpec,
  TestingRuleSpec,
  TestingVariationSpec,
  VWOVariableValues,
} from './settings-builder.types';
import { variableType } from './variable-type';

type Json = Record<string, unknown>;

const ROLLOUT = 'FLAG_ROLLOUT';
const TESTING = 'FLAG_TESTING';

/** What one feature contributes to a settings document: its entry in `features` and its campaigns. */
export interface BuiltFeature {
  feature: Json;
  campaigns: Json[];
}

/**
 * Builds one feature of a settings document (see `SettingsBuilder.feature`). Rules are evaluated by VWO in
 * the order they are added; campaign ids come from the settings builder so they are unique per document.
 */
export class FeatureBuilder {
  private displayName: string;
  private readonly rules: Json[] = [];
  private readonly campaigns: Json[] = [];
  private readonly metrics: Json[] = [];
  /** Variable ids by key: the same key has the same id in every variation, as in VWO's documents. */
  private readonly variableIds = new Map<string, number>();
  private rolloutCount = 0;
  private testingCount = 0;

  constructor(
    readonly key: string,
    private readonly id: number,
    private readonly nextCampaignId: () => number,
  ) {
    this.displayName = key;
  }

  /** The feature's display name (VWO passes it to the integrations callback). @default the key */
  name(name: string): this {
    this.displayName = name;
    return this;
  }

  /** Adds a rollout rule: `percent`% of the (segment-matching) users get the flag with `variables`. */
  rollout(spec: RolloutRuleSpec = {}): this {
    this.rolloutCount += 1;
    const ruleKey = spec.ruleKey ?? `rolloutRule${this.rolloutCount}`;
    const variation = {
      id: 1,
      name: `Rollout-rule-${this.rolloutCount}`,
      weight: spec.percent ?? 100,
      segments: spec.segments ?? {},
      variables: this.variables(spec.variables),
      ...(spec.salt === undefined ? {} : { salt: spec.salt }),
    };
    const campaignId = this.addCampaign(ROLLOUT, ruleKey, { variations: [variation] });
    this.rules.push({ type: ROLLOUT, ruleKey, campaignId, variationId: variation.id });
    return this;
  }

  /** Adds an A/B testing rule: `percentTraffic`% of users enter, then are split by the variations' weights. */
  testing(spec: TestingRuleSpec): this {
    if (spec.variations.length === 0) throw new Error(`testing rule of "${this.key}" needs at least one variation`);
    this.testingCount += 1;
    const ruleKey = spec.ruleKey ?? `testingRule${this.testingCount}`;
    const weights = evenWeights(spec.variations);
    const variations = spec.variations.map((variation, index) => this.testingVariation(variation, index, weights[index]));
    const campaignId = this.addCampaign(TESTING, ruleKey, {
      percentTraffic: spec.percentTraffic ?? 100,
      segments: spec.segments ?? {},
      isForcedVariationEnabled: spec.variations.some((variation) => variation.whitelist !== undefined),
      variations,
      ...(spec.salt === undefined ? {} : { salt: spec.salt }),
    });
    this.rules.push({ type: TESTING, ruleKey, campaignId });
    return this;
  }

  /** Adds a metric, so `trackEvent(identifier, ...)` is sent for this feature. */
  metric(identifier: string, spec: MetricSpec = {}): this {
    this.metrics.push({
      id: this.metrics.length + 1,
      identifier,
      type: spec.type ?? 'CUSTOM_GOAL',
      ...(spec.hasProps === undefined ? {} : { hasProps: spec.hasProps }),
      ...(spec.revenueProp === undefined ? {} : { revenueProp: spec.revenueProp }),
    });
    return this;
  }

  /** The feature entry and its campaigns (fresh objects on every call). */
  build(): BuiltFeature {
    return structuredClone({
      feature: {
        id: this.id,
        key: this.key,
        name: this.displayName,
        type: 'FEATURE_FLAG',
        status: 'ON',
        metrics: this.metrics,
        rules: this.rules,
        impactCampaign: {},
      },
      campaigns: this.campaigns,
    });
  }

  private addCampaign(type: string, ruleKey: string, body: Json): number {
    const id = this.nextCampaignId();
    const key = `${this.key}_${ruleKey}`;
    this.campaigns.push({ id, key, name: key, type, status: 'RUNNING', segments: {}, ...body });
    return id;
  }

  private testingVariation(spec: TestingVariationSpec, index: number, weight: number): Json {
    return {
      id: index + 1,
      name: spec.name ?? (index === 0 ? 'Default' : `Variation-${index}`),
      weight,
      variables: this.variables(spec.variables),
      ...(spec.whitelist === undefined ? {} : { segments: spec.whitelist }),
    };
  }

  private variables(values: VWOVariableValues = {}): Json[] {
    return Object.entries(values).map(([key, value]) => ({ id: this.variableId(key), key, type: variableType(value), value }));
  }

  private variableId(key: string): number {
    let id = this.variableIds.get(key);
    if (id === undefined) {
      id = this.variableIds.size + 1;
      this.variableIds.set(key, id);
    }
    return id;
  }
}

/** Given weights stay; variations without one share what is left of 100 evenly. */
function evenWeights(variations: readonly TestingVariationSpec[]): number[] {
  const given = variations.reduce((sum, variation) => sum + (variation.weight ?? 0), 0);
  const unweighted = variations.filter((variation) => variation.weight === undefined).length;
  const share = unweighted === 0 ? 0 : Math.max(0, 100 - given) / unweighted;
  return variations.map((variation) => variation.weight ?? share);
}
