/**
 * compileSettings: validate the document, then index it so that decide() never searches an array or copies an
 * object. Only what every decision or trackEvent needs is indexed up front (features and campaigns by key and id,
 * metrics, holdouts, every segment); a feature's rules, variations and variables are built the first time it
 * is decided (see FeatureCompiler). Applying a large document therefore costs little more than validating it.
 */
import type { MetricInfo, SettingsSnapshot, SnapshotInfo } from '../contract';
import { SegmentCompiler } from '../segments';
import type { EngineLogger } from '../types';
import { FeatureCompiler } from './feature-compiler';
import { featureReads, type FeatureReads } from './feature-reads';
import { findGroupMembers, type GroupMembers } from './group-members';
import type { CCampaign, CFeature, CHoldout } from './model';
import { EMPTY, campaignsOf, featuresOf, list, isPlainObjectLiteral, rulesOf, variationsOf, type Rec } from './raw-document';
import { normalizeSettings, validateSettingsSteps } from './validate';

export type { GroupMembers } from './group-members';

export interface CompileOptions {
  /** Apply VWO's normalisation first: what VWO does for fetched settings and updateSettings. */
  normalize?: boolean;
  /** Receives segmentation compile warnings (unknown operators, bad regexes). */
  logger?: EngineLogger;
}

const GATEWAY_KEYWORDS = /\b(country|region|city|os|device_type|browser_string|ua|browser_version|os_version)\b/;
const GATEWAY_INLIST = /"custom_variable"\s*:\s*{[^}]*inlist\([^)]*\)/;

function needsGatewayData(segments: unknown): boolean {
  if (!segments) return false;
  const json = JSON.stringify(segments);
  return json !== undefined && (GATEWAY_KEYWORDS.test(json) || GATEWAY_INLIST.test(json));
}

/** A read-only lookup whose values are built on first use. */
export interface Lookup<K, V> {
  get(key: K): V | undefined;
  has(key: K): boolean;
}

/** Raw values per key, turned into compiled values once, on first get. */
class MemoLookup<K, R, V> implements Lookup<K, V> {
  private readonly built = new Map<K, V>();
  constructor(
    private readonly raw: ReadonlyMap<K, R>,
    private readonly build: (raw: R) => V,
  ) {}

  get(key: K): V | undefined {
    let value = this.built.get(key);
    if (value === undefined) {
      const raw = this.raw.get(key);
      if (raw === undefined) return undefined;
      value = this.build(raw);
      this.built.set(key, value);
    }
    return value;
  }

