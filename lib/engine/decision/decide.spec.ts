/**
 * decide(): docs/bucketing.md behaviours not covered by VWO's corpus (bucketing seed, error flags, events).
 * Holdouts, whitelisting, stored-record reuse and MEG meta records have their own specs beside their steps.
 */
import type { VWOUserContext } from '../types';
import { bucketValue, clone, compileSettings, corpus, decide, engine, fixtures, none, run, str } from './decision-spec.helpers';

const { feature, holdout, rolloutCampaign, rule, settings, testingCampaign } = fixtures;

describe('docs/bucketing.md (corpus RolloutAndTestingSettingsWithPreSegment, user_id, price 100)', () => {
  const base = corpus.ROLLOUT_TESTING_PRE_SEGMENT_RULE_SETTINGS;
  const ctx = { id: 'user_id', customVariables: { price: 100 } };

  it('serves testingRule1 variation 2 (traffic 62 ≤ 100, variation bucket 9963)', () => {
    const d = run(base, 'feature1', ctx);
    expect(d.enabled).toBe(true);
    expect(d.reason).toBe('EXPERIMENT');
    expect(d.rollout).toEqual({ id: 1, key: 'feature1_rolloutRule1', ruleKey: 'rolloutRule1', variationId: 1 });
    expect(d.experiment).toEqual({ id: 2, key: 'feature1_testingRule1', ruleKey: 'testingRule1', variationId: 2, variationName: 'Variation-1' });
    expect(str(d)).toBe('testing1_variation');
    expect(d.impressions).toEqual([
      { campaignId: 1, variationId: 1, featureId: 1 },
      { campaignId: 2, variationId: 2, featureId: 1 },
    ]);
  });

  it('rollout weight 24 lets bucket 24 in; 23.99 disables the flag and skips experiments', () => {
    const doc = clone(base);
    doc.campaigns[0].variations[0].weight = 24;
    expect(run(doc, 'feature1', ctx).enabled).toBe(true);
    doc.campaigns[0].variations[0].weight = 23.99;
    const d = run(doc, 'feature1', ctx);
    expect(d.enabled).toBe(false);
    expect(d.reason).toBe('NOT_IN_ROLLOUT');
    expect(d.variables).toEqual([]);
    expect(d.impressions).toEqual([]);
    expect(d.integration).not.toHaveProperty('variationTargetingVariables'); // no experiment rule was looked at
  });

  it('percentTraffic 61 keeps the user out of the test (rollout variables), 62 lets in', () => {
    const doc = clone(base);
    doc.campaigns[1].percentTraffic = 61;
    const out = run(doc, 'feature1', ctx);
    expect(out.reason).toBe('ROLLOUT');
    expect(str(out)).toBe('rollout1');
    doc.campaigns[1].percentTraffic = 62;
    expect(str(run(doc, 'feature1', ctx))).toBe('testing1_variation');
  });

  it('weights 40/40 leave bucket 9963 in no range: rollout variables, and later experiment rules are not tried', () => {
    const doc = clone(base);
    doc.campaigns[1].variations[0].weight = 40;
    doc.campaigns[1].variations[1].weight = 40;
    const d = run(doc, 'feature1', { id: 'user_id', customVariables: { price: 100 } });
    expect(d.reason).toBe('ROLLOUT');
    expect(d.experiment).toBeUndefined();
    expect(str(d)).toBe('rollout1');
  });

  it('campaign salt salt123: traffic 67, variation bucket 8071 → variation 2', () => {
    const doc = clone(base);
    doc.campaigns[1].salt = 'salt123';
    expect(bucketValue('salt123_user_id', 100)).toBe(67);
    expect(bucketValue('salt123_12345_user_id', 10000)).toBe(8071);
    expect(run(doc, 'feature1', ctx).experiment?.variationId).toBe(2);
    doc.campaigns[1].percentTraffic = 66;
    expect(run(doc, 'feature1', ctx).experiment).toBeUndefined();
  });

  it('bucketing seed company-abc: variation bucket 3907 → variation 1, whatever the user id', () => {
    for (const id of ['user_id', 'someone-else', 'x']) {
      const d = run(base, 'feature1', { id, bucketingSeed: 'company-abc', customVariables: { price: 100 } });
      expect(d.experiment?.variationId).toBe(1);
      expect(str(d)).toBe('testing1');
      expect(d.userId).toBe(id);
    }
  });

  it('only the first rollout rule passing pre-segmentation is tried', () => {
    // price 200: rolloutRule1 fails pre-segmentation, rolloutRule2 (same campaign, variation 2) is served.
    const doc = clone(base);
    const d = run(doc, 'feature1', { id: 'user_id', customVariables: { price: 200 } });
    expect(d.rollout).toEqual({ id: 1, key: 'feature1_rolloutRule1', ruleKey: 'rolloutRule2', variationId: 2 });
    // rolloutRule2 out of traffic: the flag is off even though no other rollout rule would have been tried anyway.
    doc.campaigns[0].variations[1].weight = 1;
    const off = run(doc, 'feature1', { id: 'user_id', customVariables: { price: 200 } });
    expect(off.enabled).toBe(false);
  });
});

