/**
 * Random (seeded) settings documents and user contexts for differential testing against VWO's SDK.
 * Everything is drawn from a Prng, so one seed reproduces a document and its contexts exactly.
 *
 * Whitelisting is generated so that a context matches at most one variation of a campaign: each
 * whitelisted variation has its own user ids and its own `tier` value, and a context carries either
 * one whitelisted id or one tier, never both.
 */
import { addContextualFields, randomContextualLeaf } from './contextual-segments';
import { ODD_USER_IDS, SIGNED_NUMBER_OPERANDS, SIGNED_NUMBER_VALUES, TEXT_OPERANDS, TEXT_VALUES } from './odd-inputs';
import { Prng } from './prng';
import {
  campaignRef,
  CampaignDoc,
  FeatureDoc,
  GroupDoc,
  Segments,
  SettingsDoc,
  SettingsDocBuilder,
  VariationSpec,
} from './settings-document';

/** How likely each construct is; the differential test varies these per profile. */
export interface RandomSettingsProfile {
  features: [min: number, max: number];
  rolloutRules: [min: number, max: number];
  experimentRules: [min: number, max: number];
  /** Share of experiment rules that are personalize rules (the rest are testing rules). */
  personalizeShare: number;
  /** Probability that a segments object is a random DSL rather than `{}`. */
  segmentation: number;
  /** Probability that a testing campaign has isForcedVariationEnabled with whitelists. */
  whitelisting: number;
  /** Number of mutually exclusive groups to try to build. */
  groups: [min: number, max: number];
  /** Probability that a rollout/personalize variation has no `segments` key (VWO errors). */
  missingSegments: number;
  /**
   * Probability that a segment leaf is on the user agent, IP, versions, location or parsed user agent, whose
   * contexts then carry those details (contextual-segments.ts). Absent or 0: no draws for it, so documents and
   * contexts of the other profiles stay as their seeds made them.
   */
  contextual?: number;
}

export const DEFAULT_PROFILE: RandomSettingsProfile = {
  features: [1, 4],
  rolloutRules: [0, 3],
  experimentRules: [0, 4],
  personalizeShare: 0.3,
  segmentation: 0.5,
  whitelisting: 0.3,
  groups: [0, 2],
  missingSegments: 0.01,
};

/** Mostly segmented rules whose leaves are often on the user agent, IP, versions, location or parsed user agent. */
export const CONTEXTUAL_PROFILE: RandomSettingsProfile = {
  ...DEFAULT_PROFILE,
  groups: [0, 0],
  segmentation: 0.8,
  contextual: 0.6,
  whitelisting: 0.1,
};

/** One whitelisted variation: the ids and the tier that force a user into it. */
export interface WhitelistEntry {
  campaignId: number;
  variationId: number;
  userIds: string[];
  tier: string;
}

export interface RandomSettings {
  doc: SettingsDoc;
  featureKeys: string[];
  whitelists: WhitelistEntry[];
  /** Whether contexts should carry a user agent, an IP and `_vwo` details (the profile's `contextual`). */
  contextual: boolean;
}

/** Maps a user id to the id VWO lists in `user` segments of a campaign with isUserListEnabled. */
export type UserListId = (userId: string, accountId: string) => string;

interface Attribute {
  values: readonly unknown[];
  operands: readonly string[];
}

/**
 * Custom variables and operands chosen so that each operand matches some values and not others. Values
 * compared with lt/lte always have a digit or are JS numbers: for text with no digit ("abc") Node and
 * lib/engine deliberately differ on lt/lte (VWO's corpus says false, Node true).
 */
