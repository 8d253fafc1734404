/**
 * compileSegment() against its environment: unknown operators, user lists, user agent, IP, location, UA parser keys,
 * featureId, inlist and campaignVariation. The operand table and and/or/not are in compile-segment.spec.ts.
 */
import type { GatewayUserData } from '../types';
import { compileSegment, SegmentEnv } from './index';
import { BASE_ENV, cv, run } from './compile-segment-spec.helpers';

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
