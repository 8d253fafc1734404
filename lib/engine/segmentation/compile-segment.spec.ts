import type { GatewayUserData } from '../types';
import { compileSegment, SegmentationError, SegmentEnv } from './index';

const BASE_ENV: SegmentEnv = { userId: 'u1' };

function run(dsl: unknown, properties?: Record<string, unknown>, env: Partial<SegmentEnv> = {}): boolean {
  return compileSegment(dsl, { warn: () => undefined })(properties, { ...BASE_ENV, ...env });
}

const cv = (name: string, operand: unknown): unknown => ({ custom_variable: { [name]: operand } });
const matches = (operand: unknown, value: unknown): boolean => run(cv('v', operand), { v: value });

describe('custom_variable operand table (docs/segmentation.md)', () => {
  it.each([
    ['lower(ABC)', 'abc', true],
    ['lower(abc)', 'ABD', false],
    ['wildcard(*bc*)', 'abcd', true],
    ['wildcard(*bc*)', 'ab', false],
    ['wildcard(*cd)', 'abcd', true],
    ['wildcard(*cd)', 'cdab', false],
    ['wildcard(ab*)', 'abcd', true],
    ['wildcard(ab*)', 'xabc', false],
    ['wildcard(abc)', 'abc', true],
    ['wildcard(Ab*)', 'abc', false],
    ['regex(^a.c$)', 'abc', true],
    ['regex(A)', 'a', false],
    ['regex([)', '[', false],
    ['gt(5)', '6', true],
    ['gt(5)', '5', false],
    ['gte(5)', '5', true],
    ['lt(5)', '4', true],
    ['lt(5)', '5', false],
    ['lte(5)', '5', true],
    ['lte(5)', '6', false],
    ['gt(5)xyz', 6, true],
    ['gt(-1)', 'gt(-1)', true],
    ['gt(abc)', 5, false],
    ['gte(1.2)', '1.2.0', true],
    ['1.2.0', '1.2', true],
    ['abc', 'abc', true],
    ['abc', 'abcd', false],
  ])('%s vs %j ⇒ %s', (operand, value, expected) => {
    expect(matches(operand, value)).toBe(expected);
  });
});

describe('docs/segmentation.md quirks of the Node SDK, reproduced', () => {
  it.each([
    ['1.2.3', '1.2.4', true],
    ['gt(1.2.3)', '1.2.10', false],
    ['gt(5.5)', 5.45, true],
    ['10abc', 10, true],
    ['1.0', 1, true],
    ['01', '1', true],
    ['2', '2.0.0', true],
    ['1e3', 1000, true],
    ['1000', '1e3', false],
    ['12', ' 12', false],
    ['lt(0)', '-5', false],
    ['lt(5)', '', true],
    ['gt(0)', true, false],
    ['true', true, true],
    ['True', true, false],
    ['wildcard(a*c)', 'abc', false],
    ['wildcard(a*c)', 'a*c', true],
    ['wildcard(**ab**)', 'xabx', false],
    ['wildcard(*.50)', '1.50', false],
    ['abc', ['abc'], true],
    ['[object Object]', {}, true],
    ['1e+21', 1e21, true],
  ])('%s vs %j ⇒ %s', (operand, value, expected) => {
    expect(matches(operand, value)).toBe(expected);
  });

  it('follows the corpus, not Node, for lt/lte against a text with no digit (docs/segmentation.md)', () => {
    expect(matches('lt(100)', 'abc')).toBe(false);
    expect(matches('lte(100)', 'abc')).toBe(false);
    expect(matches('lt(100)', true)).toBe(false);
    expect(matches('lte(1)', 'Infinity')).toBe(false);
    expect(matches('lt(2)', '1.2.3-beta')).toBe(true);
    expect(matches('gte(0)', 'abc')).toBe(true);
  });

  // Node reads every part that is not all digits as 0: a sign, an exponent or a letter makes the part 0.
  it.each([
    ['lt(100)', -1, true],
    ['lt(100)', '-1', true],
    ['lt(100)', '-12', true],
    ['lte(0)', '-3', true],
    ['lt(0)', -3, false],
    ['gt(0)', -5, false],
    ['gte(0)', '-5', true],
    ['lte(0)', -7.25, false],
    ['lt(1)', -7.25, true],
    ['gt(0)', '-7.25', true],
    ['lt(50)', '1e2', true],
    ['gt(50)', '1e2', false],
    ['lt(50)', 1e21, true],
    ['lt(5)', '+3', true],
    ['lt(5)', ' 3', true],
    ['gt(5)', '0x10', false],
    ['lt(100)', 'x1', true],
    ['lt(100)', NaN, true],
    ['lte(0)', -Infinity, true],
    ['gt(0)', NaN, false],
  ])('%s vs %j ⇒ %s (numbers and numeric strings as Node reads them)', (operand, value, expected) => {
    expect(matches(operand, value)).toBe(expected);
  });

  it('numeric normalisation also applies to regex operands', () => {
    expect(matches('regex(10|20)', '10')).toBe(true);
    expect(matches('regex(10|20)', '20')).toBe(false);
    expect(matches('regex(10|20)', 'x20')).toBe(true);
  });
});