const ATTRIBUTES: Readonly<Record<string, Attribute>> = {
  price: {
    values: [50, 100, 150, 200, 99.5, '100', 100.0, 0, '0100', -50, '-100', '1e2'],
    operands: ['100', 'gt(99)', 'lt(150)', 'gte(100)', 'lte(100.5)', 'regex(^1\\d\\d$)', 'wildcard(1*)', '0100'],
  },
  plan: {
    values: ['gold', 'Gold', 'silver', 'platinum', 'GOLDEN', '', 'gold '],
    operands: ['gold', 'lower(GOLD)', 'wildcard(*old*)', 'wildcard(gol*)', 'wildcard(*er)', 'regex(^(gold|silver)$)', 'regex(i)', ''],
  },
  email: {
    values: ['a@example.com', 'b@vwo.com', 'x@Example.com', 'noemail', 'a@example.com.au'],
    operands: ['wildcard(*@example.com)', 'regex(@vwo\\.com$)', 'lower(A@EXAMPLE.COM)', 'wildcard(*example*)'],
  },
  age: {
    values: [12, 17, 18, 25, 40, 65, '30', 18.5, '017', -1, '-18', '1.8e1'],
    operands: ['gt(17)', 'lt(18)', 'gte(65)', 'lte(25)', '18', 'regex(^[1-3]\\d$)', 'lt(18.5)'],
  },
  beta: {
    values: [true, false, 'true', 'True', 1],
    operands: ['true', 'false', 'lower(TRUE)', '1'],
  },
  version: {
    values: ['1.2.3', '1.10.0', '2.0', '1.2', '1.2.0', '10'],
    operands: ['gt(1.2.3)', 'lt(2)', '1.2', 'gte(1.10)', '1.2.0', 'lte(1.2.3)', 'wildcard(1.*)'],
  },
  score: { values: SIGNED_NUMBER_VALUES, operands: SIGNED_NUMBER_OPERANDS },
  label: { values: TEXT_VALUES, operands: TEXT_OPERANDS },
  country_code: {
    values: ['US', 'IN', 'DE', 'us', 'USA'],
    operands: ['US', 'lower(us)', 'regex(^(US|IN)$)', 'wildcard(*N)', 'wildcard(US*)'],
  },
};
const ATTRIBUTE_NAMES = Object.keys(ATTRIBUTES);

const ROLLOUT_WEIGHTS = [100, 100, 100, 50, 0, 24, 23.99, 75.5, 1, 99.99, 33.33];
const PERCENT_TRAFFIC: readonly (number | undefined)[] = [100, 100, 50, 0, 1, 99, 33.33, 62, undefined, 12.5, 75];
const AB_WEIGHTS: readonly number[][] = [
  [50, 50],
  [33.33, 33.33, 33.34],
  [33.34, 33.33, 33.33],
  [0.07, 99.93],
  [12.5, 87.5],
  [40, 40],
  [25, 25, 25, 25],
  [0, 100],
  [100, 0],
  [10, 20, 30, 40],
  [60, 50],
  [1.1, 98.9],
  [99.99, 0.01],
  [0.14, 0.14, 99.72],
  [100],
];
const SALTS = ['salt-a', 'salt-b', 'shared-salt'];
/** Ordinary ids: never in a whitelist; `user` pre-segments list some of them. */
const POOL_SIZE = 5000;

export function poolUserId(n: number): string {
  return `user_${n}`;
}

/** A random segmentation DSL tree of bounded depth; `contextual` as in RandomSettingsProfile. */
export function randomDsl(rng: Prng, depth = 0, contextual = 0): Segments {
  const leaf = depth >= 2 || rng.chance(0.45);
  if (leaf) return randomLeaf(rng, contextual);
  const kind = rng.pick(['and', 'or', 'or', 'not'] as const);
  if (kind === 'not') return { not: randomDsl(rng, depth + 1, contextual) };
  const children = Array.from({ length: rng.int(1, 3) }, () => randomDsl(rng, depth + 1, contextual));
  return { [kind]: children };
}

function randomLeaf(rng: Prng, contextual: number): Segments {
  if (contextual > 0 && rng.chance(contextual)) return randomContextualLeaf(rng, () => randomLeaf(rng, 0));
  if (rng.chance(0.12)) {
    const ids = Array.from({ length: rng.int(1, 4) }, () => poolUserId(rng.int(1, 60)));
    return { user: ids.join(rng.chance(0.5) ? ',' : ', ') };
  }
  const name = rng.pick(ATTRIBUTE_NAMES);
  return { custom_variable: { [name]: rng.pick(ATTRIBUTES[name].operands) } };
}

