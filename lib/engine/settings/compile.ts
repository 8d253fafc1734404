/**
 * compileSettings: validate (§1), model with VWO's aliases and defaults (§2.1), assign variation ranges (§2.2),
 * link campaigns into rules (§2.3), flag gateway needs (§2.4), and index everything a decision reads, so that
 * decide() never searches an array or copies an object.
 */
import { rangeStep } from '../bucketing';
import {
  CAMPAIGN_AB,
  CAMPAIGN_PERSONALIZE,
  CAMPAIGN_ROLLOUT,
  MEG_META_KEY_PREFIX,
} from '../constants';
import type { MetricInfo, SettingsSnapshot, SnapshotInfo } from '../contract';
import { SegmentCompiler, featureIdRefs, inlistRefs } from '../segments';
import type { Segment } from '../segments';
import type { EngineLogger, Id, Variable } from '../types';
import type { CCampaign, CFeature, CHoldout, CRule, CVariation, GroupLookup } from './model';
import { normalizeSettings, validateSettings } from './validate';

type Rec = Record<string, any>;

export interface CompileOptions {
  /** Apply VWO's normalisation first (§1.10): what VWO does for fetched settings and updateSettings. */
  normalize?: boolean;
  /** Receives segmentation compile warnings (unknown operators, bad regexes). */
  logger?: EngineLogger;
}

const EMPTY: readonly never[] = Object.freeze([]);
const GATEWAY_KEYWORDS = /\b(country|region|city|os|device_type|browser_string|ua|browser_version|os_version)\b/;
const GATEWAY_INLIST = /"custom_variable"\s*:\s*{[^}]*inlist\([^)]*\)/;

function needsGatewayData(segments: unknown): boolean {
  if (!segments) return false;
  const json = JSON.stringify(segments);
  return json !== undefined && (GATEWAY_KEYWORDS.test(json) || GATEWAY_INLIST.test(json));
}

const isPlainObjectLiteral = (v: unknown): boolean => !!v && (v as object).constructor === Object;
/** VWO models a list given as `{}` (a plain object) as empty, and only iterates real lists. */
function list(v: unknown): Rec[] {
  if (Array.isArray(v)) return v as Rec[];
  return [];
}

function buildVariables(raw: unknown): { variables: readonly Variable[]; index: ReadonlyMap<string, unknown> } {
  const items = isPlainObjectLiteral(raw) ? [] : list(raw);
  if (items.length === 0) return { variables: EMPTY, index: EMPTY_INDEX };
  const variables: Variable[] = [];
  const index = new Map<string, unknown>();
  for (const v of items) {
    // VariableModel.modelFromDictionary: aliases with `??`; JSON order value, type, key, id.
    const variable = { value: v.val ?? v.value, type: v.type, key: v.k ?? v.key, id: v.i ?? v.id } as Variable;
    variables.push(Object.freeze(variable));
    if (!index.has(variable.key)) index.set(variable.key, variable.value);
  }
  return { variables: Object.freeze(variables), index };
}
const EMPTY_INDEX: ReadonlyMap<string, unknown> = new Map();

class Compiler {
  readonly segments: SegmentCompiler;
  constructor(
    readonly s: Rec,
    logger?: EngineLogger,
  ) {
    this.segments = new SegmentCompiler(logger);
  }

