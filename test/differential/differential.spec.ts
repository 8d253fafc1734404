/**
 * Differential test: our engine against VWO's official Node SDK (vwo-fme-node-sdk@1.35.0, offline) on seeded
 * random settings documents and contexts, 33,600 decisions in all: every profile without storage (24,000), and
 * again over sticky-decision storage (9,600) where most calls come from a few returning users who start with
 * seeded records (stored rollouts, experiments and group winners, some pointing at variations that no longer
 * exist) and keep what each side writes. For every call both must agree on isEnabled, the serving
 * rollout/experiment campaign and variation (as reported to the integrations callback), getVariables(), the
 * impressions sent (campaign and variation, with their count), the storage writes made and the whole decision
 * given to the integrations callback (its keys in order).
 * A failure prints the profile seed and the document seed; set VWO_DIFF_SEED to explore other seeds.
 *
 * Covered: 100% and partial rollouts (fractional weights), several rollout rules (separate campaigns and
 * one campaign with a variation per rule) with pre-segmentation, testing rules with traffic (incl. absent
 * percentTraffic) and weights (33.33/33.34, 0.07, sums under and over 100, weight 0), personalize rules,
 * campaign and variation salts (shared salts), whitelisting with `user` lists (plain and isUserListEnabled
 * UUIDs) and variationTargetingVariables custom variables (single match, weight-0 variations),
 * custom-variable segmentation (equality, lower, wildcard, regex, gt/gte/lt/lte, numeric and version
 * strings, booleans; negative numbers, numeric strings with signs, exponents, spaces and hex, NaN and
 * ±Infinity) under and/or/not, `user` pre-segments, segments on the request (`ua`, URI-decoded, a malformed
 * escape included; `ip_address`; `browser_version` / `os_version`; `country` / `region` / `city` in `and`;
 * `os` / `browser_string` / `device_type` / `device` in `or`, wildcards too) with contexts that carry a user
 * agent, an IP and `_vwo` details or not (bench/support/contextual-segments.ts), MEG groups (random, and
 * advanced with priority `p` — also bare campaign ids — and weights `wt`, with gaps), variables of every type, rollout/personalize
 * variations without `segments`, unknown feature keys, numeric user ids, and odd ones (bench/support/
 * odd-inputs.ts): falsy, negative, non-ASCII, 600 characters, web-testing shaped, lone UTF-16 surrogates.
 *
 * EXCLUDED, because 1.35 lacks it or behaves differently and docs/decisions.md (Node 1.60) overrides it
 * (each checked against the spec and the 1.35 sources / runs):
 * - holdouts: 1.35 has none;
 * - context.bucketingSeed: 1.35 ignores it (docs/settings.md);
 * - several whitelisted variations matching one user: 1.35 throws (it reads weights of JSON clones through
 *   model getters) and returns a disabled flag, even when a rollout passed; docs/events.md scales the
 *   weights and buckets. The generator gives each whitelisted variation its own ids and tier value, and a
 *   context carries at most one of them;
 * - the user-list key: 1.35 writes and reads `_vwoUserId`, the spec `_wingifyUserId` (reading `_vwoUserId`
 *   as a fallback, docs/events.md); contexts never carry either key themselves, and our callback decision is
 *   compared with the key renamed;
 * - the callback decision's holdout keys and `isUserPartOfCampaign`: 1.35 has neither, so ours is compared
 *   without them;
 * - `_wingify` as an alias of `_vwo`, `campaignVariation` / platformVariables: not in 1.35 (docs/events.md);
 * - stored decisions: 1.35 reuses records without `featureId` (docs/events.md requires it): every seeded record
 *   carries one, and 1.35's own writes are reused by it as ours are by us;
 * - what is written: 1.35 writes no `featureId` and no holdout lists (docs/events.md add them), so writes are
 *   compared without those fields; and it writes nothing for a disabled decision, where the spec writes a record
 *   without `featureId` (never reused), so our record of a disabled decision is left out;
 * - impressions of a decision that ends in an error (docs/events.md): 1.35, unbatched, has sent those made before
 *   the error; batched, as the spec's Node and our module send them, they are dropped with it (docs/events.md);
 * - duplicate campaign ids: 1.35 links a rule to the last campaign with the id, the spec to the first
 *   (docs/events.md); the generator never repeats ids.
 * Also excluded, the one deliberate divergence of OUR engine from Node (1.35 and 1.60 alike): lt/lte
 * against text with no digit in it (`"abc"`, `true`): Node compares it as 0 (true), VWO's corpus expects
 * false and lib/engine follows the corpus (README "Deliberate differences"). The generator never puts
 * such text under lt/lte; it does under gt/gte, equality and regex, where both agree.
 * Not 1.35 differences, so covered here: whitelisting on variationTargetingVariables (1.35 evaluates it
 * exactly as docs/events.md says). Out of scope (need a gateway or other APIs): fetching location and parsed user
 * agents from the gateway (the contexts pass them as `_vwo` instead), inlist segments, aliasing, settings
 * validation and updateSettings; dev mode is not in 1.35 and only suppresses events.
 */
import { CONTEXTUAL_PROFILE, DEFAULT_PROFILE, RandomSettingsProfile } from '../../bench/support/random-settings';
import { DifferentialReport, formatMismatches, runDifferential } from './differential-runner';
import { ourEngine } from './our-engine';

