/** Whitelisting (docs/decisions.md): forced variations and their tie-break in decide(). */
import { bucketValue, engine, fixtures, run, str } from './decision-spec.helpers';

const { feature, rule, settings, testingCampaign } = fixtures;

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
