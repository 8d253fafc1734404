const INTEGER = /^\d+$/;
const VERSION = /^(\d+\.)*\d+$/;

export type VersionParts = readonly number[];

/** Dot-separated parts; a part that is not all digits counts as 0 (as in VWO's SDK). */
export function versionParts(text: string): VersionParts {
  return text.split('.').map((part) => (INTEGER.test(part) ? parseInt(part, 10) : 0));
}

/** Sign of a - b, comparing part by part and padding the shorter with zeros. */
export function compareParts(a: VersionParts, b: VersionParts): number {
  const length = Math.max(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

export function isVersionString(text: string): boolean {
  return VERSION.test(text);
}

/** True when no dot-separated part is a number, i.e. cmp() would read the whole text as zero. */
export function hasNoNumericPart(text: string): boolean {
  return !text.split('.').some((part) => INTEGER.test(part));
}
