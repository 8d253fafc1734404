/**
 * Tiny builders of raw VWO settings documents for the engine specs. They produce exactly the JSON VWO's backend
 * serves (no defaults hidden in the engine), so each spec states the settings it depends on.
 */
type Rec = Record<string, any>;

/** `{int: 1, s: 'x'}` → VWO variables (`type` guessed from the JS value). */
export function vars(values: Rec): Rec[] {
  return Object.entries(values).map(([key, value], i) => ({
    id: i + 1,
    key,
    type:
      typeof value === 'number'
        ? Number.isInteger(value)
          ? 'integer'
          : 'double'
        : typeof value === 'boolean'
          ? 'boolean'
          : typeof value === 'string'
            ? 'string'
            : 'json',
    value,
  }));
}

export interface VariationSpec {
  id: number | string;
  name?: string;
  weight: number | string;
  segments?: unknown;
  variables?: Rec;
  salt?: string;
}

/** The head every settings entity shares: id, key, name (= key), type, status. */
function entity(id: number, key: string, type: string, status: string): Rec {
  return { id, key, name: key, type, status };
}

function campaign(type: string, id: number, key: string, variations: VariationSpec[], shape: CampaignShape, extra: Rec): Rec {
  return {
    ...entity(id, key, type, 'RUNNING'),
    ...shape.traffic,
    segments: {},
    isForcedVariationEnabled: false,
    variations: variations.map((v) => variation(v, shape.variationDefaults)),
    ...extra,
  };
}

/** What differs between campaign types: traffic fields and the defaults of each variation. */
interface CampaignShape {
  traffic: Rec;
  variationDefaults: Rec;
}
const ROLLOUT_SHAPE: CampaignShape = { traffic: {}, variationDefaults: {} };
const TESTING_SHAPE: CampaignShape = { traffic: { percentTraffic: 100 }, variationDefaults: { segments: {} } };

export function rolloutCampaign(id: number, key: string, variations: VariationSpec[], extra: Rec = {}): Rec {
  return campaign('FLAG_ROLLOUT', id, key, variations, ROLLOUT_SHAPE, extra);
}

export function personalizeCampaign(id: number, key: string, variations: VariationSpec[], extra: Rec = {}): Rec {
  return { ...rolloutCampaign(id, key, variations, extra), type: 'FLAG_PERSONALIZE', ...extra };
}

export function testingCampaign(id: number, key: string, variations: VariationSpec[], extra: Rec = {}): Rec {
  return campaign('FLAG_TESTING', id, key, variations, TESTING_SHAPE, extra);
}

function variation(v: VariationSpec, defaults: Rec): Rec {
  const out: Rec = { id: v.id, name: v.name ?? `variation-${v.id}`, weight: v.weight, ...defaults };
  if ('segments' in v) out.segments = v.segments;
  else if (!('segments' in defaults)) out.segments = {};
  if (v.salt !== undefined) out.salt = v.salt;
  out.variables = vars(v.variables ?? {});
  return out;
}

export function rule(type: 'FLAG_ROLLOUT' | 'FLAG_TESTING' | 'FLAG_PERSONALIZE', ruleKey: string, campaignId: number, variationId?: number): Rec {
  const r: Rec = { type, ruleKey, campaignId };
  if (variationId !== undefined) r.variationId = variationId;
  return r;
}

export function feature(id: number, key: string, rules: Rec[], extra: Rec = {}): Rec {
  return {
    ...entity(id, key, 'FEATURE_FLAG', 'ON'),
    metrics: [{ id: id * 100, type: 'CUSTOM_GOAL', identifier: `${key}_goal` }],
    rules,
    impactCampaign: {},
    ...extra,
  };
}

export function holdout(id: number, percentTraffic: number, extra: Rec = {}): Rec {
  return { id, name: `holdout-${id}`, segments: {}, percentTraffic, isGlobal: false, featureIds: [], metrics: [], ...extra };
}

export function settings(features: Rec[], campaigns: Rec[], extra: Rec = {}): Rec {
  return { accountId: 12345, version: 1, sdkKey: 'sdk', features, campaigns, ...extra };
}
