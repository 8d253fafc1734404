/** Stored decision reuse (docs/decisions.md): decide() with a stored record. */
import type { StoredRecord } from '../types';
import { clone, compileSettings, corpus, decide, str } from './decision-spec.helpers';

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
    expect(d.integration).toMatchObject({ rolloutId: 1, rolloutVariationId: 2, experimentId: 2, isUserPartOfCampaign: true });
    const alone = decide(snap, 'feature1', { id: 'u' }, () => rec);
    expect(alone.reason).toBe('STORED_ROLLOUT');
    expect(alone.integration).toMatchObject({ isUserPartOfCampaign: true });
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
