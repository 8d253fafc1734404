/**
 * decide(): docs/bucketing.md behaviours not covered by VWO's corpus (holdouts, bucketing
 * seed, whitelisting tie-break, stored-record reuse, MEG meta records, error flags, events, integration payload).
 */
import * as fixtures from '../../../test/conformance/support/engine-fixtures';
import { MapStorage, getFlag, loadEngine } from '../../../test/conformance/support/engine-harness';
import type { StoredRecord, VWOUserContext } from '../types';

const { feature, holdout, personalizeCampaign, rolloutCampaign, rule, settings, testingCampaign } = fixtures;

const engine = loadEngine();
const { compileSettings, decide, bucketValue } = engine;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const corpus = require('vwo-fme-sdk-e2e-test-settings-n-cases') as Record<string, any>;

const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;
const none = (): undefined => undefined;
const run = (doc: unknown, featureKey: string, ctx: VWOUserContext, stored: (k: string) => StoredRecord | undefined = none) =>
  decide(compileSettings(doc), featureKey, ctx, stored);
const str = (d: { variables: readonly { key: string; value: unknown }[] }): unknown => d.variables.find((v) => v.key === 'string')?.value;

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

describe('whitelisting (docs/decisions.md)', () => {
  function doc(weights: [number, number], users: [string, string]) {
    return settings(
      [feature(1, 'f', [rule('FLAG_TESTING', 't', 2)])],
      [
        testingCampaign(
          2,
          'f_t',
          [
            { id: 1, weight: weights[0], segments: { or: [{ user: users[0] }] }, variables: { string: 'one' } },
            { id: 2, weight: weights[1], segments: { or: [{ user: users[1] }] }, variables: { string: 'two' } },
          ],
          { isForcedVariationEnabled: true, percentTraffic: 0 },
        ),
      ],
    );
  }

  it('a single match wins regardless of weight and traffic', () => {
    const d = run(doc([0, 100], ['user_id', 'nobody']), 'f', { id: 'user_id' });
    expect(d.reason).toBe('WHITELISTED');
    expect(d.experiment?.variationId).toBe(1);
    expect(d.impressions).toEqual([{ campaignId: 2, variationId: 1, featureId: 1 }]);
    expect(d.writes[0]).toMatchObject({ experimentId: 2, experimentKey: 'f_t', experimentVariationId: 1 });
  });

  it('several matches: weights scaled to 100, tie-break bucket "<campaignId>_<bucketingId>" (6197 → variation 2)', () => {
    expect(bucketValue('2_user_id', 10000)).toBe(6197);
    expect(run(doc([50, 50], ['user_id', 'user_id']), 'f', { id: 'user_id' }).experiment?.variationId).toBe(2);
    // 70/30 → ranges 1–7000 / 7001–10000: 6197 falls in variation 1.
    expect(run(doc([70, 30], ['user_id', 'user_id']), 'f', { id: 'user_id' }).experiment?.variationId).toBe(1);
    // weights 0/0 → 50/50 each.
    expect(run(doc([0, 0], ['user_id', 'user_id']), 'f', { id: 'user_id' }).experiment?.variationId).toBe(2);
    // the tie-break uses the bucketing seed, without the account id
    const seeded = bucketValue('2_seed-1', 10000);
    const d = run(doc([50, 50], ['user_id', 'user_id']), 'f', { id: 'user_id', bucketingSeed: 'seed-1' });
    expect(d.experiment?.variationId).toBe(seeded <= 5000 ? 1 : 2);
  });

  it('uses variationTargetingVariables, not customVariables', () => {
    const d = settings(
      [feature(1, 'f', [rule('FLAG_TESTING', 't', 2)])],
      [
        testingCampaign(
          2,
          'f_t',
          [
            { id: 1, weight: 0, segments: { or: [{ custom_variable: { plan: 'gold' } }] }, variables: { string: 'gold' } },
            { id: 2, weight: 100, segments: {}, variables: { string: 'default' } },
          ],
          { isForcedVariationEnabled: true },
        ),
      ],
    );
    expect(str(run(d, 'f', { id: 'u', customVariables: { plan: 'gold' } }))).toBe('default');
    expect(str(run(d, 'f', { id: 'u', variationTargetingVariables: { plan: 'gold' } }))).toBe('gold');
  });

  it('isUserListEnabled matches user lists against the user UUID', () => {
    const uuid = engine.getUUID('user_id', 12345);
    const d = doc([0, 100], [uuid, 'nobody']);
    d.campaigns[0].isUserListEnabled = true;
    expect(run(d, 'f', { id: 'user_id' }).reason).toBe('WHITELISTED');
    expect(run(d, 'f', { id: 'user_id' }).integration?.variationTargetingVariables).toEqual({ _wingifyUserId: uuid });
  });
});