  has(key: K): boolean {
    return this.raw.has(key);
  }
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

/** How many features or campaigns are indexed between two pauses of a stepped compile. */
const ITEMS_PER_STEP = 512;

/** The indexes built up front, in one pass over campaigns and one over features. */
interface DocumentIndex {
  campaignById: Map<unknown, Rec>;
  campaignByKey: Map<string, Rec>;
  featureByKey: Map<string, Rec>;
  featuresByKey: Map<string, Rec[]>;
  featureIds: Set<unknown>;
  featureKeyById: Map<unknown, string>;
  metrics: Map<string, MetricInfo>;
}

function* indexDocument(doc: Rec, segments: SegmentCompiler): Generator<void, DocumentIndex> {
  const index: DocumentIndex = {
    campaignById: new Map(),
    campaignByKey: new Map(),
    featureByKey: new Map(),
    featuresByKey: new Map(),
    featureIds: new Set(),
    featureKeyById: new Map(),
    metrics: new Map(),
  };
  let n = 0;
  for (const camp of campaignsOf(doc)) {
    if (!index.campaignByKey.has(camp.key)) index.campaignByKey.set(camp.key, camp);
    index.campaignById.set(camp.id, camp); // VWO builds a Map: the last duplicate id wins
    // Compiled now so that warnings about a segment (an unsafe regex, say) come when the document is applied.
    precompile(segments, camp.segments);
    for (const v of variationsOf(camp)) precompile(segments, v.seg || v.segments);
    if (++n % ITEMS_PER_STEP === 0) yield;
  }
  for (const f of featuresOf(doc)) {
    if (!index.featureByKey.has(f.key)) index.featureByKey.set(f.key, f);
    const same = index.featuresByKey.get(f.key);
    if (same) same.push(f);
    else index.featuresByKey.set(f.key, [f]);
    index.featureIds.add(f.id);
    if (typeof f.id === 'number' && !index.featureKeyById.has(f.id)) index.featureKeyById.set(f.id, f.key);
    addMetrics(index.metrics, f);
    if (++n % ITEMS_PER_STEP === 0) yield;
  }
  return index;
}

/** Compiles a segment that has something to compile; `{}` (no segmentation) can wait for its first use. */
function precompile(segments: SegmentCompiler, dsl: unknown): void {
  if (typeof dsl !== 'object' || dsl === null) return;
  for (const key in dsl) if (Object.prototype.hasOwnProperty.call(dsl, key)) return void segments.compile(dsl);
}

function addMetrics(metrics: Map<string, MetricInfo>, f: Rec): void {
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
}

function compileHoldouts(doc: Rec, accountId: unknown, segments: SegmentCompiler): CHoldout[] {
  const holdoutsRaw: Rec[] = Array.isArray(doc.holdouts) ? doc.holdouts : [];
  return holdoutsRaw.map((h) =>
    Object.freeze({
      id: h.id,
      name: h.name || '',
      segments: segments.compile(h.segments || {}),
      percentTraffic: h.percentTraffic || 0,
      isGlobal: !!h.isGlobal,
      featureIds: Array.isArray(h.featureIds) ? h.featureIds : EMPTY,
      keyPrefix: `${accountId}_${h.id}_`,
    }),
  );
}

// Declaration merging gives the class SnapshotInfo's fields (declared once, in contract.ts); the constructor
// assigns them.
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export interface CompiledSnapshot extends SnapshotInfo {}
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class CompiledSnapshot implements SettingsSnapshot {
  /** First feature per key (getFlag's lookup). */
  readonly featureByKey: Lookup<string, CFeature>;
  /** Ids of all features (stored records are reused only if their featureId is one of these). */
  readonly featureIds: ReadonlySet<unknown>;
  /** First feature key per numeric id (`featureId` segment nodes). */
  readonly featureKeyById: ReadonlyMap<unknown, string>;
  /** First campaign per key (stored decisions are resolved by campaign key). */
  readonly campaignByKey: Lookup<string, CCampaign>;
  /** campaignId of every rule of every feature sharing a key (MEG: is the winner a campaign of the called feature?). */
  readonly ruleCampaignIdsByKey: Lookup<string, readonly unknown[]>;
  readonly campaignGroups: Readonly<Record<string, unknown>>;
  readonly groups: Readonly<Record<string, any>>;

  private readonly featuresRaw: readonly Rec[];
  private readonly featuresByKey: Lookup<string, readonly CFeature[]>;
  private readonly metrics: ReadonlyMap<string, MetricInfo>;
  private readonly holdoutsNeedGateway: boolean;
  private readonly compiler: FeatureCompiler;
  /** One compiled feature per raw feature, however it is reached. */
  private readonly compiled = new Map<Rec, CFeature>();
  private readonly gatewayByKey: Lookup<string, boolean>;
  private readonly readsByKey: Lookup<string, FeatureReads>;
  /** Group membership, or the error VWO throws computing it. */
  private readonly groupCache = new Map<unknown, GroupMembers | { error: Error }>();

  constructor(raw: Rec, doc: Rec, index: DocumentIndex, segments: SegmentCompiler) {
    Object.assign(this, infoOf(raw, doc), { featureKeys: Object.freeze([...index.featureByKey.keys()]) });
    this.campaignGroups = doc.cG || doc.campaignGroups || {};
    this.groups = doc.g || doc.groups || {};
    const holdouts = compileHoldouts(doc, this.accountId, segments);
    this.holdoutsNeedGateway = (Array.isArray(doc.holdouts) ? doc.holdouts : []).some((h: Rec) => needsGatewayData(h.segments));
    this.compiler = new FeatureCompiler(
      { accountId: this.accountId, campaignGroups: this.campaignGroups, groups: this.groups, campaignById: index.campaignById, holdouts },
      segments,
    );
    this.featuresRaw = featuresOf(doc);
    this.featureIds = index.featureIds;
    this.featureKeyById = index.featureKeyById;
    this.metrics = index.metrics;
    this.featureByKey = new MemoLookup(index.featureByKey, (f) => this.feature(f));
    this.featuresByKey = new MemoLookup(index.featuresByKey, (fs) => Object.freeze(fs.map((f) => this.feature(f))));
    this.campaignByKey = new MemoLookup(index.campaignByKey, (c) => this.compiler.campaign(c));
    this.ruleCampaignIdsByKey = new MemoLookup(index.featuresByKey, (fs) =>
      Object.freeze(fs.flatMap((f) => rulesOf(f).map((r) => r.campaignId))),
    );
    this.gatewayByKey = new MemoLookup(index.featuresByKey, (fs) => this.holdoutsNeedGateway || fs.some((f) => this.rulesNeedGateway(f)));
    this.readsByKey = new MemoLookup(index.featureByKey, (f) => featureReads(this, this.feature(f)));
  }

  hasFeature(featureKey: string): boolean {
    return this.featureByKey.has(featureKey);
  }

  metric(eventName: string): MetricInfo | undefined {
    return this.metrics.get(eventName);
  }

  needsGateway(featureKey: string): boolean {
    return this.gatewayByKey.get(featureKey) ?? false;
  }

  storageKeys(featureKey: string): readonly string[] {
    return this.readsByKey.get(featureKey)?.keys ?? [featureKey];
  }

  inlistRefs(featureKey: string): readonly { readonly variable: string; readonly listId: string }[] {
    return this.readsByKey.get(featureKey)?.inlist ?? EMPTY;
  }

  /** Every feature with this key, settings order (VWO's group code iterates all features sharing a key). */
  featuresWithKey(featureKey: string): readonly CFeature[] {
    return this.featuresByKey.get(featureKey) ?? EMPTY;
  }

  /** Mutually exclusive group: campaign references and the features owning them, in VWO's order. */
  groupMembers(groupId: unknown): GroupMembers {
    let hit = this.groupCache.get(groupId);
    if (!hit) {
      try {
        hit = findGroupMembers(this.groups[groupId as string], this.featuresRaw, (key) => this.featuresWithKey(key));
      } catch (err) {
        hit = { error: err as Error };
      }
      this.groupCache.set(groupId, hit);
    }
    if ('error' in hit) throw hit.error;
    return hit;
  }

  private feature(raw: Rec): CFeature {
    let feature = this.compiled.get(raw);
    if (!feature) {
      feature = this.compiler.feature(raw);
      this.compiled.set(raw, feature);
    }
    return feature;
  }

  private rulesNeedGateway(raw: Rec): boolean {
    return this.feature(raw).rules.some((r) =>
      needsGatewayData(r.isRollout || r.isPersonalize ? r.variations[0]?.segments.dsl : r.campaignSegments.dsl),
    );
  }
}

/**
 * compileSettings in steps: yields between slices of a large document, so a caller can serve other work while
 * it is applied. The result, and any SettingsValidationError, are compileSettings' own.
 */
export function* compileSettingsSteps(raw: unknown, options: CompileOptions = {}): Generator<void, SettingsSnapshot> {
  const doc = options.normalize ? normalizeSettings(raw) : raw;
  yield* validateSettingsSteps(doc);
  const segments = new SegmentCompiler(options.logger);
  const index = yield* indexDocument(doc as Rec, segments);
  return new CompiledSnapshot(raw as Rec, doc as Rec, index, segments);
}

/**
 * Validates and compiles one settings document into an immutable, indexed snapshot.
 * Throws SettingsValidationError (with `.path`) when VWO's Node SDK would reject the document.
 */
export function compileSettings(raw: unknown, options: CompileOptions = {}): SettingsSnapshot {
  const steps = compileSettingsSteps(raw, options);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}
