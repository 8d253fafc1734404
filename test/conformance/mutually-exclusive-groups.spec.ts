/**
 * Mutually exclusive groups beyond VWO's corpus (docs/events.md): a stored group winner read back, features
 * that take no part in the competition (stored holdout, failing or throwing rollout), and competitors that win
 * by a stored decision.
 */
import { feature, personalizeCampaign, rolloutCampaign, rule, settings, testingCampaign } from './support/engine-fixtures';
import { loadEngine } from './support/engine-harness';
import type { StoredRecord } from '../../lib/engine/types';

const { compileSettings, decide, bucketValue } = loadEngine();

const GROUP = 7;
const META = `_vwo_meta_meg_${GROUP}`;
const USER = 'meg-user';

type Rec = Record<string, unknown>;

/**
 * Feature `a` (A/B campaign 10) and feature `b` (A/B campaign 20, behind rollout 30 when `bRollout` is given)
 * compete in group 7. Each variation serves a `string` variable naming its campaign.
 */
function groupDoc(bRollout?: { weight: number; segments?: unknown }): Rec {
  const bRules = [rule('FLAG_TESTING', 't', 20)];
  const campaigns: Rec[] = [
    testingCampaign(10, 'a_t', [{ id: 1, weight: 100, variables: { string: 'a' } }]),
    testingCampaign(20, 'b_t', [{ id: 1, weight: 100, variables: { string: 'b' } }]),
  ];
  if (bRollout) {
    bRules.unshift(rule('FLAG_ROLLOUT', 'r', 30, 1));
    const variation = { id: 1, weight: bRollout.weight, ...('segments' in bRollout ? { segments: bRollout.segments } : {}) };
    campaigns.push(rolloutCampaign(30, 'b_r', [variation]));
  }
  return settings([feature(1, 'a', [rule('FLAG_TESTING', 't', 10)]), feature(2, 'b', bRules)], campaigns, {
    groups: { [GROUP]: { name: 'g', campaigns: ['10', '20'] } },
    campaignGroups: { 10: GROUP, 20: GROUP },
  });
}

/** A lookup over these records (by featureKey) for USER. */
const storedAs =
  (...records: Rec[]) =>
  (key: string): StoredRecord | undefined =>
    records.find((r) => r.featureKey === key) as StoredRecord | undefined;

const decideA = (doc: Rec, stored = storedAs()) => decide(compileSettings(doc), 'a', { id: USER }, stored);
const served = (d: { variables: readonly { key: string; value: unknown }[] }) => d.variables.find((v) => v.key === 'string')?.value;
const metaWrites = (d: { writes: readonly StoredRecord[] }) => d.writes.filter((w) => w.featureKey === META);
/** Whether feature a's campaign wins the 50/50 random draw of group 7 for USER (bucket of "7_<user>"). */
const aWinsDraw = bucketValue(`${GROUP}_${USER}`, 10000) <= 5000;

describe('a stored group winner (the meta record), read before pre-segmentation', () => {
  it('serves the rule the meta record names, without competing again or rewriting it', () => {
    const d = decideA(groupDoc(), storedAs({ featureKey: META, userId: USER, experimentId: 10, experimentKey: 'a_t', experimentVariationId: -1 }));
    expect(d.reason).toBe('EXPERIMENT');
    expect(served(d)).toBe('a');
    expect(metaWrites(d)).toEqual([]);
    expect(d.writes).toEqual([expect.objectContaining({ featureKey: 'a', experimentId: 10, experimentVariationId: 1 })]);
  });

  it("keeps the user out of this feature's campaign when the meta record names another one", () => {
    const d = decideA(groupDoc(), storedAs({ featureKey: META, userId: USER, experimentId: 20, experimentKey: 'b_t', experimentVariationId: -1 }));
    expect(d.enabled).toBe(false);
    expect(d.reason).toBe('NO_RULE_MATCHED');
    expect(d.impressions).toEqual([]);
    expect(metaWrites(d)).toEqual([]);
  });

  it('ignores a meta record without experimentKey: the group competes as if nothing were stored', () => {
    const incomplete = decideA(groupDoc(), storedAs({ featureKey: META, userId: USER, experimentId: 20, experimentVariationId: -1 }));
    const fresh = decideA(groupDoc());
    expect(incomplete.enabled).toBe(aWinsDraw);
    expect(incomplete.writes).toEqual(fresh.writes);
    expect(metaWrites(fresh)).toEqual([{ featureKey: META, userId: USER, experimentId: aWinsDraw ? 10 : 20, experimentKey: aWinsDraw ? 'a_t' : 'b_t', experimentVariationId: -1 }]);
  });

  describe('personalize rules: the stored winner is "<campaignId>_<variationId>"', () => {
    // Feature p has two personalize rules on campaign 40 (variations 1 and 2); group 8 lists both.
    const doc = settings(
      [feature(1, 'p', [rule('FLAG_PERSONALIZE', 'p1', 40, 1), rule('FLAG_PERSONALIZE', 'p2', 40, 2)])],
      [
        personalizeCampaign(40, 'p_p', [
          { id: 1, weight: 100, variables: { string: 'p1' } },
          { id: 2, weight: 100, variables: { string: 'p2' } },
        ]),
      ],
      { groups: { 8: { name: 'g', campaigns: ['40_1', '40_2'] } }, campaignGroups: { '40_1': 8, '40_2': 8 } },
    );
    const meta = (experimentVariationId: number) =>
      storedAs({ featureKey: '_vwo_meta_meg_8', userId: USER, experimentId: 40, experimentKey: 'p_p', experimentVariationId });

    it('serves the rule whose variation was stored as the winner, skipping the rule before it', () => {
      const d = decide(compileSettings(doc), 'p', { id: USER }, meta(2));
      expect(d.reason).toBe('EXPERIMENT');
      expect(served(d)).toBe('p2');
      expect(d.experiment).toMatchObject({ id: 40, ruleKey: 'p2', variationId: 2 });
      expect(d.writes.some((w) => w.featureKey === '_vwo_meta_meg_8')).toBe(false);
    });

    it('serves the first rule when its own variation is the stored winner', () => {
      const d = decide(compileSettings(doc), 'p', { id: USER }, meta(1));
      expect(d.experiment).toMatchObject({ id: 40, ruleKey: 'p1', variationId: 1 });
    });
  });
});

