import * as fixtures from '../../../test/conformance/support/engine-fixtures';
import { loadEngine } from '../../../test/conformance/support/engine-harness';
import type { CompiledSnapshot } from './compile';

const { feature, holdout, personalizeCampaign, rolloutCampaign, rule, settings, testingCampaign } = fixtures;

const engine = loadEngine();
const compile = (doc: unknown) => engine.compileSettings(doc) as CompiledSnapshot;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const corpus = require('vwo-fme-sdk-e2e-test-settings-n-cases') as Record<string, any>;

describe('compileSettings', () => {
  it('exposes the document fields (aliases as VWO models them) and keeps the document untouched', () => {
    const doc = settings([feature(1, 'f', [])], [], {
      a: 999,
      v: 7,
      sK: 'alias-key',
      collectionPrefix: 'eu01',
      pollInterval: 60000,
      usageStatsAccountId: 5,
      isMAU: true,
      devMode: true,
    });
    const before = JSON.stringify(doc);
    const s = compile(doc);
    expect(s.accountId).toBe(999); // `a || accountId`
    expect(s.version).toBe(7);
    expect(s.sdkKey).toBe('alias-key');
    expect(s.collectionPrefix).toBe('eu01');
    expect(s.pollInterval).toBe(60000);
    expect(s.usageStatsAccountId).toBe(5);
    expect(s.isMAU).toBe(true);
    expect(s.devMode).toBe(true);
    expect(s.raw).toBe(doc);
    expect(JSON.stringify(doc)).toBe(before);
    expect(compile(settings([], [])).isMAU).toBe(false);
  });

  it('lists feature keys in settings order, first feature per key wins', () => {
    const s = compile(settings([feature(1, 'b', []), feature(2, 'a', []), feature(3, 'b', [])], []));
    expect(s.featureKeys).toEqual(['b', 'a']);
    expect(s.hasFeature('a')).toBe(true);
    expect(s.hasFeature('c')).toBe(false);
    expect(s.featureByKey.get('b')!.id).toBe(1);
  });

  it('assigns AB ranges cumulatively with ceil(weight × 100) in doubles (docs/settings.md)', () => {
    const s = compile(
      settings(
        [],
        [
          testingCampaign(1, 'c', [
            { id: 1, weight: 33.34 },
            { id: 2, weight: 33.33 },
            { id: 3, weight: 0 },
            { id: 4, weight: 0.07 },
            { id: 5, weight: '12.5' },
          ]),
        ],
      ),
    );
    const ranges = s.campaignByKey.get('c')!.variations.map((v) => [v.start, v.end]);
    expect(ranges).toEqual([
      [1, 3335],
      [3336, 6668],
      [-1, -1],
      [6669, 6676],
      [6677, 7926],
    ]);
  });

  it('links rules to campaigns in rule order, narrowing to variationId when it exists (docs/settings.md)', () => {
    const s = compile(corpus.MEG_CAMPAIGN_RANDOM_ALGO_SETTINGS);
    const f = s.featureByKey.get('feature1')!;
    expect(f.rules.map((r) => r.ruleKey)).toEqual(f.rules.map((r) => r.ruleKey)); // sanity
    const personalize = f.rules.find((r) => r.isPersonalize)!;
    expect(personalize.variations.map((v) => v.id)).toEqual([1]); // variationId 2 does not exist: all variations kept

    const d = settings(
      [feature(1, 'f', [rule('FLAG_ROLLOUT', 'r1', 1, 2), rule('FLAG_TESTING', 'gone', 9), rule('FLAG_ROLLOUT', 'r2', 1)])],
      [rolloutCampaign(1, 'f_r', [{ id: 1, weight: 10 }, { id: 2, weight: 20 }])],
    );
    const g = compile(d).featureByKey.get('f')!;
    expect(g.rules.map((r) => [r.ruleKey, r.key, r.variations.map((v) => v.id)])).toEqual([
      ['r1', 'f_r', [2]],
      ['r2', 'f_r', [1, 2]],
    ]);
    expect(g.ruleCampaignIds).toEqual([1, 9, 1]);
  });

  it('types rules by their campaign and separates rollout from experiment rules', () => {
    const s = compile(
      settings(
        [feature(1, 'f', [rule('FLAG_TESTING', 'a', 2), rule('FLAG_ROLLOUT', 'b', 1), rule('FLAG_PERSONALIZE', 'c', 3, 1)])],
        [rolloutCampaign(1, 'r', [{ id: 1, weight: 1 }]), testingCampaign(2, 't', [{ id: 1, weight: 1 }]), personalizeCampaign(3, 'p', [{ id: 1, weight: 1 }])],
      ),
    );
    const f = s.featureByKey.get('f')!;
    expect(f.rollouts.map((r) => r.ruleKey)).toEqual(['b']);
    expect(f.experiments.map((r) => r.ruleKey)).toEqual(['a', 'c']);
  });

  it('indexes metrics by identifier across features', () => {
    const s = compile(
      settings([feature(1, 'f', [], { metrics: [{ id: 9, type: 'REVENUE_TRACKING', identifier: 'buy', hasProps: true, revenueProp: 'amount' }] })], []),
    );
    expect(s.metric('buy')).toEqual({ id: 9, identifier: 'buy', type: 'REVENUE_TRACKING', hasProps: true, revenueProp: 'amount' });
    expect(s.metric('nope')).toBeUndefined();
  });

  it('flags features needing gateway data (docs/settings.md)', () => {
    const geo = { and: [{ country: 'India' }] };
    const s = compile(
      settings(
        [
          feature(1, 'geo', [rule('FLAG_ROLLOUT', 'r', 1)]),
          feature(2, 'plain', [rule('FLAG_TESTING', 't', 2)]),
          feature(3, 'list', [rule('FLAG_TESTING', 't', 3)]),
        ],
        [
          rolloutCampaign(1, 'geo_r', [{ id: 1, weight: 100, segments: geo }]),
          testingCampaign(2, 'plain_t', [{ id: 1, weight: 100 }], { segments: { or: [{ custom_variable: { a: 'b' } }] } }),
          testingCampaign(3, 'list_t', [{ id: 1, weight: 100 }], { segments: { or: [{ custom_variable: { a: 'inlist(abc)' } }] } }),
        ],
      ),
    );
    expect(s.needsGateway('geo')).toBe(true);
    expect(s.needsGateway('plain')).toBe(false);
    expect(s.needsGateway('list')).toBe(true);
    expect(s.needsGateway('unknown')).toBe(false);
    const withHoldout = compile(
      settings([feature(2, 'plain', [rule('FLAG_TESTING', 't', 2)])], [testingCampaign(2, 'plain_t', [{ id: 1, weight: 100 }])], {
        holdouts: [holdout(1, 10, { segments: { or: [{ ua: 'wildcard(*Chrome*)' }] } })],
      }),
    );
    expect(withHoldout.needsGateway('plain')).toBe(true);
  });

  it('lists the storage keys a decision may read: feature, MEG meta records, group features, featureId targets', () => {
    const doc = settings(
      [
        feature(1, 'a', [rule('FLAG_TESTING', 't', 10)]),
        feature(2, 'b', [rule('FLAG_TESTING', 't', 20)]),
        feature(3, 'c', [rule('FLAG_ROLLOUT', 'r', 30)]),
        feature(4, 'd', []),
      ],
      [
        testingCampaign(10, 'a_t', [{ id: 1, weight: 100 }]),
        testingCampaign(20, 'b_t', [{ id: 1, weight: 100 }], { segments: { or: [{ featureId: { 4: 'on' } }] } }),
        rolloutCampaign(30, 'c_r', [{ id: 1, weight: 100, segments: { or: [{ featureId: { 1: 'off' } }] } }]),
      ],
      { groups: { 7: { name: 'g', campaigns: ['10', '20'] } }, campaignGroups: { 10: 7, 20: 7 } },
    );
    const s = compile(doc);
    expect(s.storageKeys('a')).toEqual(['a', '_vwo_meta_meg_7', 'b', 'd']);
    expect(s.storageKeys('c')).toEqual(['c', 'a']);
    expect(s.storageKeys('d')).toEqual(['d']);
    expect(s.storageKeys('missing')).toEqual(['missing']);
  });

  it('resolves MEG groups once: meta key, bucket prefix and the referenced rules of each member feature', () => {
    const doc = settings(
      [
        feature(1, 'a', [rule('FLAG_TESTING', 't', 10), rule('FLAG_ROLLOUT', 'r', 30)]),
        feature(2, 'b', [rule('FLAG_PERSONALIZE', 'p1', 20, 1), rule('FLAG_PERSONALIZE', 'p2', 20, 2)]),
      ],
      [
        testingCampaign(10, 'a_t', [{ id: 1, weight: 100 }]),
        personalizeCampaign(20, 'b_p', [
          { id: 1, weight: 100 },
          { id: 2, weight: 100 },
        ]),
        rolloutCampaign(30, 'a_r', [{ id: 1, weight: 100 }]),
      ],
      { groups: { 7: { name: 'g', campaigns: ['10', '20_2'] } }, campaignGroups: { 10: 7 } },
    );
    const s = compile(doc);
    expect(s.featureByKey.get('a')!.rules[0].group).toEqual({ groupId: 7, metaKey: '_vwo_meta_meg_7', bucketPrefix: '7_' });
    const members = s.groupMembers(7);
    expect(members.featureKeys).toEqual(['a', 'b']);
    expect((members.memberRules[0] as readonly { ruleKey: string }[]).map((r) => r.ruleKey)).toEqual(['t']);
    expect((members.memberRules[1] as readonly { ruleKey: string }[]).map((r) => r.ruleKey)).toEqual(['p2']);
    expect(s.groupMembers(7)).toBe(members);
  });

  it('keeps the error of a group rule without variations until a decision reaches it', () => {
    const doc = settings(
      [feature(1, 'a', [rule('FLAG_TESTING', 't', 10)]), feature(2, 'b', [rule('FLAG_TESTING', 't', 20, 5)])],
      [testingCampaign(10, 'a_t', [{ id: 1, weight: 100 }]), testingCampaign(20, 'b_t', [])],
      // "20_5" names b's rule, whose campaign has no variation to build "<id>_<variationId>" from.
      { groups: { 7: { name: 'g', campaigns: ['10', '20_5'] } }, campaignGroups: { 10: 7 } },
    );
    const members = compile(doc).groupMembers(7);
    expect(members.featureKeys).toEqual(['a', 'b']);
    expect(members.memberRules[1]).toBeInstanceOf(TypeError);
  });

  it('lists the inlist checks a decision may make, for the caller to resolve beforehand', () => {
    const s = compile(
      settings(
        [feature(1, 'f', [rule('FLAG_TESTING', 't', 2)]), feature(2, 'g', [])],
        [testingCampaign(2, 'f_t', [{ id: 1, weight: 100 }], { segments: { or: [{ custom_variable: { email: 'inlist(list-1)' } }] } })],
        { holdouts: [holdout(3, 10, { isGlobal: true, segments: { or: [{ custom_variable: { plan: 'inlist(list-2)' } }] } })] },
      ),
    );
    expect(s.inlistRefs('f')).toEqual([
      { variable: 'email', listId: 'list-1' },
      { variable: 'plan', listId: 'list-2' },
    ]);
    expect(s.inlistRefs('g')).toEqual([{ variable: 'plan', listId: 'list-2' }]);
    expect(s.inlistRefs('missing')).toEqual([]);
  });
});