const BASE_SEED = Number(process.env.VWO_DIFF_SEED ?? 20_240_601);
const DOCUMENTS = 50;
/** Documents per profile in the run over storage (most calls then come from returning users). */
const DOCUMENTS_WITH_STORAGE = 20;
const DECISIONS_PER_DOCUMENT = 80;
/** ~10 s per profile on an idle machine (the official SDK takes ~1.5 ms a decision); generous for a busy one. */
const PROFILE_TIMEOUT_MS = 120_000;

interface ProfileCase {
  profile: RandomSettingsProfile;
  /** What the official side must have served at least once, so the profile tests what it claims. */
  mustServe?: 'whitelisted' | 'group';
}

/** The default profile without MEG groups, with `changes` applied. */
const withoutGroups = (changes: Partial<RandomSettingsProfile>): RandomSettingsProfile => ({
  ...DEFAULT_PROFILE,
  groups: [0, 0],
  ...changes,
});

const PROFILES: Record<string, ProfileCase> = {
  'rollouts with pre-segmentation': {
    profile: withoutGroups({ rolloutRules: [1, 3], experimentRules: [0, 1], segmentation: 0.7, whitelisting: 0, missingSegments: 0.02 }),
  },
  'testing and personalize rules': {
    profile: withoutGroups({ rolloutRules: [0, 1], experimentRules: [1, 4], personalizeShare: 0.35, whitelisting: 0.1 }),
  },
  whitelisting: {
    profile: withoutGroups({ rolloutRules: [0, 2], experimentRules: [1, 3], personalizeShare: 0, whitelisting: 0.9 }),
    mustServe: 'whitelisted',
  },
  'mutually exclusive groups': {
    profile: {
      ...DEFAULT_PROFILE,
      features: [2, 4],
      rolloutRules: [0, 2],
      experimentRules: [2, 4],
      segmentation: 0.35,
      whitelisting: 0.1,
      groups: [1, 2],
    },
    mustServe: 'group',
  },
  'user agent, IP and location segments': { profile: CONTEXTUAL_PROFILE },
  'everything mixed': { profile: DEFAULT_PROFILE },
};

/**
 * Guards against a vacuous pass: the run must have produced both outcomes and served experiments. Over storage most
 * calls come from returning users served from their records, so fewer are whitelisted or win a group: half the bar
 * (seed 6060606 gave 18 whitelisted decisions over 20 documents, the default seed 44; without storage, 213 and 199
 * over 50 documents).
 */
function expectMeaningfulCoverage(report: DifferentialReport, documents: number, mustServe: ProfileCase['mustServe'], withStorage: boolean): void {
  expect(report.decisions).toBe(documents * DECISIONS_PER_DOCUMENT);
  expect(report.officialEnabled).toBeGreaterThan(report.decisions * 0.1);
  expect(report.officialEnabled).toBeLessThan(report.decisions * 0.95);
  expect(report.officialImpressions).toBeGreaterThan(report.decisions * 0.1);
  const served = withStorage ? documents / 2 : documents;
  if (mustServe === 'whitelisted') expect(report.officialWhitelisted).toBeGreaterThan(served);
  if (mustServe === 'group') expect(report.officialGroupServed).toBeGreaterThan(served);
}

/**
 * Without storage: fresh experiment decisions (a stored experiment reaches no integrations callback, so it would
 * not count), and odd user ids (over storage most calls come from returning users instead).
 */
function expectExperimentCoverage(report: DifferentialReport): void {
  expect(report.officialExperiments).toBeGreaterThan(report.decisions * 0.02);
  // Odd ids reached both sides: the falsy and unencodable ones are refused by both (5% of contexts are odd).
  expect(report.reasons.INVALID_CONTEXT ?? 0).toBeGreaterThan(20);
}

/** Over storage the run must also have written records and served decisions from them. */
function expectStorageCoverage(report: DifferentialReport): void {
  expect(report.officialWrites).toBeGreaterThan(report.decisions * 0.1);
  expect(report.storedServed).toBeGreaterThan(report.decisions * 0.1);
}

describe('differential: our engine vs vwo-fme-node-sdk@1.35.0', () => {
  const names = Object.keys(PROFILES);
  const cases = names.flatMap((name, i) => [
    [name, 'without storage', BASE_SEED + i * 100_000] as const,
    [name, 'over storage with stored data', BASE_SEED + i * 100_000 + 50_000] as const,
  ]);
  it.each(cases)(
    '%s, %s (seed %i)',
    async (name, storage, seed) => {
      const { profile, mustServe } = PROFILES[name];
      const withStorage = storage !== 'without storage';
      const documents = withStorage ? DOCUMENTS_WITH_STORAGE : DOCUMENTS;
      const report = await runDifferential({
        seed,
        documents,
        decisionsPerDocument: DECISIONS_PER_DOCUMENT,
        profile,
        ours: ourEngine,
        withStorage,
      });
      expect(formatMismatches(report, seed)).toBe('');
      expectMeaningfulCoverage(report, documents, mustServe, withStorage);
      if (withStorage) expectStorageCoverage(report);
      else expectExperimentCoverage(report);
    },
    PROFILE_TIMEOUT_MS,
  );
});