describe('bucketing seed (docs/bucketing.md, VWO CustomBucketingSeed scenarios)', () => {
  // Rollout 100% + AB 50/50 + a forced variation (weight 0) for user "forced".
  const doc = settings(
    [feature(1, 'f', [rule('FLAG_ROLLOUT', 'r', 1), rule('FLAG_TESTING', 't', 2)])],
    [
      rolloutCampaign(1, 'f_r', [{ id: 1, weight: 100, variables: { string: 'def' } }]),
      testingCampaign(
        2,
        'f_t',
        [
          { id: 1, weight: 50, variables: { string: 'control' } },
          { id: 2, weight: 50, variables: { string: 'var1' } },
          { id: 3, weight: 0, segments: { or: [{ user: 'forced' }] }, variables: { string: 'forced' } },
        ],
        { isForcedVariationEnabled: true },
      ),
    ],
  );
  const snap = compileSettings(doc);
  const variationFor = (bucketingId: string) => (bucketValue(`2_12345_${bucketingId}`, 10000) <= 5000 ? 'control' : 'var1');
  const served = (ctx: VWOUserContext) => str(decide(snap, 'f', ctx, none));

  const users = Array.from({ length: 40 }, (_, i) => `user-${i}`);

  it('without a seed, users bucket by their own id (and do diverge)', () => {
    const got = users.map((id) => served({ id }));
    expect(got).toEqual(users.map(variationFor));
    expect(new Set(got).size).toBe(2);
  });

  it('the same seed gives every user the same variation; different seeds follow the seed', () => {
    for (const id of users) expect(served({ id, bucketingSeed: 'common-seed-123' })).toBe(variationFor('common-seed-123'));
    const seeds = users.map((u) => `seed-${u}`);
    expect(seeds.map((s) => served({ id: 'same-user', bucketingSeed: s }))).toEqual(seeds.map(variationFor));
  });

  it.each([[''], ['   '], [null], [undefined], [42], [{ a: 1 }], [['x']]])('seed %p is dropped (user id used)', (seed) => {
    for (const id of users.slice(0, 8)) expect(served({ id, bucketingSeed: seed as never })).toBe(variationFor(id));
  });

  it('keeps a seed untrimmed, and a true boolean as "true"', () => {
    expect(served({ id: 'u', bucketingSeed: ' s ' })).toBe(variationFor(' s '));
    expect(served({ id: 'u', bucketingSeed: true as never })).toBe(variationFor('true'));
    expect(served({ id: 'u1', bucketingSeed: false as never })).toBe(variationFor('u1'));
  });

  it('the forced variation wins with and without a seed', () => {
    expect(served({ id: 'forced' })).toBe('forced');
    expect(served({ id: 'forced', bucketingSeed: 'some-seed-xyz' })).toBe('forced');
  });

  it('resolved (aliased) ids with the same seed get the same variation; without a seed they follow their ids', () => {
    expect(served({ id: 'RandomUserVWO', bucketingSeed: 'shared-seed-abc' })).toBe(served({ id: 'WingifyVWO', bucketingSeed: 'shared-seed-abc' }));
    expect(served({ id: 'RandomUserVWO' })).toBe(variationFor('RandomUserVWO'));
    expect(served({ id: 'WingifyVWO' })).toBe(variationFor('WingifyVWO'));
  });

  it('same salt on two flags: each user gets the same variation on both; with a seed all users match', () => {
    const salted = corpus.SETTINGS_WITH_SAME_SALT;
    const s = compileSettings(salted);
    const pair = (ctx: VWOUserContext) => [decide(s, 'feature1', ctx, none), decide(s, 'feature2', ctx, none)].map((d) => JSON.stringify(d.variables));
    const seen = new Set<string>();
    for (let i = 1; i <= 10; i++) {
      const [a, b] = pair({ id: `user${i}` });
      expect(a).toBe(b);
      const [c, e] = pair({ id: `user${i}`, bucketingSeed: 'common_seed_456' });
      expect(c).toBe(e);
      seen.add(c);
    }
    expect(seen.size).toBe(1);
  });

  it('the seed is not used for holdouts, storage records or the user-list UUID', () => {
    const h = settings(doc.features, doc.campaigns, { holdouts: [holdout(99, 50, { isGlobal: true })] });
    // holdout bucket uses the user id: "12345_99_user_id" → 50 ⇒ in, whatever the seed
    const d = run(h, 'f', { id: 'user_id', bucketingSeed: 'zzz' });
    expect(d.reason).toBe('HOLDOUT');
    expect(d.writes[0].userId).toBe('user_id');
    const e = run(doc, 'f', { id: 'user_id', bucketingSeed: 'zzz' });
    expect(e.writes.at(-1)?.userId).toBe('user_id');
    expect(e.integration?.customVariables).toEqual({ _wingifyUserId: 'user_id' });
  });
});

