import { collectFeatureIdRefs, collectInlistRefs, segmentIsEmpty, usesGatewayData } from './index';

describe('DSL inspection helpers', () => {
  it('segmentIsEmpty: only an object without keys', () => {
    expect(segmentIsEmpty({})).toBe(true);
    expect(segmentIsEmpty({ or: [] })).toBe(false);
    expect(segmentIsEmpty([])).toBe(false);
    expect(segmentIsEmpty(undefined)).toBe(false);
  });

  it('collectFeatureIdRefs: featureId keys of reachable or-children, deduplicated', () => {
    const dsl = {
      and: [
        { or: [{ featureId: { 12: 'on' } }, { featureId: { 12: 'off' } }] },
        { not: { or: [{ custom_variable: { a: '1' }, featureId: { 7: 'off' } }] } },
        { or: [{ featureId: { 9: 'maybe' } }] },
      ],
    };
    expect(collectFeatureIdRefs(dsl)).toEqual([12, 7]);
    expect(collectFeatureIdRefs({ featureId: { 1: 'on' } })).toEqual([]);
  });

  it('collectInlistRefs: (variable, listId) of reachable inlist operands', () => {
    const dsl = {
      or: [
        { custom_variable: { tier: 'inlist(L1)' } },
        { not: { custom_variable: { email: 'inlist(L2)' } } },
        { custom_variable: { tier: 'inlist(L1)' } },
        { custom_variable: { plain: 'abc' } },
      ],
    };
    expect(collectInlistRefs(dsl)).toEqual([
      { variable: 'tier', listId: 'L1' },
      { variable: 'email', listId: 'L2' },
    ]);
  });

  it('usesGatewayData: VWO keyword regex on the JSON text, or an inlist condition', () => {
    expect(usesGatewayData({ and: [{ country: 'IN' }] })).toBe(true);
    expect(usesGatewayData({ or: [{ os: 'mac' }] })).toBe(true);
    expect(usesGatewayData({ browser_version: '1' })).toBe(true);
    expect(usesGatewayData({ custom_variable: { tier: 'inlist(L1)' } })).toBe(true);
    expect(usesGatewayData({ custom_variable: { name: 'cityscape' } })).toBe(false);
    expect(usesGatewayData({ custom_variable: { name: 'city' } })).toBe(true);
    expect(usesGatewayData({ custom_variable: { tier: 'gold' } })).toBe(false);
    expect(usesGatewayData(undefined)).toBe(false);
  });
});
