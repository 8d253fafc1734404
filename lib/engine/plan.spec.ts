import { compileSettings } from './settings/compile';
import { plan } from './plan';

// Just enough of VWO's settings shape for what plan() reads: rules, their campaigns' segments, groups.
const variation = (segments: unknown = {}) => ({ id: 1, name: 'v1', weight: 100, segments, variables: [] });
const feature = (id: number, key: string, rules: unknown[]) => ({
  id, key, name: key, type: 'FEATURE_FLAG', status: 'ON', metrics: [{ id, type: 'CUSTOM_GOAL', identifier: `${key}_goal` }], rules, impactCampaign: {},
});
const rule = (type: string, ruleKey: string, campaignId: number) => ({ type, ruleKey, campaignId });
const campaign = (type: string, id: number, key: string, segments: unknown, variations: unknown[]) => ({
  id, key, name: key, type, status: 'RUNNING', percentTraffic: 100, segments, isForcedVariationEnabled: false, variations,
});
const rolloutCampaign = (id: number, key: string, segments?: unknown) => campaign('FLAG_ROLLOUT', id, key, {}, [variation(segments)]);
const testingCampaign = (id: number, key: string, segments: unknown = {}) => campaign('FLAG_TESTING', id, key, segments, [variation()]);
const settings = (features: unknown[], campaigns: unknown[], extra: object) => ({ accountId: 1, version: 1, sdkKey: 'k', features, campaigns, ...extra });

const country = { or: [{ country: 'US' }] };
const inlist = { or: [{ custom_variable: { plan: 'inlist(list-1)' } }] };
const inlistTier = { or: [{ custom_variable: { tier: 'inlist(list-2)' } }, { custom_variable: { plan: 'inlist(list-1)' } }] };

/** `plain`: one rollout; `geo`: a country segment; `listed`: inlist segments; `a` and `b` share a group. */
const snapshot = compileSettings(
  settings(
    [
      feature(1, 'plain', [rule('FLAG_ROLLOUT', 'r1', 11)]),
      feature(2, 'geo', [rule('FLAG_ROLLOUT', 'r2', 12)]),
      feature(3, 'listed', [rule('FLAG_ROLLOUT', 'r3', 13), rule('FLAG_TESTING', 't3', 23)]),
      feature(4, 'a', [rule('FLAG_TESTING', 'ta', 24)]),
      feature(5, 'b', [rule('FLAG_TESTING', 'tb', 25)]),
    ],
    [
      rolloutCampaign(11, 'plain_rollout'),
      rolloutCampaign(12, 'geo_rollout', country),
      rolloutCampaign(13, 'listed_rollout', inlist),
      testingCampaign(23, 'listed_test', inlistTier),
      testingCampaign(24, 'a_test'),
      testingCampaign(25, 'b_test'),
    ],
    { groups: { 7: { name: 'g', campaigns: ['24', '25'] } }, campaignGroups: { 24: 7, 25: 7 } },
  ),
);

describe('plan', () => {
  it('reads only the feature itself for a feature with no groups, gateway data or lists', () => {
    expect(plan(snapshot, 'plain', { id: 'u' })).toEqual({ storageKeys: ['plain'], gateway: false, listChecks: [] });
  });

  it('reads the group winner record and the other features of a mutually exclusive group', () => {
    expect(plan(snapshot, 'a', { id: 'u' }).storageKeys).toEqual(['a', '_vwo_meta_meg_7', 'b']);
  });

  it('asks for gateway data only when a segment needs it and the context does not carry it', () => {
    expect(plan(snapshot, 'geo', { id: 'u' }).gateway).toBe(true);
    expect(plan(snapshot, 'geo', { id: 'u', _vwo: { location: { country: 'US' } } }).gateway).toBe(false);
    expect(plan(snapshot, 'geo', { id: 'u', _wingify: {} }).gateway).toBe(false);
  });

  it("lists each inlist check once, with the user's value as segments compare it", () => {
    const needs = plan(snapshot, 'listed', { id: 'u', customVariables: { plan: 42, tier: 'gold', other: 'x' } });
    expect(needs.listChecks).toEqual([
      { listId: 'list-1', attribute: '42' },
      { listId: 'list-2', attribute: 'gold' },
    ]);
  });

  it('lists no check for a variable the user does not have, or has as null', () => {
    expect(plan(snapshot, 'listed', { id: 'u' }).listChecks).toEqual([]);
    expect(plan(snapshot, 'listed', { id: 'u', customVariables: { plan: null } }).listChecks).toEqual([]);
  });

  it('gives the same plan object for the same feature and kind of context (nothing built per decision)', () => {
    expect(plan(snapshot, 'a', { id: 'u1' })).toBe(plan(snapshot, 'a', { id: 'u2' }));
    expect(plan(snapshot, 'geo', { id: 'u1' })).not.toBe(plan(snapshot, 'geo', { id: 'u1', _vwo: {} }));
  });

  it('plans a read of the key alone for a feature that is not in the settings', () => {
    expect(plan(snapshot, 'missing', { id: 'u' })).toEqual({ storageKeys: ['missing'], gateway: false, listChecks: [] });
  });
});
