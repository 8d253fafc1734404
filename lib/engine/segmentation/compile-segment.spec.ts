/** compileSegment(): the operand table, the Node SDK's quirks, missing values, and/or/not and SegmentationError. */
import { SegmentationError } from './index';
import { cv, matches, run } from './compile-segment-spec.helpers';

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
