/**
 * Inputs the ordinary generator values never produce, for the differential test: negative numbers, numeric
 * strings with signs, exponents, spaces and hex, non-finite numbers, and user ids that are falsy, numeric,
 * very long, non-ASCII, web-testing shaped, or not encodable at all (a lone UTF-16 surrogate).
 *
 * One rule is deliberately never generated: lt/lte against text with no digit in it ("abc", true). There
 * lib/engine follows VWO's shared corpus (false) where VWO's Node SDK says true.
 */

/** Values compared with gt/gte/lt/lte, equality, regex and wildcard: everything here has a digit or is a JS number. */
export const SIGNED_NUMBER_VALUES: readonly unknown[] = [
  -1, '-1', '-12', -7.25, '-7.25', '-3', 0, -0, '-0', '00', 0.5, '.5', '-.5', 99.99, '100.0',
  '1e2', 1e2, '1E2', '-1e2', '1e-3', 1e-7, 1e21, 12345678901234567890, '+3', ' 3', '3 ', '0x10',
  '1.2.3-beta', 'x1', '5px', Infinity, -Infinity, NaN, '',
];

export const SIGNED_NUMBER_OPERANDS: readonly string[] = [
  'gt(0)', 'gte(0)', 'lt(0)', 'lte(0)', 'lt(100)', 'lte(100)', 'gt(99)', 'lt(1)', 'lt(50)', 'gt(2.5)', 'lte(0.5)',
  'gte(1.2.3)', '-1', '1e2', '100', '0', '-7.25', 'gt(-1)', 'NaN', 'Infinity', 'regex(^-\\d)', 'regex(e)',
  'wildcard(-*)', 'wildcard(*e*)', 'lower(1E2)',
];

/** Text without any digit, only ever under operands other than lt/lte (see above). */
export const TEXT_VALUES: readonly unknown[] = ['abc', 'true', true, false, 'Infinity', 'NaN', '-', ' ', 'e', '.'];
export const TEXT_OPERANDS: readonly string[] = ['gt(0)', 'gte(0)', 'gte(1)', 'gt(1.5)', 'abc', 'lower(TRUE)', 'NaN', 'regex(^\\W$)', '.'];

const HEX32 = '0123456789ABCDEF0123456789abcdef';

/** User ids of every odd kind; the falsy ones and the lone surrogates must give a disabled flag on both sides. */
export const ODD_USER_IDS: readonly unknown[] = [
  '\ud800x', 'x\udc00', '\udfff', 'a\ud83d', 0, '', false, NaN, -5, -0.5, 1.5, 1e21, true, ' ', '\u0000',
  'u\u{1F600}', 'émile', '用户', `D${HEX32}`, `J${HEX32}`, `d${HEX32}`, 'a'.repeat(600), '\u00e9'.repeat(300),
  'user_1 ', ' user_1', 'USER_1', '1e3', '-1',
];
