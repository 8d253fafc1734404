import { SettingsValidationError } from '../errors';
import { normalizeSettings, validateSettings } from './validate';

function base(): any {
  return {
    accountId: 12345,
    version: 1,
    sdkKey: 'abc',
    features: [
      {
        id: 1,
        key: 'f1',
        name: 'F1',
        type: 'FEATURE_FLAG',
        status: 'ON',
        metrics: [{ id: 1, type: 'CUSTOM_GOAL', identifier: 'e1' }],
        rules: [
          { type: 'FLAG_ROLLOUT', ruleKey: 'r1', campaignId: 1, variationId: 1 },
          { type: 'FLAG_TESTING', ruleKey: 't1', campaignId: 2 },
        ],
        impactCampaign: {},
      },
    ],
    campaigns: [
      {
        id: 1,
        key: 'f1_r1',
        name: 'f1_r1',
        type: 'FLAG_ROLLOUT',
        status: 'RUNNING',
        segments: {},
        variations: [{ id: 1, name: 'v1', weight: 100, segments: {}, variables: [{ id: 1, key: 'k', type: 'string', value: 'a' }] }],
      },
      {
        id: 2,
        key: 'f1_t1',
        name: 'f1_t1',
        type: 'FLAG_TESTING',
        status: 'RUNNING',
        percentTraffic: 100,
        segments: {},
        variations: [
          { id: 1, name: 'c', weight: 50 },
          { id: 2, name: 'v', weight: 50 },
        ],
      },
    ],
    holdouts: [
      { id: 9, name: 'h', segments: {}, percentTraffic: 10, isGlobal: false, featureIds: [1], metrics: [] },
    ],
  };
}

function errorOf(doc: unknown): SettingsValidationError {
  try {
    validateSettings(doc);
  } catch (e) {
    expect(e).toBeInstanceOf(SettingsValidationError);
    return e as SettingsValidationError;
  }
  throw new Error('expected the document to be rejected');
}

