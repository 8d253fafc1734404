/** Mutually exclusive groups (docs/decisions.md): MEG meta records, group winners and the integration payload. */
import type { StoredRecord } from '../types';
import { bucketValue, compileSettings, corpus, decide, fixtures, none, run } from './decision-spec.helpers';

const { feature, holdout, personalizeCampaign, rule, settings, testingCampaign } = fixtures;

describe('mutually exclusive groups (docs/decisions.md)', () => {
  const megDoc = corpus.MEG_CAMPAIGN_RANDOM_ALGO_SETTINGS;
  const ctx = { id: 'user_id_1', customVariables: { price: 100, name: 'personalise' } };

  it('writes the group winner record and serves the winner (corpus random case a)', () => {
    const d = run(megDoc, 'feature1', ctx);
    expect(d.experiment?.key).toBe('feature1_personalizeRule1');
    expect(d.writes[0]).toEqual({
      featureKey: '_vwo_meta_meg_1',
      userId: 'user_id_1',
      experimentId: 3,
      experimentKey: 'feature1_personalizeRule1',
      experimentVariationId: 1,
    });
    expect(compileSettings(megDoc).storageKeys('feature1')).toEqual(['feature1', '_vwo_meta_meg_1']);
  });

  it('the meta record fixes the winner for the user before pre-segmentation', () => {
    const meta = { featureKey: '_vwo_meta_meg_1', userId: 'user_id_1', experimentId: 2, experimentKey: 'feature1_testingRule1', experimentVariationId: -1 };
    const d = run(megDoc, 'feature1', ctx, (k) => (k === '_vwo_meta_meg_1' ? (meta as StoredRecord) : undefined));
    expect(d.experiment?.key).toBe('feature1_testingRule1');
    expect(d.writes.some((w) => w.featureKey === '_vwo_meta_meg_1')).toBe(false);
  });

  it('integration payload matches docs/decisions.md exactly, key order included', () => {
    const d = run(megDoc, 'feature1', ctx);
    expect(JSON.stringify(d.integration)).toBe(
      JSON.stringify({
        featureName: 'Feature1',
        featureId: 1,
        featureKey: 'feature1',
        userId: 'user_id_1',
        api: 'getFlag',
        holdoutIDs: [],
        isPartOfHoldout: false,
        isHoldoutPresent: false,
        isUserPartOfCampaign: true,
        customVariables: { price: 100, name: 'personalise', _wingifyUserId: 'user_id_1' },
        rolloutId: 1,
        rolloutKey: 'feature1_rolloutRule1',
        rolloutVariationId: 1,
        variationTargetingVariables: { _wingifyUserId: 'user_id_1' },
        experimentId: 3,
        experimentKey: 'feature1_personalizeRule1',
        experimentVariationId: 1,
      }),
    );
  });

  it('a group campaign of another feature found in a holdout takes no part (its record is written)', () => {
    // Two features; group 7 holds AB campaign 10 (feature a) and AB campaign 20 (feature b).
    const doc = settings(
      [feature(1, 'a', [rule('FLAG_TESTING', 't', 10)]), feature(2, 'b', [rule('FLAG_TESTING', 't', 20)])],
      [
        testingCampaign(10, 'a_t', [{ id: 1, weight: 100, variables: { string: 'a' } }]),
        testingCampaign(20, 'b_t', [{ id: 1, weight: 100, variables: { string: 'b' } }]),
      ],
      {
        groups: { 7: { name: 'g', campaigns: ['10', '20'] } },
        campaignGroups: { 10: 7, 20: 7 },
        holdouts: [holdout(5, 100, { featureIds: [2] })],
      },
    );
    const snap = compileSettings(doc);
    expect(snap.storageKeys('a')).toEqual(['a', '_vwo_meta_meg_7', 'b']);
    const d = decide(snap, 'a', { id: 'u' }, none);
    expect(d.reason).toBe('EXPERIMENT');
    expect(d.writes[0]).toEqual({ featureKey: 'b', userId: 'u', isInHoldoutId: [5] });
    // single eligible campaign: no meta record
    expect(d.writes.some((w) => w.featureKey.startsWith('_vwo_meta_meg_'))).toBe(false);
    // without the holdout, both compete: random 50/50 on bucket("7_u")
    const open = settings(doc.features, doc.campaigns, { groups: doc.groups, campaignGroups: doc.campaignGroups });
    const e = run(open, 'a', { id: 'u' });
    const aWins = bucketValue('7_u', 10000) <= 5000;
    expect(e.enabled).toBe(aWins);
    expect(e.writes[0]).toEqual({ featureKey: '_vwo_meta_meg_7', userId: 'u', experimentId: aWins ? 10 : 20, experimentKey: aWins ? 'a_t' : 'b_t', experimentVariationId: -1 });
  });

  it('a feature listed twice in a group (two rules on one campaign) competes with each rule once', () => {
    // Bare "20" matches both personalize rules of feature b, so VWO lists b twice; its rules still compete once each.
    const doc = settings(
      [
        feature(1, 'a', [rule('FLAG_TESTING', 't', 10)]),
        feature(2, 'b', [rule('FLAG_PERSONALIZE', 'p1', 20, 1), rule('FLAG_PERSONALIZE', 'p2', 20, 2)]),
      ],
      [
        testingCampaign(10, 'a_t', [{ id: 1, weight: 100 }]),
        personalizeCampaign(20, 'b_p', [
          { id: 1, weight: 100 },
          { id: 2, weight: 100 },
        ]),
      ],
      { groups: { 7: { name: 'g', campaigns: ['10', '20'] } }, campaignGroups: { 10: 7 } },
    );
    const snap = compileSettings(doc);
    const winners = [
      { experimentId: 10, experimentKey: 'a_t', experimentVariationId: -1 },
      { experimentId: 20, experimentKey: 'b_p', experimentVariationId: 1 },
      { experimentId: 20, experimentKey: 'b_p', experimentVariationId: 2 },
    ];
    const seen = new Set<number>();
    for (let i = 0; i < 30; i++) {
      const userId = `user-${i}`;
      // Three candidates of 33.3333 each: ranges of ceil(3333.33) = 3334 buckets.
      const index = Math.min(2, Math.floor((bucketValue(`7_${userId}`, 10000) - 1) / 3334));
      seen.add(index);
      const d = decide(snap, 'a', { id: userId }, none);
      expect(d.writes[0]).toEqual({ featureKey: '_vwo_meta_meg_7', userId, ...winners[index] });
      expect(d.enabled).toBe(index === 0);
    }
    expect(seen.size).toBe(3);
  });

  it('a campaignGroups entry pointing at a missing group is an error flag (docs/decisions.md)', () => {
    const doc = settings(
      [feature(1, 'a', [rule('FLAG_TESTING', 't', 10)])],
      [testingCampaign(10, 'a_t', [{ id: 1, weight: 100 }])],
      { groups: {}, campaignGroups: { 10: 3 } },
    );
    expect(run(doc, 'a', { id: 'u' }).reason).toBe('ERROR');
  });

  it('personalize rules are grouped by "<campaignId>_<variationId>" only', () => {
    const doc = settings(
      [feature(1, 'a', [rule('FLAG_PERSONALIZE', 'p', 10, 1)])],
      [personalizeCampaign(10, 'a_p', [{ id: 1, weight: 100, variables: { string: 'p' } }])],
      { groups: {}, campaignGroups: { 10: 3 } }, // bare "10" does not match a personalize rule
    );
    expect(run(doc, 'a', { id: 'u' }).reason).toBe('EXPERIMENT');
  });
});