describe('missing values (docs/segmentation.md)', () => {
  it('absent key is false, negated true', () => {
    expect(run(cv('v', 'a'), {})).toBe(false);
    expect(run({ not: cv('v', 'a') }, {})).toBe(true);
  });

  it('undefined value is the empty string, null never matches', () => {
    expect(matches('', undefined)).toBe(true);
    expect(matches('lt(5)', undefined)).toBe(true);
    expect(matches('', null)).toBe(false);
    expect(run({ not: cv('v', 'null') }, { v: null })).toBe(true);
  });

  it('looks at own properties only', () => {
    expect(run(cv('toString', 'x'), {})).toBe(false);
  });
});

describe('and / or / not (docs/segmentation.md)', () => {
  const yes = cv('a', '1');
  const no = cv('a', '2');
  const props = { a: '1' };

  it('combines with short-circuit', () => {
    expect(run({ and: [yes, yes] }, props)).toBe(true);
    expect(run({ and: [yes, no] }, props)).toBe(false);
    expect(run({ or: [no, yes] }, props)).toBe(true);
    expect(run({ or: [no, no] }, props)).toBe(false);
    expect(run({ not: { and: [yes, no] } }, props)).toBe(true);
    expect(run({ and: [no, null] }, props)).toBe(false);
    expect(run({ or: [yes, null] }, props)).toBe(true);
  });

  it('treats empty and/or as true/false', () => {
    expect(run({ and: [] })).toBe(true);
    expect(run({ or: [] })).toBe(false);
  });

  it('dispatches on the first key only', () => {
    expect(run({ custom_variable: { a: '1' }, or: [] }, props)).toBe(true);
    expect(run({ custom_variable: { a: '2', b: '1' } }, { a: '1', b: '1' })).toBe(false);
  });
});

describe('SegmentationError where the Node SDK throws (docs/decisions.md)', () => {
  it.each([
    ['a null node', null, {}],
    ['an array node', [], {}],
    ['a non-object child of and', { and: ['x'] }, {}],
    ['a null child of or', { or: [null] }, {}],
    ['custom_variable without properties', cv('a', '1'), undefined],
    ['user without properties', { user: 'u1' }, undefined],
    ['a numeric custom_variable operand', cv('a', 5), { a: 5 }],
    ['a featureId with a null value', { or: [{ featureId: null }] }, {}],
  ])('%s', (_label, dsl, properties) => {
    expect(() => run(dsl, properties as Record<string, unknown> | undefined)).toThrow(SegmentationError);
  });

  it('malformed % escape in the user agent for a ua node', () => {
    expect(() => run({ ua: 'x' }, {}, { userAgent: 'bad%E0%A4%A' })).toThrow(SegmentationError);
  });
});