describe('holdouts (docs/decisions.md)', () => {
  // Holdout 99, account 12345: bucket("12345_99_user_id", 100) = 50.
  function doc(holdouts: Record<string, unknown>[], extra: Record<string, unknown> = {}) {
    return settings(
      [feature(1, 'f', [rule('FLAG_ROLLOUT', 'r', 1), rule('FLAG_TESTING', 't', 2)])],
      [
        rolloutCampaign(1, 'f_r', [{ id: 1, weight: 100, variables: { string: 'rollout' } }]),
        testingCampaign(2, 'f_t', [
          { id: 1, weight: 50, variables: { string: 'a' } },
          { id: 2, weight: 50, variables: { string: 'b' } },
        ]),
      ],
      { holdouts, ...extra },
    );
  }

  it('puts the user in a holdout when its bucket ≤ percentTraffic (50 ≤ 50)', () => {
    expect(bucketValue('12345_99_user_id', 100)).toBe(50);
    const d = run(doc([holdout(99, 50, { featureIds: [1] })]), 'f', { id: 'user_id' });
    expect(d.enabled).toBe(false);
    expect(d.reason).toBe('HOLDOUT');
    expect(d.variables).toEqual([]);
    expect(d.writes).toEqual([{ featureKey: 'f', userId: 'user_id', isInHoldoutId: [99], notInHoldoutId: [] }]);
    expect(d.impressions).toEqual([{ campaignId: 99, variationId: 1, featureId: 1, isHoldout: true }]);
    expect(d.integration).toEqual({
      featureName: 'f',
      featureId: 1,
      featureKey: 'f',
      userId: 'user_id',
      api: 'getFlag',
      holdoutIDs: [99],
      isPartOfHoldout: true,
      isHoldoutPresent: true,
      isUserPartOfCampaign: false,
      isEnabled: false,
    });
    expect(Object.keys(d.integration!).pop()).toBe('isEnabled');
  });

  it('lets the user through when bucket > percentTraffic, recording "not in"', () => {
    const d = run(doc([holdout(99, 49, { isGlobal: true })]), 'f', { id: 'user_id' });
    expect(d.enabled).toBe(true);
    expect(d.impressions[0]).toEqual({ campaignId: 99, variationId: 2, featureId: 1, isHoldout: true });
    expect(d.writes.at(-1)).toMatchObject({ featureKey: 'f', featureId: 1, notInHoldoutId: [99] });
    expect(d.integration).toMatchObject({ isHoldoutPresent: true, isPartOfHoldout: false, holdoutIDs: [] });
  });

  it('ignores holdouts that do not apply to the feature', () => {
    const d = run(doc([holdout(99, 100, { featureIds: [2] })]), 'f', { id: 'user_id' });
    expect(d.enabled).toBe(true);
    expect(d.impressions.some((i) => i.isHoldout)).toBe(false);
    expect(d.integration).toMatchObject({ isHoldoutPresent: false });
  });

  it('holdout segmentation runs on the raw customVariables; failing it means "not in"', () => {
    const h = holdout(99, 100, { isGlobal: true, segments: { or: [{ custom_variable: { plan: 'gold' } }] } });
    expect(run(doc([h]), 'f', { id: 'user_id', customVariables: { plan: 'gold' } }).reason).toBe('HOLDOUT');
    const d = run(doc([h]), 'f', { id: 'user_id', customVariables: { plan: 'free' } });
    expect(d.enabled).toBe(true);
    expect(d.impressions[0]).toMatchObject({ campaignId: 99, variationId: 2 });
  });

  it('holdout segmentation on custom variables without customVariables is VWO\'s error flag (docs/decisions.md)', () => {
    const h = holdout(99, 100, { isGlobal: true, segments: { or: [{ custom_variable: { plan: 'gold' } }] } });
    const d = run(doc([h]), 'f', { id: 'user_id' });
    expect(d.enabled).toBe(false);
    expect(d.reason).toBe('ERROR');
    expect(d.message).toBeTruthy();
  });

  it('reuses a stored holdout decision while the holdout still applies, evaluating only new holdouts', () => {
    const storage = new MapStorage();
    const snap1 = compileSettings(doc([holdout(99, 50, { featureIds: [1] })]));
    getFlag(engine, snap1, 'f', { id: 'user_id' }, storage);
    expect(storage.get('f', 'user_id')).toMatchObject({ isInHoldoutId: [99] });

    // A second holdout (id 7) is added; bucket("12345_7_user_id") decides it.
    const b7 = bucketValue('12345_7_user_id', 100);
    const snap2 = compileSettings(doc([holdout(99, 50, { featureIds: [1] }), holdout(7, b7 - 1, { isGlobal: true })]));
    const second = getFlag(engine, snap2, 'f', { id: 'user_id' }, storage).decision;
    expect(second.reason).toBe('STORED_HOLDOUT');
    expect(second.integration).toBeUndefined();
    expect(second.writes).toEqual([{ featureKey: 'f', userId: 'user_id', isInHoldoutId: [99], notInHoldoutId: [7] }]);
    expect(second.impressions).toEqual([{ campaignId: 7, variationId: 2, featureId: 1, isHoldout: true }]);

    const third = getFlag(engine, snap2, 'f', { id: 'user_id' }, storage).decision;
    expect(third.reason).toBe('STORED_HOLDOUT');
    expect(third.impressions).toEqual([]);
  });

  it('reads the legacy holdoutGroupId and forgets holdouts no longer in settings', () => {
    const snap = compileSettings(doc([holdout(99, 0, { isGlobal: true })]));
    const legacy = decide(snap, 'f', { id: 'user_id' }, () => ({ featureKey: 'f', userId: 'user_id', holdoutGroupId: [99] }));
    expect(legacy.reason).toBe('STORED_HOLDOUT');
    const gone = decide(snap, 'f', { id: 'user_id' }, () => ({ featureKey: 'f', userId: 'user_id', isInHoldoutId: [5] }));
    expect(gone.enabled).toBe(true);
  });

  it('a stored holdout record for an unknown feature key is an error flag (docs/decisions.md)', () => {
    const snap = compileSettings(doc([]));
    const d = decide(snap, 'nope', { id: 'u' }, () => ({ featureKey: 'nope', userId: 'u', isInHoldoutId: [1] }));
    expect(d.reason).toBe('ERROR');
  });

  it('holdouts added after a stored experiment are recorded as "not in", replacing the stored decision', () => {
    const storage = new MapStorage();
    getFlag(engine, compileSettings(doc([])), 'f', { id: 'user_id' }, storage);
    const before = storage.get('f', 'user_id');
    expect(before).toMatchObject({ experimentKey: 'f_t' });

    const snap = compileSettings(doc([holdout(99, 100, { isGlobal: true })]));
    const d = getFlag(engine, snap, 'f', { id: 'user_id' }, storage).decision;
    expect(d.reason).toBe('STORED_EXPERIMENT');
    expect(d.enabled).toBe(true);
    expect(d.impressions).toEqual([{ campaignId: 99, variationId: 2, featureId: 1, isHoldout: true }]);
    expect(d.writes).toEqual([{ featureKey: 'f', userId: 'user_id', notInHoldoutId: [99] }]);
    // With a replacing connector the next call evaluates afresh; the holdout is known as "not in".
    const next = getFlag(engine, snap, 'f', { id: 'user_id' }, storage).decision;
    expect(next.reason).toBe('EXPERIMENT');
    expect(next.impressions.filter((i) => i.isHoldout)).toEqual([]);
    expect(next.writes.at(-1)).toMatchObject({ notInHoldoutId: [] }); // dropped after a fresh evaluation (docs/decisions.md)
  });

  it('holdouts added after a stored rollout are carried into the final write', () => {
    const rolloutOnly = (holdouts: Record<string, unknown>[]) =>
      settings(
        [feature(1, 'f', [rule('FLAG_ROLLOUT', 'r', 1)])],
        [rolloutCampaign(1, 'f_r', [{ id: 1, weight: 100, variables: { string: 'rollout' } }])],
        { holdouts },
      );
    const stored = { featureKey: 'f', featureId: 1, userId: 'u', rolloutId: 1, rolloutKey: 'f_r', rolloutVariationId: 1, notInHoldoutId: [5] };
    const d = decide(compileSettings(rolloutOnly([holdout(5, 0, { isGlobal: true }), holdout(6, 100, { isGlobal: true })])), 'f', { id: 'u' }, () => stored);
    expect(d.reason).toBe('STORED_ROLLOUT');
    expect(d.impressions).toEqual([{ campaignId: 6, variationId: 2, featureId: 1, isHoldout: true }]);
    expect(d.writes).toEqual([
      { featureKey: 'f', userId: 'u', notInHoldoutId: [5, 6] },
      { featureKey: 'f', featureId: 1, userId: 'u', rolloutId: 1, rolloutKey: 'f_r', rolloutVariationId: 1, notInHoldoutId: [5, 6] },
    ]);
  });

  it('dev mode: impressions are suppressed, except those of the "user is in a holdout" branch', () => {
    const notIn = run(doc([holdout(99, 0, { isGlobal: true })], { devMode: true }), 'f', { id: 'user_id', isDevMode: true });
    expect(notIn.enabled).toBe(true);
    expect(notIn.impressions).toEqual([]);
    const inHoldout = run(doc([holdout(99, 100, { isGlobal: true })], { devMode: true }), 'f', { id: 'user_id', isDevMode: true });
    expect(inHoldout.impressions).toEqual([{ campaignId: 99, variationId: 1, featureId: 1, isHoldout: true }]);
    // devMode needs both the settings flag and the context flag
    expect(run(doc([], { devMode: true }), 'f', { id: 'user_id' }).impressions.length).toBeGreaterThan(0);
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

describe('stored decision reuse (docs/decisions.md)', () => {
  const doc = corpus.ROLLOUT_TESTING_PRE_SEGMENT_RULE_SETTINGS;
  const snap = compileSettings(doc);
  const base = { featureKey: 'feature1', userId: 'u', featureId: 1 };

  it('a stored experiment short-circuits everything (segments no longer matching, traffic 0)', () => {
    const changed = clone(doc);
    changed.campaigns[2].percentTraffic = 0;
    const rec = { ...base, experimentId: 3, experimentKey: 'feature1_testingRule2', experimentVariationId: 2 };
    const d = decide(compileSettings(changed), 'feature1', { id: 'u' }, () => rec);
    expect(d.reason).toBe('STORED_EXPERIMENT');
    expect(str(d)).toBe('testing2_variation');
    expect(d.experiment).toEqual({ id: 3, key: 'feature1_testingRule2', ruleKey: 'testingRule2', variationId: 2, variationName: 'Variation-1' });
    expect(d.writes).toEqual([]);
    expect(d.impressions).toEqual([]);
    expect(d.integration).toBeUndefined();
  });

  it('a stored rollout is kept but experiments are evaluated', () => {
    const rec = { ...base, rolloutId: 1, rolloutKey: 'feature1_rolloutRule1', rolloutVariationId: 2 };
    const d = decide(snap, 'feature1', { id: 'user_id', customVariables: { price: 100 } }, () => rec);
    expect(d.reason).toBe('EXPERIMENT');
    expect(d.rollout).toEqual({ id: 1, key: 'feature1_rolloutRule1', ruleKey: 'rolloutRule2', variationId: 2 });
    expect(d.impressions).toEqual([{ campaignId: 2, variationId: 2, featureId: 1 }]);
    expect(d.integration).toMatchObject({ rolloutId: 1, rolloutVariationId: 2, experimentId: 2 });
    const alone = decide(snap, 'feature1', { id: 'u' }, () => rec);
    expect(alone.reason).toBe('STORED_ROLLOUT');
    expect(alone.variables.find((v) => v.key === 'json')?.value).toEqual({ campaign: 'rollout2' });
  });

  it.each([
    ['no featureId (older SDKs, disabled records)', { featureKey: 'feature1', userId: 'u', experimentId: 3, experimentKey: 'feature1_testingRule2', experimentVariationId: 2 }],
    ['featureId not in settings', { ...base, featureId: 77, experimentId: 3, experimentKey: 'feature1_testingRule2', experimentVariationId: 2 }],
    ['campaign key gone', { ...base, experimentId: 3, experimentKey: 'gone', experimentVariationId: 2 }],
    ['variation id stored as a string', { ...base, experimentId: 3, experimentKey: 'feature1_testingRule2', experimentVariationId: '2' }],
    ['variation gone', { ...base, experimentId: 3, experimentKey: 'feature1_testingRule2', experimentVariationId: 9 }],
  ])('is ignored when %s', (_name, rec) => {
    const d = decide(snap, 'feature1', { id: 'u' }, () => rec as StoredRecord);
    expect(d.reason).not.toMatch(/^STORED/);
    expect(d.enabled).toBe(false); // no price ⇒ no rollout rule passes
  });

  it('an unknown feature key still ends disabled with a stored rollout whose featureId exists', () => {
    const rec = { ...base, featureKey: 'ghost', rolloutId: 1, rolloutKey: 'feature1_rolloutRule1', rolloutVariationId: 1 };
    const d = decide(snap, 'ghost', { id: 'u' }, () => rec);
    expect(d.enabled).toBe(false);
    expect(d.reason).toBe('FEATURE_NOT_FOUND');
    const exp = { ...base, featureKey: 'ghost', experimentId: 3, experimentKey: 'feature1_testingRule2', experimentVariationId: 2 };
    expect(decide(snap, 'ghost', { id: 'u' }, () => exp).enabled).toBe(false);
  });

  it('a stored record of {} is no decision', () => {
    expect(decide(snap, 'feature1', { id: 'u' }, () => ({}) as StoredRecord).reason).toBe('NO_RULE_MATCHED');
  });
});

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