  campaign(raw: Rec): CCampaign {
    const type = raw.type as string;
    const variationsRaw = raw.variations && !isPlainObjectLiteral(raw.variations) ? list(raw.variations) : [];
    const isRangeCampaign = !(type === CAMPAIGN_ROLLOUT || type === CAMPAIGN_PERSONALIZE);
    let current = 0;
    const variations: CVariation[] = [];
    const variationById = new Map<unknown, CVariation>();
    for (const v of variationsRaw) {
      const weight = v.w || v.weight;
      let start: number;
      let end: number;
      if (isRangeCampaign) {
        // §2.2 FLAG_TESTING (and any non-rollout type): cumulative ranges, doubles exactly as VWO.
        const step = rangeStep(weight);
        if (step) {
          start = current + 1;
          end = current + step;
        } else {
          start = -1;
          end = -1;
        }
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
    return Object.freeze({
      id: raw.id,
      key: raw.key,
      name: raw.name,
      type,
      variations: Object.freeze(variations),
      variationById,
      // kept for linking
      raw,
    } as CCampaign & { raw: Rec });
  }

  rule(
    campaign: CCampaign & { raw: Rec },
    rawRule: Rec,
    accountId: unknown,
    campaignGroups: Rec,
    groups: Rec,
  ): CRule {
    const c = campaign.raw;
    let variations = campaign.variations;
    if (rawRule.variationId) {
      const v = campaign.variations.find((x) => x.id === rawRule.variationId);
      if (v) variations = Object.freeze([v]);
    }
    const type = campaign.type;
    const isAB = type === CAMPAIGN_AB;
    const isRollout = type === CAMPAIGN_ROLLOUT;
    const isPersonalize = type === CAMPAIGN_PERSONALIZE;
    const var0 = variations[0];
    const id = campaign.id;

    let groupRef: string | undefined;
    let group: GroupLookup | null = null;
    if (isPersonalize && !var0) {
      group = { error: new TypeError(`campaign ${String(id)} (personalize) has no variations`) };
    } else {
      groupRef = isPersonalize ? `${id}_${var0.id}` : String(id);
      if (campaignGroups && Object.prototype.hasOwnProperty.call(campaignGroups, groupRef)) {
        const groupId = campaignGroups[groupRef];
        const g = groups[groupId as string];
        group =
          g === undefined || g === null
            ? { error: new TypeError(`campaignGroups["${groupRef}"] points at group ${String(groupId)}, which is not in groups`) }
            : { groupId, metaKey: `${MEG_META_KEY_PREFIX}${groupId}`, bucketPrefix: `${groupId}_` };
      }
    }

    const rollish = isRollout || isPersonalize;
    const trafficSalt = rollish ? var0?.salt : c.salt;
    const trafficPrefix = rollish && !var0 ? undefined : trafficSalt ? `${trafficSalt}_` : `${id}_`;
    const saltOrId = c.salt ? c.salt : id;
    return Object.freeze({
      id,
      key: campaign.key,
      name: campaign.name,
      type,
      ruleKey: rawRule.ruleKey,
      isAB,
      isRollout,
      isPersonalize,
      salt: c.salt,
      percentTraffic: c.percentTraffic,
      isForcedVariationEnabled: c.isForcedVariationEnabled,
      isUserListEnabled: c.isUserListEnabled,
      campaignSegments: this.segments.compile(c.segments),
      variations,
      group,
      groupRef,
      trafficPrefix,
      trafficAllocation: rollish ? var0?.weight : c.percentTraffic,
      variationPrefix: `${saltOrId}_${accountId}_`,
      whitelistPrefix: `${saltOrId}_`,
      hasWhitelisting: variations.some((v) => v.segments.isPlainObject && !v.segments.isEmptyPlainObject),
    });
  }
}

/** Every DSL a decision of this rule may evaluate (for featureId references). */
function ruleSegments(rule: CRule): Segment[] {
  const out: Segment[] = [rule.campaignSegments];
  for (const v of rule.variations) out.push(v.segments);
  return out;
}

/** A MEG group's campaign references (`groups[g].campaigns`, as given) and the features owning them. */
export interface GroupMembers {
  featureKeys: string[];
  /** Usually an array of strings; kept as given (VWO calls `.includes` on it). */
  refs: any;
  /**
   * Per entry of featureKeys: the rules (of every feature with that key) the group references, first per
   * ruleKey (§4.14 step 3d), or the error VWO throws collecting them (thrown only if it gets that far).
   */
  memberRules: ReadonlyArray<readonly CRule[] | Error>;
}

/** §4.14 step 3d, done once per group: it depends on settings only. */
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

interface FeatureReads {
  readonly keys: readonly string[];
  readonly inlist: readonly { readonly variable: string; readonly listId: string }[];
}

/** SnapshotInfo of a document, with VWO's aliases and defaults; featureKeys come later, from the features. */
function infoOf(raw: Rec, doc: Rec): Omit<SnapshotInfo, 'featureKeys'> {
  return {
    raw,
    accountId: doc.a || doc.accountId,
    version: doc.v || doc.version,
    sdkKey: doc.sK || doc.sdkKey,
    collectionPrefix: doc.collectionPrefix,
    pollInterval: doc.pollInterval || undefined,
    usageStatsAccountId: doc.usageStatsAccountId,
    isMAU: doc.isMAU === true,
    devMode: !!doc.devMode,
  };
}

// Declaration merging gives the class SnapshotInfo's fields (declared once, in contract.ts); the constructor
// assigns them.
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export interface CompiledSnapshot extends SnapshotInfo {}
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class CompiledSnapshot implements SettingsSnapshot {
  /** First feature per key (getFlag's lookup). */
  readonly featureByKey: ReadonlyMap<string, CFeature>;
  /** Every feature per key, settings order (VWO's MEG code iterates all features sharing a key). */
  readonly featuresByKey: ReadonlyMap<string, readonly CFeature[]>;
  /** Features in settings order. */
  readonly features: readonly CFeature[];
  /** Ids of all features (stored records are reused only if their featureId is one of these). */
  readonly featureIds: ReadonlySet<unknown>;
  /** First feature key per numeric id (`featureId` DSL nodes). */
  readonly featureKeyById: ReadonlyMap<unknown, string>;
  /** First campaign per key (stored decisions are resolved by campaign key). */
  readonly campaignByKey: ReadonlyMap<string, CCampaign>;
  /** Campaign per id (the last one of duplicate ids, as VWO's linking map). */
  readonly campaignById: ReadonlyMap<unknown, CCampaign>;
  /** campaignId of every rule of every feature sharing a key (MEG: is the winner a campaign of the called feature?). */
  readonly ruleCampaignIdsByKey: ReadonlyMap<string, readonly unknown[]>;
  readonly campaignGroups: Readonly<Record<string, unknown>>;
  readonly groups: Readonly<Record<string, any>>;

  private readonly metrics: ReadonlyMap<string, MetricInfo>;
  private readonly gatewayFeatures: ReadonlySet<string>;
  /**
   * What a decision of each feature reads, worked out on first use: most documents have far more features than
   * a process ever decides, and doing it for all of them made applying a large document slow.
   */
  private readonly readsByFeature = new Map<string, FeatureReads>();
  /** Lazily computed MEG group membership (feature keys in VWO's order), or the error VWO throws computing it. */
  private readonly groupCache = new Map<unknown, GroupMembers | { error: Error }>();

  constructor(raw: Rec, doc: Rec, logger?: EngineLogger) {
    Object.assign(this, infoOf(raw, doc));
    this.campaignGroups = doc.cG || doc.campaignGroups || {};
    this.groups = doc.g || doc.groups || {};

    const c = new Compiler(doc, logger);
    const campaignsRaw = Array.isArray(doc.c) ? doc.c : list(doc.campaigns);
    const campaigns = campaignsRaw.map((x: Rec) => c.campaign(x));
    const campaignByKey = new Map<string, CCampaign>();
    const campaignById = new Map<unknown, CCampaign & { raw: Rec }>();
    for (const camp of campaigns) {
      if (!campaignByKey.has(camp.key)) campaignByKey.set(camp.key, camp);
      campaignById.set(camp.id, camp as CCampaign & { raw: Rec }); // VWO builds a Map: the last duplicate id wins
    }
    this.campaignByKey = campaignByKey;
    this.campaignById = campaignById;

    const holdoutsRaw: Rec[] = Array.isArray(doc.holdouts) ? doc.holdouts : [];
    const holdouts: CHoldout[] = holdoutsRaw.map((h) =>
      Object.freeze({
        id: h.id,
        name: h.name || '',
        segments: c.segments.compile(h.segments || {}),
        percentTraffic: h.percentTraffic || 0,
        isGlobal: !!h.isGlobal,
        featureIds: Array.isArray(h.featureIds) ? h.featureIds : EMPTY,
        keyPrefix: `${this.accountId}_${h.id}_`,
      }),
    );
    const anyHoldoutNeedsGateway = holdoutsRaw.some((h) => needsGatewayData(h.segments));

    const featuresRaw: Rec[] = Array.isArray(doc.f) ? doc.f : list(doc.features);
    const features: CFeature[] = [];
    const featureByKey = new Map<string, CFeature>();
    const featuresByKey = new Map<string, CFeature[]>();
    const featureIds = new Set<unknown>();
    const featureKeyById = new Map<unknown, string>();
    const metrics = new Map<string, MetricInfo>();
    const gatewayFeatures = new Set<string>();
    for (const f of featuresRaw) {
      const rulesRaw = f.rules && !isPlainObjectLiteral(f.rules) ? list(f.rules) : [];
      const rules: CRule[] = [];
      for (const r of rulesRaw) {
        const camp = campaignById.get(r.campaignId);
        if (camp) rules.push(c.rule(camp, r, this.accountId, this.campaignGroups, this.groups));
      }
      const feature: CFeature = Object.freeze({
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
        holdouts: Object.freeze(holdouts.filter((h) => h.isGlobal || h.featureIds.includes(f.id))),
        ruleCampaignIds: Object.freeze(rulesRaw.map((r) => r.campaignId)),
        ruleVariationIds: Object.freeze(rulesRaw.map((r) => r.variationId)),
      });
      features.push(feature);
      if (!featureByKey.has(feature.key)) featureByKey.set(feature.key, feature);
      const same = featuresByKey.get(feature.key);
      if (same) same.push(feature);
      else featuresByKey.set(feature.key, [feature]);
      featureIds.add(feature.id);
      if (typeof feature.id === 'number' && !featureKeyById.has(feature.id)) featureKeyById.set(feature.id, feature.key);

      const metricsRaw = f.m && isPlainObjectLiteral(f.m) ? [] : list(f.m || f.metrics);
      for (const m of metricsRaw) {
        const identifier = m.identifier || m.key;
        if (typeof identifier === 'string' && !metrics.has(identifier)) {
          const info: MetricInfo = { id: m.i || m.id, identifier, type: m.t || m.type };
          if (m.hasProps !== undefined) info.hasProps = m.hasProps;
          if (m.revenueProp !== undefined) info.revenueProp = m.revenueProp;
          metrics.set(identifier, Object.freeze(info));
        }
      }

      const ruleNeedsGateway = rules.some((r) =>
        needsGatewayData(r.isRollout || r.isPersonalize ? r.variations[0]?.segments.dsl : r.campaignSegments.dsl),
      );
      if (ruleNeedsGateway || anyHoldoutNeedsGateway) gatewayFeatures.add(feature.key);
    }
    this.features = Object.freeze(features);
    this.featureByKey = featureByKey;
    this.featuresByKey = featuresByKey;
    this.featureIds = featureIds;
    this.featureKeyById = featureKeyById;
    this.metrics = metrics;
    this.gatewayFeatures = gatewayFeatures;
    Object.assign(this, { featureKeys: Object.freeze([...featureByKey.keys()]) });

    const ruleCampaignIdsByKey = new Map<string, readonly unknown[]>();
    for (const [key, same] of featuresByKey) ruleCampaignIdsByKey.set(key, Object.freeze(same.flatMap((f) => f.ruleCampaignIds)));
    this.ruleCampaignIdsByKey = ruleCampaignIdsByKey;

  }

  hasFeature(featureKey: string): boolean {
    return this.featureByKey.has(featureKey);
  }

  metric(eventName: string): MetricInfo | undefined {
    return this.metrics.get(eventName);
  }

  needsGateway(featureKey: string): boolean {
    return this.gatewayFeatures.has(featureKey);
  }

  storageKeys(featureKey: string): readonly string[] {
    return this.readsOf(featureKey)?.keys ?? [featureKey];
  }

  inlistRefs(featureKey: string): readonly { readonly variable: string; readonly listId: string }[] {
    return this.readsOf(featureKey)?.inlist ?? EMPTY;
  }

  private readsOf(featureKey: string): FeatureReads | undefined {
    let reads = this.readsByFeature.get(featureKey);
    if (reads === undefined && this.featureByKey.has(featureKey)) {
      const { keys, inlist } = this.computeReads(featureKey);
      reads = Object.freeze({ keys: Object.freeze(keys), inlist: Object.freeze(inlist) });
      this.readsByFeature.set(featureKey, reads);
    }
    return reads;
  }

  /** MEG: campaign references of a group and the features owning them, in VWO's order (§4.14 steps 1–2). */
  groupMembers(groupId: unknown): GroupMembers {
    let hit = this.groupCache.get(groupId);
    if (!hit) {
      try {
        hit = this.computeGroupMembers(groupId);
      } catch (err) {
        hit = { error: err as Error };
      }
      this.groupCache.set(groupId, hit);
    }
    if ('error' in hit) throw hit.error;
    return hit;
  }

  private computeGroupMembers(groupId: unknown): GroupMembers {
    const group = this.groups[groupId as string];
    const refs: any = group ? group.campaigns : [];
    const featureKeys: string[] = [];
    for (const ref of refs) {
      // VWO: `ref.split('_').map(Number)`; a rule matches on campaignId and, if given, variationId.
      const [campaignId, variationId] = (ref as string).split('_').map(Number);
      for (const f of this.features) {
        if (featureKeys.indexOf(f.key) !== -1) continue;
        for (let i = 0; i < f.ruleCampaignIds.length; i++) {
          if (f.ruleCampaignIds[i] !== campaignId) continue;
          if (variationId !== undefined && variationId !== null) {
            if (f.ruleVariationIds[i] === variationId) featureKeys.push(f.key);
          } else {
            featureKeys.push(f.key);
          }
        }
      }
    }
    // A key listed twice (two rules of a feature on one campaign) adds no rule the second time (dedup by ruleKey).
    const memberRules = featureKeys.map((key, i) =>
      featureKeys.indexOf(key) < i ? EMPTY : referencedRules(this.featuresByKey.get(key) ?? EMPTY, refs),
    );
    return { featureKeys, refs, memberRules };
  }

  /**
   * What a decision of this feature may read: storage keys (the feature, its groups' meta records, the other
   * features of those groups, features named by `featureId` nodes) and `inlist` checks, over every DSL the
   * decision may evaluate (its rules and holdouts, and those of the group features MEG evaluates).
   */
  private computeReads(featureKey: string): { keys: string[]; inlist: { variable: string; listId: string }[] } {
    const keys: string[] = [featureKey];
    const add = (k: string | undefined): void => {
      if (k !== undefined && !keys.includes(k)) keys.push(k);
    };
    const feature = this.featureByKey.get(featureKey)!;
    const involved: CFeature[] = [...(this.featuresByKey.get(featureKey) ?? [])];
    for (const rule of feature.rules) {
      const g = rule.group;
      if (!g || 'error' in g) continue;
      add(g.metaKey);
      let members: string[] = [];
      try {
        members = this.groupMembers(g.groupId).featureKeys;
      } catch {
        // evaluated lazily; a broken group ends in the error flag anyway
      }
      for (const k of members) {
        add(k);
        for (const f of this.featuresByKey.get(k) ?? []) if (!involved.includes(f)) involved.push(f);
      }
    }
    const inlist = new Map<string, { variable: string; listId: string }>();
    for (const f of involved) {
      const segs: Segment[] = [];
      for (const r of f.rules) segs.push(...ruleSegments(r));
      for (const h of f.holdouts) segs.push(h.segments);
      for (const s of segs) {
        for (const id of featureIdRefs(s.dsl)) add(this.featureKeyById.get(id));
        for (const ref of inlistRefs(s.dsl)) inlist.set(`${ref.variable}\u0000${ref.listId}`, Object.freeze(ref));
      }
    }
    return { keys, inlist: [...inlist.values()] };
  }
}

/**
 * Validates and compiles one settings document into an immutable, indexed snapshot.
 * Throws SettingsValidationError (with `.path`) when VWO's Node SDK would reject the document.
 */
export function compileSettings(raw: unknown, options: CompileOptions = {}): SettingsSnapshot {
  const doc = options.normalize ? normalizeSettings(raw) : raw;
  validateSettings(doc);
  return new CompiledSnapshot(raw as Rec, doc, options.logger);
}
