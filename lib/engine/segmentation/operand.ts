import { compileSafeRegex, testCapped } from './safe-regex';
import type { CompileContext } from './segment-env';
import { compareVersionTo, hasNoDigit, isVersionString, versionParts } from './version-compare';

export type OperandKind =
  | 'lower'
  | 'contains'
  | 'endsWith'
  | 'startsWith'
  | 'regex'
  | 'gt'
  | 'gte'
  | 'lt'
  | 'lte'
  | 'equal';

export interface ParsedOperand {
  kind: OperandKind;
  value: string;
}

/**
 * Tests a tag (the user's value, already stringified); null never matches. `fromNumber` says the value was a
 * JS number (its text may still be digitless: NaN, Infinity), which gt/gte/lt/lte always read as VWO does.
 */
export type TagMatcher = (tag: string | null, fromNumber?: boolean) => boolean;

type Comparison = (tag: string, fromNumber?: boolean) => boolean;

const NUM = String.raw`(\d+(?:\.\d+)*|\.\d+)`;
/** Anchored at the start only, first match wins (docs/segmentation.md). */
const COMPARISONS: ReadonlyArray<[RegExp, OperandKind]> = [
  [new RegExp(String.raw`^gt\(${NUM}\)`), 'gt'],
  [new RegExp(String.raw`^gte\(${NUM}\)`), 'gte'],
  [new RegExp(String.raw`^lt\(${NUM}\)`), 'lt'],
  [new RegExp(String.raw`^lte\(${NUM}\)`), 'lte'],
];
const NON_NUMERIC = /[^0-9.]/;

export function parseOperand(operand: string): ParsedOperand {
  const lower = /^lower\((.*)\)/.exec(operand);
  if (lower) return { kind: 'lower', value: lower[1] };
  const wildcard = /^wildcard\((.*)\)/.exec(operand);
  if (wildcard) return parseWildcard(wildcard[1]);
  const regex = /^regex\((.*)\)/.exec(operand);
  if (regex) return { kind: 'regex', value: regex[1] };
  for (const [pattern, kind] of COMPARISONS) {
    const match = pattern.exec(operand);
    if (match) return { kind, value: match[1] };
  }
  return { kind: 'equal', value: operand };
}

/** One star is stripped per side; no star at all means equality with the inner text. */
function parseWildcard(inner: string): ParsedOperand {
  const leading = inner.startsWith('*');
  const trailing = inner.endsWith('*');
  const value = inner.replace(/^\*/, '').replace(/\*$/, '');
  const kind: OperandKind = leading && trailing ? 'contains' : leading ? 'endsWith' : trailing ? 'startsWith' : 'equal';
  return { kind, value };
}

/** The user's value as VWO's SDK stringifies it: undefined ⇒ "", null stays null, else String(value). */
export function toSegmentTag(value: unknown): string | null {
  if (value === undefined) return '';
  return value === null ? null : String(value);
}

/** Compares a tag with an operand value; everything derivable from the operand is computed here, once. */
export function compileComparison(kind: OperandKind, value: string, ctx: CompileContext): Comparison {
  switch (kind) {
    case 'lower': {
      const lowered = value.toLowerCase();
      return (tag) => tag.toLowerCase() === lowered;
    }
    case 'contains':
      return (tag) => tag.includes(value);
    case 'endsWith':
      return (tag) => tag.endsWith(value);
    case 'startsWith':
      return (tag) => tag.startsWith(value);
    case 'regex':
      return compileRegexComparison(value, ctx);
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte':
      return compileOrdering(kind, value);
    case 'equal': {
      if (!isVersionString(value)) return (tag) => tag === value;
      const parts = versionParts(value);
      return (tag) => (isVersionString(tag) ? compareVersionTo(tag, parts) === 0 : tag === value);
    }
  }
}

function compileRegexComparison(pattern: string, ctx: CompileContext): Comparison {
  const compiled = compileSafeRegex(pattern);
  if (compiled.kind === 'ok') return (tag) => testCapped(compiled, tag);
  // Invalid patterns are false in VWO's SDK too; unsafe ones are our own refusal.
  ctx.warn(`segment regex ${JSON.stringify(pattern)} is ${compiled.kind} (${compiled.reason}); it never matches`);
  return () => false;
}

/**
 * VWO's ordering is its version comparison: dot-separated parts, a part that is not all digits reads as 0.
 * So "-1", "1e2" and "1e+21" all compare as 0, and -7.25 as 0.25 ("-7" is 0, then 25): quirks kept, since
 * they decide which rule serves a user.
 */
function compileOrdering(kind: 'gt' | 'gte' | 'lt' | 'lte', value: string): Comparison {
  const parts = versionParts(value);
  switch (kind) {
    case 'gt':
      return (tag) => compareVersionTo(tag, parts) > 0;
    case 'gte':
      return (tag) => compareVersionTo(tag, parts) >= 0;
    // The one deliberate departure from the Node SDK: a text with no digit at all ("abc", "true") reads as 0
    // there, so `"abc" < 100` is true; VWO's shared conformance corpus expects false, and we follow the
    // corpus. Anything with a digit in it, every JS number, and "" keep the Node SDK's answer.
    case 'lt':
      return (tag, fromNumber) => (fromNumber || !isTextWithoutNumber(tag)) && compareVersionTo(tag, parts) < 0;
    case 'lte':
      return (tag, fromNumber) => (fromNumber || !isTextWithoutNumber(tag)) && compareVersionTo(tag, parts) <= 0;
  }
}

function isTextWithoutNumber(tag: string): boolean {
  return tag !== '' && hasNoDigit(tag);
}

/**
 * custom_variable and ua: numeric normalisation first. When the tag has only digits and dots and both the
 * tag and the operand value parse to non-zero floats, both are compared as String(parseFloat(...)).
 */
export function compileNormalisedMatcher(parsed: ParsedOperand, ctx: CompileContext): TagMatcher {
  const asWritten = compileComparison(parsed.kind, parsed.value, ctx);
  const operandNumber = parseFloat(parsed.value);
  if (!operandNumber) return (tag, fromNumber) => tag !== null && asWritten(tag, fromNumber);
  const normalised = compileComparison(parsed.kind, String(operandNumber), ctx);
  return (tag, fromNumber) => {
    if (tag === null) return false;
    if (NON_NUMERIC.test(tag)) return asWritten(tag, fromNumber);
    const tagNumber = parseFloat(tag);
    return tagNumber ? normalised(String(tagNumber)) : asWritten(tag, fromNumber);
  };
}

/** ip_address, browser_version, os_version: no normalisation; the value is trimmed and loses its `"`s. */
export function compileRawMatcher(operand: string, ctx: CompileContext): TagMatcher {
  const parsed = parseOperand(operand);
  const compare = compileComparison(parsed.kind, parsed.value.trim().replace(/"/g, ''), ctx);
  return (tag) => tag !== null && compare(tag);
}