describe('error flag and invalid input (docs/decisions.md): decide never throws', () => {
  const snap = compileSettings(corpus.BASIC_ROLLOUT_SETTINGS);

  it.each([
    ['featureKey not a string', () => decide(snap, 5 as never, { id: 'u' }, none), 'INVALID_FEATURE_KEY'],
    ['context missing', () => decide(snap, 'feature1', undefined as never, none), 'INVALID_CONTEXT'],
    ['id 0', () => decide(snap, 'feature1', { id: 0 }, none), 'INVALID_CONTEXT'],
    ['id ""', () => decide(snap, 'feature1', { id: '' }, none), 'INVALID_CONTEXT'],
    ['id false', () => decide(snap, 'feature1', { id: false as never }, none), 'INVALID_CONTEXT'],
    ['id NaN', () => decide(snap, 'feature1', { id: NaN }, none), 'INVALID_CONTEXT'],
    ['id with a lone surrogate', () => decide(snap, 'feature1', { id: '\ud800x' }, none), 'INVALID_CONTEXT'],
    ['id with no string form', () => decide(snap, 'feature1', { id: Object.create(null) as never }, none), 'INVALID_CONTEXT'],
    ['no snapshot', () => decide(undefined as never, 'feature1', { id: 'u' }, none), 'SETTINGS_NOT_READY'],
    ['unknown feature', () => decide(snap, 'nope', { id: 'u' }, none), 'FEATURE_NOT_FOUND'],
  ])('%s', (_name, call, reason) => {
    const d = call();
    expect(d.enabled).toBe(false);
    expect(d.reason).toBe(reason);
    expect(d.variables).toEqual([]);
    expect(new engine.Flag(d).getVariable('int', 7)).toBe(7);
  });

  it('numeric ids are stringified', () => {
    const d = decide(snap, 'feature1', { id: 123 }, none);
    expect(d.userId).toBe('123');
    expect(d.writes[0].userId).toBe('123');
  });

  it('a rollout variation without segments makes VWO throw: error flag', () => {
    const doc = clone(corpus.BASIC_ROLLOUT_SETTINGS);
    delete doc.campaigns[0].variations[0].segments;
    const d = run(doc, 'feature1', { id: 'u' });
    expect(d.reason).toBe('ERROR');
    expect(d.enabled).toBe(false);
  });

  it('a throwing storage lookup counts as "nothing stored"', () => {
    const d = decide(snap, 'feature1', { id: 'u' }, () => {
      throw new Error('boom');
    });
    expect(d.enabled).toBe(true);
  });

  it('a malformed stored record (isInHoldoutId not a list) is an error flag, not a throw', () => {
    const d = decide(snap, 'feature1', { id: 'u' }, () => ({ featureKey: 'feature1', userId: 'u', isInHoldoutId: 5 as never }));
    expect(d.reason).toBe('ERROR');
  });
});

describe('events and results', () => {
  it('impact campaign: variation 2 when enabled, 1 when disabled', () => {
    const doc = clone(corpus.ROLLOUT_TESTING_PRE_SEGMENT_RULE_SETTINGS);
    doc.features[0].impactCampaign = { campaignId: 55, type: 'IMPACT' };
    const on = run(doc, 'feature1', { id: 'u', customVariables: { price: 100 } });
    expect(on.impressions.at(-1)).toEqual({ campaignId: 55, variationId: 2, featureId: 1 });
    const off = run(doc, 'feature1', { id: 'u' });
    expect(off.impressions).toEqual([{ campaignId: 55, variationId: 1, featureId: 1 }]);
    expect(off.integration).toBeDefined();
  });

  it('experiment variables replace rollout variables entirely', () => {
    const doc = settings(
      [feature(1, 'f', [rule('FLAG_ROLLOUT', 'r', 1), rule('FLAG_TESTING', 't', 2)])],
      [
        rolloutCampaign(1, 'f_r', [{ id: 1, weight: 100, variables: { a: 1, b: 2 } }]),
        testingCampaign(2, 'f_t', [{ id: 1, weight: 100, variables: { a: 10 } }]),
      ],
    );
    const d = run(doc, 'f', { id: 'u' });
    const flag = new engine.Flag(d);
    expect(flag.getVariables()).toEqual([{ value: 10, type: 'integer', key: 'a', id: 1 }]);
    expect(flag.getVariable('b', 'dflt')).toBe('dflt');
    expect(flag.variationName).toBe('variation-1');
  });

  it('a feature with no rules is disabled and still records the evaluation', () => {
    const doc = settings([feature(1, 'f', [])], []);
    const d = run(doc, 'f', { id: 'u' });
    expect(d.reason).toBe('NO_RULE_MATCHED');
    expect(d.writes).toEqual([{ featureKey: 'f', userId: 'u', notInHoldoutId: [] }]);
  });

  it('does not mutate the caller context nor the settings document', () => {
    const doc = corpus.MEG_CAMPAIGN_ADVANCE_ALGO_SETTINGS;
    const before = JSON.stringify(doc);
    const ctx = { id: 'user_id_1', customVariables: { name: 'personalise' } };
    run(doc, 'feature1', ctx);
    expect(ctx).toEqual({ id: 'user_id_1', customVariables: { name: 'personalise' } });
    expect(JSON.stringify(doc)).toBe(before);
  });
});