describe('validateSettings (docs/settings.md, superstruct semantics)', () => {
  it('accepts the base document', () => {
    expect(() => validateSettings(base())).not.toThrow();
  });

  const valid: Array<[string, (d: any) => void]> = [
    ['campaign.segments = []', (d) => (d.campaigns[0].segments = [])],
    ['variation weight "50"', (d) => (d.campaigns[1].variations[0].weight = '50')],
    ['missing variation segments', (d) => delete d.campaigns[0].variations[0].segments],
    ['missing percentTraffic', (d) => delete d.campaigns[1].percentTraffic],
    ['missing features', (d) => delete d.features],
    ['missing feature.rules', (d) => delete d.features[0].rules],
    ['holdouts: {}', (d) => (d.holdouts = {})],
    ['holdouts: []', (d) => (d.holdouts = [])],
    ['missing holdouts', (d) => delete d.holdouts],
    ['missing sdkKey', (d) => delete d.sdkKey],
    ['variable value [1]', (d) => (d.campaigns[0].variations[0].variables[0].value = [1])],
    ['variable value {}', (d) => (d.campaigns[0].variations[0].variables[0].value = { a: 1 })],
    ['variable value false', (d) => (d.campaigns[0].variations[0].variables[0].value = false)],
    ['groups: []', (d) => (d.groups = [])],
    ['groups / campaignGroups objects', (d) => ((d.groups = { 1: { campaigns: ['2'] } }), (d.campaignGroups = { 2: 1 }))],
    ['isUserListEnabled: "x"', (d) => (d.campaigns[1].isUserListEnabled = 'x')],
    ['extra root keys', (d) => (d.whatever = { deep: [1, 2] })],
    ['extra nested keys', (d) => ((d.campaigns[0].foo = 1), (d.features[0].rules[0].bar = null))],
    ['string ids', (d) => ((d.campaigns[0].id = 'a'), (d.features[0].id = 'x'), (d.accountId = '12345'), (d.version = 'v'))],
    ['sdkMetaInfo {wasInitializedEarlier: true}', (d) => (d.sdkMetaInfo = { wasInitializedEarlier: true })],
    ['sdkMetaInfo {}', (d) => (d.sdkMetaInfo = {})],
    ['pollInterval number', (d) => (d.pollInterval = 60000)],
    ['metric with mca, hasProps, revenueProp', (d) => Object.assign(d.features[0].metrics[0], { mca: -1, hasProps: true, revenueProp: 'r' })],
    ['undefined optional value', (d) => (d.collectionPrefix = undefined)],
    ['Infinity is a number', (d) => (d.campaigns[1].percentTraffic = Infinity)],
  ];
  it.each(valid)('valid: %s', (_name, mutate) => {
    const d = base();
    mutate(d);
    expect(() => validateSettings(d)).not.toThrow();
  });

  const invalid: Array<[string, (d: any) => void, string, RegExp]> = [
    ['missing campaign.segments', (d) => delete d.campaigns[1].segments, 'campaigns[1].segments', /expected an object, got nothing/],
    ['segments: null', (d) => (d.campaigns[0].segments = null), 'campaigns[0].segments', /expected an object, got null/],
    ['missing variation name', (d) => delete d.campaigns[1].variations[1].name, 'campaigns[1].variations[1].name', /a string/],
    ['percentTraffic "100"', (d) => (d.campaigns[1].percentTraffic = '100'), 'campaigns[1].percentTraffic', /got a string \("100"\)/],
    ['percentTraffic NaN', (d) => (d.campaigns[1].percentTraffic = NaN), 'campaigns[1].percentTraffic', /NaN/],
    ['missing campaign status', (d) => delete d.campaigns[0].status, 'campaigns[0].status', /a string/],
    ['missing campaign name', (d) => delete d.campaigns[0].name, 'campaigns[0].name', /a string/],
    ['salt 123', (d) => (d.campaigns[1].salt = 123), 'campaigns[1].salt', /a string or no value, got a number \(123\)/],
    ['variation salt 1', (d) => (d.campaigns[0].variations[0].salt = 1), 'campaigns[0].variations[0].salt', /string/],
    ['rule.campaignId "2"', (d) => (d.features[0].rules[1].campaignId = '2'), 'features[0].rules[1].campaignId', /a number/],
    ['rule.variationId "1"', (d) => (d.features[0].rules[0].variationId = '1'), 'features[0].rules[0].variationId', /a number/],
    ['missing ruleKey', (d) => delete d.features[0].rules[0].ruleKey, 'features[0].rules[0].ruleKey', /a string/],
    ['features: {}', (d) => (d.features = {}), 'features', /an array/],
    ['campaigns: {}', (d) => (d.campaigns = {}), 'campaigns', /an array/],
    ['missing campaigns', (d) => delete d.campaigns, 'campaigns', /an array/],
    ['missing feature.metrics', (d) => delete d.features[0].metrics, 'features[0].metrics', /an array/],
    ['missing feature.status', (d) => delete d.features[0].status, 'features[0].status', /a string/],
    ['impactCampaign: null', (d) => (d.features[0].impactCampaign = null), 'features[0].impactCampaign', /null/],
    ['holdouts: {a:1}', (d) => (d.holdouts = { a: 1 }), 'holdouts', /holdouts, or \{\}/],
    ['holdouts: "x"', (d) => (d.holdouts = 'x'), 'holdouts', /holdouts/],
    ['holdout without isGlobal', (d) => delete d.holdouts[0].isGlobal, 'holdouts[0].isGlobal', /a boolean/],
    ['holdout without metrics', (d) => delete d.holdouts[0].metrics, 'holdouts[0].metrics', /an array/],
    ['holdout featureIds ["1"]', (d) => (d.holdouts[0].featureIds = ['1']), 'holdouts[0].featureIds[0]', /a number/],
    ['holdout without percentTraffic', (d) => delete d.holdouts[0].percentTraffic, 'holdouts[0].percentTraffic', /a number/],
    ['missing accountId', (d) => delete d.accountId, 'accountId', /a number or a string/],
    ['accountId true', (d) => (d.accountId = true), 'accountId', /got a boolean \(true\)/],
    ['missing version', (d) => delete d.version, 'version', /a number or a string/],
    ['sdkKey: 1', (d) => (d.sdkKey = 1), 'sdkKey', /a string/],
    ['variable value null', (d) => (d.campaigns[0].variations[0].variables[0].value = null), 'campaigns[0].variations[0].variables[0].value', /null/],
    ['groups: "x"', (d) => (d.groups = 'x'), 'groups', /an object/],
    ['campaignGroups: null', (d) => (d.campaignGroups = null), 'campaignGroups', /an object/],
    ['pollInterval "1"', (d) => (d.pollInterval = '1'), 'pollInterval', /a number/],
    ['usageStatsAccountId "1"', (d) => (d.usageStatsAccountId = '1'), 'usageStatsAccountId', /a number/],
    ['collectionPrefix 1', (d) => (d.collectionPrefix = 1), 'collectionPrefix', /a string/],
    ['campaign id null', (d) => (d.campaigns[1].id = null), 'campaigns[1].id', /a number or a string, got null/],
    ['metric without id', (d) => delete d.features[0].metrics[0].id, 'features[0].metrics[0].id', /a number or a string/],
    ['sdkMetaInfo extra key', (d) => (d.sdkMetaInfo = { x: 1 }), 'sdkMetaInfo.x', /no such key/],
    ['sdkMetaInfo ill-typed', (d) => (d.sdkMetaInfo = { wasInitializedEarlier: 'yes' }), 'sdkMetaInfo.wasInitializedEarlier', /a boolean/],
    ['campaign item not an object', (d) => (d.campaigns[1] = 5), 'campaigns[1]', /campaign/],
    ['variations missing', (d) => delete d.campaigns[1].variations, 'campaigns[1].variations', /an array/],
    ['variation weight null', (d) => (d.campaigns[1].variations[0].weight = null), 'campaigns[1].variations[0].weight', /null/],
    ['variation segments null', (d) => (d.campaigns[0].variations[0].segments = null), 'campaigns[0].variations[0].segments', /null/],
    ['isForcedVariationEnabled "true"', (d) => (d.campaigns[1].isForcedVariationEnabled = 'true'), 'campaigns[1].isForcedVariationEnabled', /a boolean/],
    ['document null', (d) => d, '', /settings object/],
  ];
  it.each(invalid)('invalid: %s', (name, mutate, path, message) => {
    const d = base();
    mutate(d);
    const err = errorOf(name === 'document null' ? null : d);
    expect(err.path).toBe(path);
    expect(err.message).toMatch(message);
    expect(err.message).toContain(path || '(root)');
  });

  it('reports the first problem in VWO schema order', () => {
    const d = base();
    d.sdkKey = 5;
    d.accountId = true;
    expect(errorOf(d).path).toBe('sdkKey');
  });
});

describe('normalizeSettings (docs/settings.md)', () => {
  it('turns missing or empty features/campaigns into [] without touching the input', () => {
    const doc = { accountId: 1, version: 1, features: {}, campaigns: {} };
    const out = normalizeSettings(doc) as any;
    expect(out.features).toEqual([]);
    expect(out.campaigns).toEqual([]);
    expect(doc.features).toEqual({});
    expect(() => validateSettings(out)).not.toThrow();
    expect((normalizeSettings({ accountId: 1, version: 1 }) as any).campaigns).toEqual([]);
  });

  it('leaves non-empty values for the validator to judge', () => {
    const out = normalizeSettings({ accountId: 1, version: 1, campaigns: { a: 1 } }) as any;
    expect(out.campaigns).toEqual({ a: 1 });
    expect(() => validateSettings(out)).toThrow(SettingsValidationError);
  });
});
