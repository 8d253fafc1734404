const INTEGER = /^\d+$/;
const VERSION = /^(\d+\.)*\d+$/;
const ZERO = 48;
const NINE = 57;
/** Longer digit runs could round differently when accumulated; parseInt rounds them as VWO's SDK does. */
const MAX_EXACT_DIGITS = 15;

export type VersionParts = readonly number[];

/** Dot-separated parts; a part that is not all digits counts as 0 (as in VWO's SDK). For the operand side. */
export function versionParts(text: string): VersionParts {
  return text.split('.').map((part) => (INTEGER.test(part) ? parseInt(part, 10) : 0));
}

/** Value of the part text[start, end): its integer if it is all (ASCII) digits, else 0. */
function partValue(text: string, start: number, end: number): number {
  if (end === start) return 0;
  let value = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c < ZERO || c > NINE) return 0;
    value = value * 10 + (c - ZERO);
  }
  return end - start > MAX_EXACT_DIGITS ? parseInt(text.slice(start, end), 10) : value;
}

/**
 * Sign of versionParts(tag) - parts, comparing part by part and padding the shorter with zeros. The tag is
 * read in place (this runs per decision; the operand side was parsed once, at compile time).
 */
export function compareVersionTo(tag: string, parts: VersionParts): number {
  const length = tag.length;
  let index = 0;
  let start = 0;
  for (;;) {
    let end = tag.indexOf('.', start);
    if (end === -1) end = length;
    const x = partValue(tag, start, end);
    const y = index < parts.length ? parts[index] : 0;
    if (x !== y) return x < y ? -1 : 1;
    index++;
    if (end === length) break;
    start = end + 1;
  }
  for (; index < parts.length; index++) if (parts[index] !== 0) return parts[index] > 0 ? -1 : 1;
  return 0;
}

export function isVersionString(text: string): boolean {
  return VERSION.test(text);
}

/** True when the text has no ASCII digit at all ("abc", "true", "-", "Infinity"), i.e. it is not a number of any form. */
export function hasNoDigit(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= ZERO && c <= NINE) return false;
  }
  return true;
}