/** VWO wraps segments in a top-level `or`/`and`; so do we, most of the time. */
function randomSegments(rng: Prng, probability: number, contextual = 0): Segments {
  if (!rng.chance(probability)) return {};
  const tree = randomDsl(rng, 1, contextual);
  return rng.chance(0.8) ? { [rng.pick(['or', 'and'])]: [tree] } : tree;
}

class RandomSettingsGenerator {
  private readonly builder: SettingsDocBuilder;
  private readonly whitelists: WhitelistEntry[] = [];
  /** Group candidates: experiment campaign refs with the campaign they belong to. */
  private readonly groupable: string[] = [];

  constructor(
    private readonly rng: Prng,
    private readonly profile: RandomSettingsProfile,
    private readonly userListId: UserListId,
  ) {
    this.builder = new SettingsDocBuilder(rng.pick([123456, 12345, '654321']), rng.int(1, 50));
  }

  generate(): RandomSettings {
    const featureCount = this.rng.int(...this.profile.features);
    const features = Array.from({ length: featureCount }, (_, i) => this.builder.feature(`feature${i + 1}`));
    for (const feature of features) {
      this.addRollouts(feature);
      this.addExperiments(feature);
    }
    this.addGroups();
    const contextual = (this.profile.contextual ?? 0) > 0;
    return { doc: this.builder.doc, featureKeys: features.map((f) => f.key), whitelists: this.whitelists, contextual };
  }

  private maybeSalt(p: number): string | undefined {
    return this.rng.chance(p) ? this.rng.pick(SALTS) : undefined;
  }

  private ruleVariation(): VariationSpec {
    return {
      weight: this.rng.pick(ROLLOUT_WEIGHTS),
      segments: randomSegments(this.rng, this.profile.segmentation, this.profile.contextual),
      salt: this.maybeSalt(0.2),
      omitSegments: this.rng.chance(this.profile.missingSegments),
      variables: this.rng.chance(0.05) ? false : undefined,
    };
  }

  private addRollouts(feature: FeatureDoc): void {
    const count = this.rng.int(...this.profile.rolloutRules);
    let shared: CampaignDoc | undefined;
    for (let i = 0; i < count; i++) {
      if (shared && this.rng.chance(0.5)) this.builder.addRolloutRule(feature, shared, this.ruleVariation());
      else shared = this.builder.rollout(feature, this.ruleVariation());
    }
  }

  private addExperiments(feature: FeatureDoc): void {
    const count = this.rng.int(...this.profile.experimentRules);
    for (let i = 0; i < count; i++) {
      if (this.rng.chance(this.profile.personalizeShare)) this.addPersonalize(feature);
      else this.addTesting(feature);
    }
  }

  private addPersonalize(feature: FeatureDoc): void {
    const variations = Array.from({ length: this.rng.int(1, 3) }, () => this.ruleVariation());
    const campaign = this.builder.personalizeCampaign(feature, variations);
    const ruled = this.rng.sample(campaign.variations, this.rng.int(1, campaign.variations.length));
    for (const variation of ruled) {
      this.builder.personalizeRule(feature, campaign, variation.id);
      this.groupable.push(campaignRef(campaign, variation.id));
    }
  }

  private addTesting(feature: FeatureDoc): void {
    const weights = this.rng.pick(AB_WEIGHTS);
    const forced = this.rng.chance(this.profile.whitelisting);
    const campaign = this.builder.testing(feature, {
      variations: weights.map((weight) => ({ weight })),
      percentTraffic: this.rng.pick(PERCENT_TRAFFIC),
      segments: randomSegments(this.rng, this.profile.segmentation, this.profile.contextual),
      salt: this.maybeSalt(0.25),
      isForcedVariationEnabled: forced || (this.rng.chance(0.1) ? false : undefined),
      isUserListEnabled: forced && this.rng.chance(0.3) ? true : undefined,
    });
    if (forced) this.addWhitelists(campaign);
    this.groupable.push(campaignRef(campaign));
  }

