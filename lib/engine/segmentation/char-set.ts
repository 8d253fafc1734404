/**
 * A set of UTF-16 code units as sorted, disjoint, inclusive ranges `[lo0, hi0, lo1, hi1, ...]`.
 * Only what the regex safety check needs: union, complement, overlap and inclusion tests.
 */
export type CharSet = readonly number[];

const MAX_UNIT = 0xffff;

export const EMPTY_SET: CharSet = [];
export const ANY_CHAR: CharSet = [0, MAX_UNIT];
export const DIGIT: CharSet = [0x30, 0x39];
export const WORD: CharSet = [0x30, 0x39, 0x41, 0x5a, 0x5f, 0x5f, 0x61, 0x7a];
export const SPACE: CharSet = normalize([
  0x09, 0x0d, 0x20, 0x20, 0xa0, 0xa0, 0x1680, 0x1680, 0x2000, 0x200a, 0x2028, 0x2029, 0x202f, 0x202f, 0x205f,
  0x205f, 0x3000, 0x3000, 0xfeff, 0xfeff,
]);

export function single(unit: number): CharSet {
  return [unit, unit];
}

export function range(lo: number, hi: number): CharSet {
  return lo <= hi ? [lo, hi] : EMPTY_SET;
}

/** Sorts and merges arbitrary ranges. */
export function normalize(ranges: readonly number[]): CharSet {
  const pairs: Array<[number, number]> = [];
  for (let i = 0; i < ranges.length; i += 2) pairs.push([ranges[i], ranges[i + 1]]);
  pairs.sort((a, b) => a[0] - b[0]);
  const out: number[] = [];
  for (const [lo, hi] of pairs) {
    const last = out.length - 1;
    if (last > 0 && lo <= out[last] + 1) out[last] = Math.max(out[last], hi);
    else out.push(lo, hi);
  }
  return out;
}

export function union(...sets: CharSet[]): CharSet {
  return normalize(sets.flat());
}

export function complement(set: CharSet): CharSet {
  const out: number[] = [];
  let next = 0;
  for (let i = 0; i < set.length; i += 2) {
    if (set[i] > next) out.push(next, set[i] - 1);
    next = set[i + 1] + 1;
  }
  if (next <= MAX_UNIT) out.push(next, MAX_UNIT);
  return out;
}

export function intersects(a: CharSet, b: CharSet): boolean {
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i + 1] < b[j]) i += 2;
    else if (b[j + 1] < a[i]) j += 2;
    else return true;
  }
  return false;
}

export function isSubset(inner: CharSet, outer: CharSet): boolean {
  return !intersects(inner, complement(outer));
}

/** Adds the other ASCII case of every letter (enough for the `i` flag in an overlap analysis). */
export function foldCase(set: CharSet): CharSet {
  const extra: number[] = [];
  const addShifted = (lo: number, hi: number, from: number, to: number, shift: number): void => {
    const a = Math.max(lo, from);
    const b = Math.min(hi, to);
    if (a <= b) extra.push(a + shift, b + shift);
  };
  for (let i = 0; i < set.length; i += 2) {
    addShifted(set[i], set[i + 1], 0x41, 0x5a, 0x20);
    addShifted(set[i], set[i + 1], 0x61, 0x7a, -0x20);
  }
  return extra.length === 0 ? set : union(set, extra);
}
