/**
 * One rule's check (docs/decisions.md): the user-list id each rule's segments and whitelists see, and a group rule
 * that fails pre-segmentation taking no part in its group.
 */
import { getUUID } from '../uuid';
import { compileSettings, decide, fixtures, none, run } from './decision-spec.helpers';

const { feature, rolloutCampaign, rule, settings, testingCampaign } = fixtures;
const ACCOUNT = 12345;
const uuidOf = (userId: string): string => getUUID(userId, ACCOUNT);

describe('rule check: the user-list id (docs/decisions.md)', () => {
  it('pre-segmentation on a user list sees the user id, or the UUID where the campaign lists UUIDs', () => {
    const doc = settings(
      [feature(1, 'f', [rule('FLAG_ROLLOUT', 'r', 10)])],
      [rolloutCampaign(10, 'f_r', [{ id: 1, weight: 100, segments: { or: [{ user: 'alice, bob' }] } }])],
    );
    expect(run(doc, 'f', { id: 'alice', customVariables: { plan: 'gold' } }).reason).toBe('ROLLOUT');
    expect(run(doc, 'f', { id: 'carol' }).enabled).toBe(false);

    const byUuid = settings(doc.features, [rolloutCampaign(10, 'f_r', [{ id: 1, weight: 100, segments: { or: [{ user: uuidOf('alice') }] } }], { isUserListEnabled: true })]);
    expect(run(byUuid, 'f', { id: 'alice' }).reason).toBe('ROLLOUT');
    expect(run(byUuid, 'f', { id: 'bob' }).enabled).toBe(false);
  });

  it('each rule sees its own list id: a UUID-listing rule before a plain one does not leave its UUID behind', () => {
    // Rule A lists UUIDs (not alice's), rule B lists plain ids (alice's): B must see "alice", not A's UUID.
    const doc = settings(
      [feature(1, 'f', [rule('FLAG_TESTING', 'a', 10), rule('FLAG_TESTING', 'b', 20)])],
      [
        testingCampaign(10, 'f_a', [{ id: 1, weight: 100 }], { segments: { or: [{ user: uuidOf('bob') }] }, isUserListEnabled: true }),
        testingCampaign(20, 'f_b', [{ id: 1, weight: 100 }], { segments: { or: [{ user: 'alice' }] } }),
      ],
    );
    const d = run(doc, 'f', { id: 'alice' });
    expect(d.experiment?.key).toBe('f_b');
    expect(d.integration?.customVariables).toEqual({ _wingifyUserId: 'alice' });
    expect(run(doc, 'f', { id: 'bob' }).experiment?.key).toBe('f_a');
  });

  it('whitelists see the list id of their own rule too', () => {
    const whitelisted = (id: number, key: string, users: string, extra: Record<string, unknown> = {}): Record<string, unknown> =>
      testingCampaign(
        id,
        key,
        [
          { id: 1, weight: 100 },
          { id: 2, weight: 0, segments: { or: [{ user: users }] } },
        ],
        { isForcedVariationEnabled: true, ...extra },
      );
    const doc = settings(
      [feature(1, 'f', [rule('FLAG_TESTING', 'a', 10), rule('FLAG_TESTING', 'b', 20)])],
      [
        // Rule A lists UUIDs: it whitelists bob and lets no one else past its pre-segmentation.
        whitelisted(10, 'f_a', uuidOf('bob'), { isUserListEnabled: true, segments: { or: [{ user: uuidOf('bob') }] } }),
        whitelisted(20, 'f_b', 'alice'),
      ],
    );
    const alice = run(doc, 'f', { id: 'alice' });
    expect([alice.reason, alice.experiment?.key, alice.variationId]).toEqual(['WHITELISTED', 'f_b', 2]);
    expect(alice.integration?.variationTargetingVariables).toEqual({ _wingifyUserId: 'alice' });
    const bob = run(doc, 'f', { id: 'bob' });
    expect([bob.reason, bob.experiment?.key, bob.variationId]).toEqual(['WHITELISTED', 'f_a', 2]);
    expect(run(doc, 'f', { id: 'carol' }).variationId).toBe(1);
    // Without a callback to give it to, no payload is built, and the decision is the same.
    const quiet = decide(compileSettings(doc), 'f', { id: 'alice' }, none, undefined, { integrationPayload: false });
    expect([quiet.reason, quiet.experiment?.key, quiet.variationId, quiet.integration]).toEqual(['WHITELISTED', 'f_b', 2, undefined]);
    // A campaign whose forced variations are off whitelists no one.
    const off = settings([feature(1, 'f', [rule('FLAG_TESTING', 'b', 20)])], [whitelisted(20, 'f_b', 'alice', { isForcedVariationEnabled: false })]);
    const served = run(off, 'f', { id: 'alice' });
    expect([served.reason, served.variationId]).toEqual(['EXPERIMENT', 1]);
  });
});

describe('rule check: groups', () => {
  it('a group rule that fails pre-segmentation takes no part: no competition, no winner stored', () => {
    const doc = settings(
      [feature(1, 'a', [rule('FLAG_TESTING', 't', 10)]), feature(2, 'b', [rule('FLAG_TESTING', 't', 20)])],
      [
        testingCampaign(10, 'a_t', [{ id: 1, weight: 100 }], { segments: { or: [{ custom_variable: { plan: 'gold' } }] } }),
        testingCampaign(20, 'b_t', [{ id: 1, weight: 100 }]),
      ],
      { groups: { 7: { name: 'g', campaigns: ['10', '20'] } }, campaignGroups: { 10: 7, 20: 7 } },
    );
    const silver = run(doc, 'a', { id: 'u', customVariables: { plan: 'silver' } });
    expect(silver.enabled).toBe(false);
    expect(silver.writes.filter((w) => w.featureKey.startsWith('_vwo_meta_meg_'))).toEqual([]);
    // The same user on the plan that passes competes, and the group's winner is stored.
    const gold = run(doc, 'a', { id: 'u', customVariables: { plan: 'gold' } });
    expect(gold.writes.filter((w) => w.featureKey === '_vwo_meta_meg_7')).toHaveLength(1);
  });
});