  /** Whitelists some variations (weight-0 ones included): their own user ids, or their own tier. */
  private addWhitelists(campaign: CampaignDoc): void {
    const accountId = String(this.builder.doc.accountId);
    for (const variation of campaign.variations) {
      if (this.rng.chance(0.3)) {
        if (this.rng.chance(0.5)) delete variation.segments;
        continue;
      }
      const tag = `c${campaign.id}v${variation.id}`;
      const userIds = [`wl_${tag}_a`, `wl_${tag}_b`];
      const listed = campaign.isUserListEnabled ? userIds.map((id) => this.userListId(id, accountId)) : userIds;
      const tierNode = { custom_variable: { tier: this.rng.pick([tag, `lower(${tag.toUpperCase()})`, `regex(^${tag}$)`]) } };
      variation.segments = { or: [{ user: listed.join(',') }, tierNode] };
      this.whitelists.push({ campaignId: campaign.id, variationId: variation.id, userIds, tier: tag });
    }
  }

  /** Groups of 2-5 experiment refs (each ref in at most one group), random or advanced. */
  private addGroups(): void {
    const groupCount = this.rng.int(...this.profile.groups);
    const free = this.rng.sample(this.groupable, this.groupable.length);
    for (let g = 0; g < groupCount && free.length >= 2; g++) {
      const refs = free.splice(0, Math.min(free.length, this.rng.int(2, 5)));
      this.builder.group(refs, this.rng.chance(0.5) ? {} : this.advancedAlgorithm(refs));
    }
  }

  private advancedAlgorithm(refs: string[]): Omit<GroupDoc, 'name' | 'campaigns'> {
    const algorithm: Omit<GroupDoc, 'name' | 'campaigns'> = { et: this.rng.chance(0.8) ? 2 : 1 };
    if (this.rng.chance(0.7)) {
      // Priority may name a personalize campaign by its bare id (matched loosely) or name nothing eligible.
      algorithm.p = this.rng.sample(refs, this.rng.int(1, 2)).map((r) => (this.rng.chance(0.3) ? r.split('_')[0] : r));
    }
    if (this.rng.chance(0.8)) {
      const weighted = this.rng.sample(refs, this.rng.int(1, refs.length));
      const total = this.rng.pick([100, 100, 80]);
      algorithm.wt = Object.fromEntries(weighted.map((r) => [r, Math.round((total / weighted.length) * 100) / 100]));
    }
    return algorithm;
  }
}

export function randomSettings(
  rng: Prng,
  userListId: UserListId,
  profile: RandomSettingsProfile = DEFAULT_PROFILE,
): RandomSettings {
  return new RandomSettingsGenerator(rng, profile, userListId).generate();
}

function randomCustomVariables(rng: Prng): Record<string, unknown> {
  const vars: Record<string, unknown> = {};
  for (const name of ATTRIBUTE_NAMES) {
    if (rng.chance(0.6)) vars[name] = rng.pick(ATTRIBUTES[name].values);
  }
  return vars;
}

/**
 * A user context for `settings`: usually an ordinary id, sometimes a whitelisted id or a whitelist tier
 * (never both), sometimes a numeric id or an odd one (falsy, unencodable, non-ASCII, long); custom
 * variables drawn from the attributes above.
 */
export function randomContext(rng: Prng, settings: RandomSettings): Record<string, unknown> {
  const context: Record<string, unknown> = {
    id: rng.chance(0.03) ? rng.int(1, 99999) : rng.chance(0.05) ? rng.pick(ODD_USER_IDS) : poolUserId(rng.int(1, POOL_SIZE)),
  };
  if (rng.chance(0.85)) context.customVariables = randomCustomVariables(rng);
  const targeting: Record<string, unknown> = rng.chance(0.3) ? randomCustomVariables(rng) : {};
  if (settings.whitelists.length > 0 && rng.chance(0.25)) {
    const entry = rng.pick(settings.whitelists);
    if (rng.chance(0.5)) context.id = rng.pick(entry.userIds);
    else targeting.tier = entry.tier;
  }
  if (Object.keys(targeting).length > 0 || rng.chance(0.2)) context.variationTargetingVariables = targeting;
  if (settings.contextual) addContextualFields(rng, context);
  return context;
}
