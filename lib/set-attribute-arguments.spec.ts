import { parseSetAttributeArguments } from './set-attribute-arguments';

describe('parseSetAttributeArguments: the call shapes of VWO setAttribute', () => {
  const ctx = { id: 'u1' };
  const other = { id: 'u2' };

  it.each([
    ['(key, value, context)', ['plan', 'pro', ctx], { plan: 'pro' }, ctx],
    ['(key, value) uses the request user', ['plan', 'pro'], { plan: 'pro' }, undefined],
    ['(map, context)', [{ plan: 'pro' }, ctx], { plan: 'pro' }, ctx],
    ['(map, undefined, context)', [{ plan: 'pro' }, undefined, ctx], { plan: 'pro' }, ctx],
    ['(map, null, context)', [{ plan: 'pro' }, null, ctx], { plan: 'pro' }, ctx],
    ['(map, context, context2): the third wins', [{ plan: 'pro' }, other, ctx], { plan: 'pro' }, ctx],
    ['(map, context, undefined)', [{ plan: 'pro' }, ctx, undefined], { plan: 'pro' }, ctx],
    ['(map) uses the request user', [{ plan: 'pro' }], { plan: 'pro' }, undefined],
  ])('%s', (_shape, args, attributes, context) => {
    const call = parseSetAttributeArguments(...(args as [unknown, unknown?, unknown?]));
    expect(call).toEqual({ attributes, context, problem: undefined });
  });

  it.each([
    ['an array as the map', [['pro'], ctx], /attribute name or a map/],
    ['a number as the key', [5, 'pro', ctx], /attribute name or a map/],
    ['an empty map', [{}, ctx], /no attributes given/],
    ['an object value', ['plan', { a: 1 }, ctx], /"plan" must be a string, number or boolean/],
    ['a null value in a map', [{ plan: null }, ctx], /"plan" must be a string, number or boolean/],
  ])('refuses %s, saying why', (_name, args, why) => {
    expect(parseSetAttributeArguments(...(args as [unknown, unknown?, unknown?])).problem).toMatch(why);
  });
});