describe('unknown operators', () => {
  it('evaluate false and warn once, at compile time', () => {
    const warn = jest.fn();
    const segment = compileSegment({ or: [{ bogus: 1 }, { country: 'US' }] }, { warn });
    expect(warn).toHaveBeenCalledTimes(2);
    expect(warn.mock.calls[0][0]).toContain('"bogus"');
    expect(segment({}, BASE_ENV)).toBe(false);
    expect(segment({}, BASE_ENV)).toBe(false);
    expect(warn).toHaveBeenCalledTimes(2);
  });

  it('warns about an unsafe regex once and never matches', () => {
    const warn = jest.fn();
    const segment = compileSegment(cv('v', 'regex((a+)+$)'), { warn });
    expect(warn).toHaveBeenCalledTimes(1);
    const started = performance.now();
    expect(segment({ v: `${'a'.repeat(40)}!` }, BASE_ENV)).toBe(false);
    // Running (a+)+$ on 40 a's and a '!' backtracks for hours; a busy machine answers "never matches" well within this.
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});

describe('user lists (docs/segmentation.md)', () => {
  it('matches trimmed ids against _wingifyUserId, falling back to _vwoUserId, loosely', () => {
    expect(run({ user: 'a, b ,c' }, { _wingifyUserId: 'b' })).toBe(true);
    expect(run({ user: 'a,b' }, { _vwoUserId: 'b' })).toBe(true);
    expect(run({ user: 'a,b' }, { _wingifyUserId: 'c', _vwoUserId: 'b' })).toBe(false);
    expect(run({ user: '123' }, { _vwoUserId: 123 })).toBe(true);
    expect(run({ user: 'a' }, {})).toBe(false);
  });
});

describe('ua, ip_address, browser_version, os_version (docs/segmentation.md)', () => {
  // A number where VWO's gateway sends a string: the SDK stringifies it.
  const gateway = { userAgent: { browser_version: '120.0.1', os_version: 10 } } as unknown as GatewayUserData;

  it('ua: decoded user agent with the operand table', () => {
    expect(run({ ua: 'wildcard(*Chrome*)' }, {}, { userAgent: 'Mozilla%20Chrome' })).toBe(true);
    expect(run({ ua: 'Mozilla Chrome' }, {}, { userAgent: 'Mozilla%20Chrome' })).toBe(true);
    expect(run({ ua: 'wildcard(*Chrome*)' }, {}, {})).toBe(false);
  });

  it('ip_address: no normalisation, quotes and spaces stripped from the operand', () => {
    expect(run({ ip_address: ' "1.2.3.4" ' }, {}, { ipAddress: '1.2.3.4' })).toBe(true);
    expect(run({ ip_address: 'wildcard(10.*)' }, {}, { ipAddress: '10.0.0.1' })).toBe(true);
    expect(run({ ip_address: '1.2.3.4' }, {}, {})).toBe(false);
  });

  it('browser_version / os_version read the parsed user agent', () => {
    expect(run({ browser_version: '120' }, {}, { gateway })).toBe(false);
    expect(run({ browser_version: 'gt(119)' }, {}, { gateway })).toBe(true);
    expect(run({ os_version: '10' }, {}, { gateway })).toBe(true);
    expect(run({ os_version: '10' }, {}, { gateway: { userAgent: {} } })).toBe(false);
    expect(run({ os_version: '10' }, {}, {})).toBe(false);
  });
});

describe('location (docs/segmentation.md)', () => {
  const env: Partial<SegmentEnv> = { ipAddress: '1.1.1.1', gateway: { location: { country: 'India', city: 'Delhi' } } };

  it('is checked only when every child of the and is a location key', () => {
    expect(run({ and: [{ country: 'India' }] }, {}, env)).toBe(true);
    expect(run({ and: [{ country: '"India"' }, { city: ' Delhi ' }] }, {}, env)).toBe(true);
    expect(run({ and: [{ country: 'india' }] }, {}, env)).toBe(false);
    expect(run({ and: [{ country: 'India' }, { region: 'X' }] }, {}, env)).toBe(false);
    expect(run({ and: [{ country: 'USA' }, cv('a', '1')] }, { a: '1' }, env)).toBe(true);
    expect(run({ and: [{ country: 'USA' }, { country: 'USA' }] }, {}, env)).toBe(true);
  });

  it('needs an IP address and location data', () => {
    expect(run({ and: [{ country: 'India' }] }, {}, { gateway: env.gateway })).toBe(false);
    expect(run({ and: [{ country: 'India' }] }, {}, { ipAddress: '1.1.1.1' })).toBe(false);
  });

  it('is false outside an and', () => {
    expect(run({ country: 'India' }, {}, env)).toBe(false);
  });
});

describe('UA parser keys (docs/segmentation.md)', () => {
  const env: Partial<SegmentEnv> = {
    userAgent: 'UA',
    gateway: { userAgent: { os: 'Windows', browser_string: 'Chrome 120', device_type: 'desktop' } },
  };

  it('only in an or made of UA keys only', () => {
    expect(run({ or: [{ os: 'windows' }] }, {}, env)).toBe(true);
    expect(run({ or: [{ os: 'mac' }, { device_type: ['mobile', 'DESKTOP'] }] }, {}, env)).toBe(true);
    expect(run({ or: [{ browser_string: 'wildcard(chrome*)' }] }, {}, env)).toBe(true);
    expect(run({ or: [{ os: 'mac' }] }, {}, env)).toBe(false);
    expect(run({ or: [{ os: 'windows' }, cv('a', '1')] }, {}, env)).toBe(false);
  });

  it('needs a user agent and parsed data', () => {
    expect(run({ or: [{ os: 'windows' }] }, {}, { gateway: env.gateway })).toBe(false);
    expect(run({ or: [{ os: 'windows' }] }, {}, { userAgent: 'UA' })).toBe(false);
  });

  it('continues with the child when the check throws (non-string parsed value)', () => {
    expect(run({ or: [{ os: 'windows' }] }, {}, { userAgent: 'UA', gateway: { userAgent: { os: 7 } } as unknown as GatewayUserData })).toBe(false);
  });
});

describe('featureId (docs/segmentation.md)', () => {
  const states: Record<number, 'on' | 'off'> = { 1: 'on', 2: 'off' };
  const env: Partial<SegmentEnv> = { featureIdState: (id) => states[id] ?? 'unknown' };

  it('on / off / unknown', () => {
    expect(run({ or: [{ featureId: { 1: 'on' } }] }, {}, env)).toBe(true);
    expect(run({ or: [{ featureId: { 1: 'off' } }] }, {}, env)).toBe(false);
    expect(run({ or: [{ featureId: { 2: 'on' } }] }, {}, env)).toBe(false);
    expect(run({ or: [{ featureId: { 2: 'off' } }] }, {}, env)).toBe(true);
    expect(run({ or: [{ featureId: { 3: 'off' } }] }, {}, env)).toBe(false);
    expect(run({ not: { or: [{ featureId: { 3: 'on' } }] } }, {}, env)).toBe(true);
    expect(run({ or: [{ featureId: { 1: 'on' } }] }, {}, {})).toBe(false);
  });

  it('decides the whole or, even when listed after a passing condition is impossible', () => {
    expect(run({ or: [cv('a', '2'), { featureId: { 2: 'on' } }, cv('a', '1')] }, { a: '1' }, env)).toBe(false);
    expect(run({ or: [cv('a', '1'), { featureId: { 2: 'on' } }] }, { a: '1' }, env)).toBe(true);
  });

  it('is not a node of its own outside an or', () => {
    expect(run({ featureId: { 1: 'on' } }, {}, env)).toBe(false);
  });
});

describe('inlist via env.inList (docs/segmentation.md)', () => {
  const inList = jest.fn((listId: string, attribute: string) => listId === 'L1' && attribute === 'gold');

  it('asks the pre-resolved lookups with the stringified value', () => {
    expect(run(cv('tier', 'inlist(L1)'), { tier: 'gold' }, { inList })).toBe(true);
    expect(inList).toHaveBeenCalledWith('L1', 'gold');
    expect(run(cv('tier', 'inlist(L1)'), { tier: 'silver' }, { inList })).toBe(false);
    expect(run(cv('tier', 'inlist(L2)'), { tier: 'gold' }, { inList })).toBe(false);
  });

  it('is false without lookups, without the variable, or with a malformed operand', () => {
    expect(run(cv('tier', 'inlist(L1)'), { tier: 'gold' })).toBe(false);
    expect(run(cv('tier', 'inlist(L1)'), {}, { inList })).toBe(false);
    expect(run(cv('tier', 'inlist()'), { tier: 'gold' }, { inList })).toBe(false);
  });
});

describe('campaignVariation (docs/segmentation.md)', () => {
  const web = (webTestingCampaigns: Record<string, unknown> | string): Partial<SegmentEnv> => ({
    platformVariables: { webTestingCampaigns },
  });
  const assigned = web({ 10: 2, 11: null });

  it.each([
    ['10', true],
    ['11', false],
    ['!12', true],
    ['!10', false],
    ['10_2', true],
    ['10_3', false],
    ['10_!3', true],
    ['10_!2', false],
    ['12_!3', false],
    [' 10_2 ', true],
    [10, true],
    ['abc', false],
    ['', false],
  ])('%j ⇒ %s', (operand, expected) => {
    expect(run({ campaignVariation: operand }, {}, assigned)).toBe(expected);
  });

  it('accepts a JSON string of assignments', () => {
    expect(run({ campaignVariation: '10_2' }, {}, web('{"10":"2"}'))).toBe(true);
    expect(run({ campaignVariation: '10' }, {}, web('not json'))).toBe(false);
  });

  it('makes the whole DSL false (even under not) without Web Testing data', () => {
    expect(run({ not: { campaignVariation: '!10' } }, {}, {})).toBe(false);
    expect(run({ or: [cv('a', '1'), { campaignVariation: '10' }] }, { a: '1' }, {})).toBe(false);
    expect(run({ or: [cv('a', '1'), { campaignVariation: '10' }] }, { a: '1' }, assigned)).toBe(true);
  });
});
