/** Holdouts (docs/decisions.md): the holdout step of decide(). */
import { MapStorage, bucketValue, compileSettings, decide, engine, fixtures, getFlag, run } from './decision-spec.helpers';

const { feature, holdout, rolloutCampaign, rule, settings, testingCampaign } = fixtures;

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
