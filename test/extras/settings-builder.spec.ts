import { join } from 'node:path';
import { SettingsBuilder } from '../../lib/testing/settings-builder';

// VWO's own schema validator (test-only reference): a document it rejects would give every flag the error result.
// The package's exports map hides this file, hence the path.
const VALIDATOR = join(__dirname, '../../node_modules/vwo-fme-node-sdk/dist/server-unpacked/models/schemas/SettingsSchemaValidation.js');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { SettingsSchema } = require(VALIDATOR);
const isValidForVWO = (settings: unknown): boolean => new SettingsSchema().isSettingsValid(settings);

type Json = Record<string, any>;

function fullDocument(): Json {
  return new SettingsBuilder({ accountId: 777, version: 3, sdkKey: 'key', pollInterval: 5000 })
    .feature('checkout', (f) =>
      f
        .name('Checkout')
        .rollout({ percent: 50, variables: { title: 'Old', discount: 5, ratio: 0.5, on: true, cfg: { a: 1 } } })
        .testing({
          percentTraffic: 80,
          segments: { or: [{ custom_variable: { plan: 'pro' } }] },
          variations: [{ variables: { title: 'A' } }, { name: 'B', weight: 30, variables: { title: 'B' } }, {}],
        })
        .metric('purchase', { type: 'REVENUE_TRACKING', hasProps: true, revenueProp: 'amount' }),
    )
    .flag('dark_mode', { enabled: false })
    .flag('banner', { enabled: true, variables: { text: 'hi' } })
    .build() as Json;
}

describe('SettingsBuilder', () => {
  it('builds documents that VWO’s own schema validator accepts', () => {
    expect(isValidForVWO(fullDocument())).toBe(true);
    expect(isValidForVWO(new SettingsBuilder().build())).toBe(true);
    // The validator is not a rubber stamp: a rule with a string campaignId is rejected.
    const broken = fullDocument();
    broken.features[0].rules[0].campaignId = '1';
    expect(isValidForVWO(broken)).toBe(false);
  });

  it('writes the root fields it was given', () => {
    const doc = fullDocument();
    expect(doc).toMatchObject({ accountId: 777, version: 3, sdkKey: 'key', pollInterval: 5000 });
    expect(new SettingsBuilder().build()).toEqual({ accountId: 123456, version: 1, features: [], campaigns: [], groups: {}, campaignGroups: {} });
  });

  it('links every rule to its own campaign, in the order rules were added', () => {
    const doc = fullDocument();
    const checkout = doc.features[0];
    expect(checkout).toMatchObject({ id: 1, key: 'checkout', name: 'Checkout', type: 'FEATURE_FLAG', status: 'ON' });
    expect(checkout.rules).toEqual([
      { type: 'FLAG_ROLLOUT', ruleKey: 'rolloutRule1', campaignId: 1, variationId: 1 },
      { type: 'FLAG_TESTING', ruleKey: 'testingRule1', campaignId: 2 },
    ]);
    expect(doc.campaigns.map((c: Json) => [c.id, c.key, c.type])).toEqual([
      [1, 'checkout_rolloutRule1', 'FLAG_ROLLOUT'],
      [2, 'checkout_testingRule1', 'FLAG_TESTING'],
      [3, 'banner_rolloutRule1', 'FLAG_ROLLOUT'],
    ]);
    expect(doc.features[1]).toMatchObject({ key: 'dark_mode', rules: [] });
  });

  it('puts the rollout percentage on the rule variation and infers variable types', () => {
    const rollout = fullDocument().campaigns[0];
    expect(rollout.variations).toHaveLength(1);
    expect(rollout.variations[0]).toMatchObject({ id: 1, weight: 50, segments: {} });
    expect(rollout.variations[0].variables).toEqual([
      { id: 1, key: 'title', type: 'string', value: 'Old' },
      { id: 2, key: 'discount', type: 'integer', value: 5 },
      { id: 3, key: 'ratio', type: 'double', value: 0.5 },
      { id: 4, key: 'on', type: 'boolean', value: true },
      { id: 5, key: 'cfg', type: 'json', value: { a: 1 } },
    ]);
  });

  it('splits unweighted test variations evenly over what the weighted ones leave', () => {
    const testing = fullDocument().campaigns[1];
    expect(testing).toMatchObject({ percentTraffic: 80, segments: { or: [{ custom_variable: { plan: 'pro' } }] } });
    expect(testing.variations.map((v: Json) => [v.id, v.name, v.weight])).toEqual([
      [1, 'Default', 35],
      [2, 'B', 30],
      [3, 'Variation-2', 35],
    ]);
    // The same variable key keeps the id it has in the rollout.
    expect(testing.variations[1].variables).toEqual([{ id: 1, key: 'title', type: 'string', value: 'B' }]);
  });

  it('enables forced variations only when a variation has a whitelist', () => {
    const doc = new SettingsBuilder()
      .feature('f', (f) =>
        f
          .testing({ variations: [{}, {}] })
          .testing({ variations: [{}, { whitelist: { or: [{ user: 'qa-1' }] } }] }),
      )
      .build() as Json;
    expect(doc.campaigns.map((c: Json) => c.isForcedVariationEnabled)).toEqual([false, true]);
    expect(doc.campaigns[1].variations[1].segments).toEqual({ or: [{ user: 'qa-1' }] });
    expect(doc.features[0].rules.map((r: Json) => r.ruleKey)).toEqual(['testingRule1', 'testingRule2']);
    expect(isValidForVWO(doc)).toBe(true);
  });

  it('returns a fresh document on every build', () => {
    const builder = new SettingsBuilder().flag('a', { enabled: true, variables: { x: { deep: 1 } } });
    const first = builder.build() as Json;
    first.campaigns[0].variations[0].variables[0].value.deep = 2;
    expect((builder.build() as Json).campaigns[0].variations[0].variables[0].value).toEqual({ deep: 1 });
  });

  it('rejects a duplicate feature key and a test without variations', () => {
    expect(() => new SettingsBuilder().flag('a', { enabled: true }).flag('a', { enabled: false })).toThrow('"a"');
    expect(() => new SettingsBuilder().feature('b', (f) => f.testing({ variations: [] }))).toThrow('at least one variation');
  });
});