describe('features that take no part in the competition', () => {
  it('a feature whose stored record holds the user in a holdout: the other campaign is alone, so no meta record', () => {
    const d = decideA(groupDoc(), storedAs({ featureKey: 'b', userId: USER, isInHoldoutId: [99] }));
    expect(d.reason).toBe('EXPERIMENT');
    expect(served(d)).toBe('a');
    expect(metaWrites(d)).toEqual([]);
  });

  it('a feature whose rollout the user does not pass: skipped, so the other campaign wins', () => {
    const d = decideA(groupDoc({ weight: 0 }));
    expect(served(d)).toBe('a');
    expect(metaWrites(d)).toEqual([]);
  });

  it('a feature whose rollout passes competes as usual (random draw, meta record written)', () => {
    const d = decideA(groupDoc({ weight: 100 }));
    expect(d.enabled).toBe(aWinsDraw);
    expect(metaWrites(d)).toHaveLength(1);
  });

  it("a rollout of another feature in the group that throws (no segments) makes this feature's flag the error flag", () => {
    const doc = groupDoc({ weight: 100 });
    delete ((doc.campaigns as Rec[])[2].variations as Rec[])[0].segments;
    const d = decideA(doc);
    expect(d).toMatchObject({ enabled: false, reason: 'ERROR', variables: [] });
    expect(d.impressions).toEqual([]);
  });
});

describe('competitors with a stored decision win over fresh ones', () => {
  it("another feature's stored experiment in the group is the only candidate: this feature loses, nothing is drawn", () => {
    const d = decideA(groupDoc(), storedAs({ featureKey: 'b', userId: USER, featureId: 2, experimentId: 20, experimentKey: 'b_t', experimentVariationId: 1 }));
    expect(d.enabled).toBe(false);
    expect(metaWrites(d)).toEqual([]);
  });

  it('a stored decision naming a variation that no longer exists does not count: the group draws', () => {
    const d = decideA(groupDoc(), storedAs({ featureKey: 'b', userId: USER, featureId: 2, experimentId: 20, experimentKey: 'b_t', experimentVariationId: 999 }));
    expect(d.enabled).toBe(aWinsDraw);
    expect(metaWrites(d)).toHaveLength(1);
  });

  it('two competitors with stored decisions: the draw is among them, and written', () => {
    // a's own record has no featureId (an older SDK's), so it is not reused as a decision, but it competes.
    const d = decideA(
      groupDoc(),
      storedAs(
        { featureKey: 'a', userId: USER, experimentId: 10, experimentKey: 'a_t', experimentVariationId: 1 },
        { featureKey: 'b', userId: USER, featureId: 2, experimentId: 20, experimentKey: 'b_t', experimentVariationId: 1 },
      ),
    );
    expect(d.reason).toBe(aWinsDraw ? 'EXPERIMENT' : 'NO_RULE_MATCHED');
    expect(metaWrites(d)).toEqual([{ featureKey: META, userId: USER, experimentId: aWinsDraw ? 10 : 20, experimentKey: aWinsDraw ? 'a_t' : 'b_t', experimentVariationId: -1 }]);
  });
});
