import { compareVersionTo, hasNoDigit, versionParts } from './version-compare';

/** The allocating definitions (split on dots, compare padded arrays) the in-place parser must equal. */
function referenceCompare(tag: string, operand: string): number {
  const a = versionParts(tag);
  const b = versionParts(operand);
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}
const referenceNoDigit = (text: string): boolean => !/[0-9]/.test(text);

describe('version comparison without allocation', () => {
  it('parses parts as VWO does: non-digit parts are 0, shorter sides pad with zeros', () => {
    expect(versionParts('1.2.x')).toEqual([1, 2, 0]);
    expect(compareVersionTo('1.2', versionParts('1.2.0'))).toBe(0);
    expect(compareVersionTo('1.10', versionParts('1.9'))).toBe(1);
    expect(compareVersionTo('', versionParts('0'))).toBe(0);
    expect(compareVersionTo('1.', versionParts('1.0.0'))).toBe(0);
    expect(compareVersionTo('abc', versionParts('1'))).toBe(-1);
    expect(compareVersionTo('2', versionParts('1.5'))).toBe(1);
    expect(compareVersionTo('1.0.1', versionParts('1'))).toBe(1);
    expect(compareVersionTo('12345678901234567890', versionParts('12345678901234567000'))).toBe(
      referenceCompare('12345678901234567890', '12345678901234567000'),
    );
    expect(compareVersionTo('-1', versionParts('0'))).toBe(0);
    expect(compareVersionTo('1e2', versionParts('0'))).toBe(0);
    expect(compareVersionTo('-7.25', versionParts('0'))).toBe(1);
    expect(hasNoDigit('abc.d')).toBe(true);
    expect(hasNoDigit('Infinity')).toBe(true);
    expect(hasNoDigit('v2')).toBe(false);
    expect(hasNoDigit('-')).toBe(true);
    expect(hasNoDigit('٣')).toBe(true);
    expect(hasNoDigit('')).toBe(true);
  });

  it('equals the split-based definitions on 20 000 random tag/operand pairs', () => {
    const alphabet = ['0', '1', '2', '9', '.', '.', 'a', '-', ' ', '٣', '00', '1234567890123456789'];
    let s = 12345;
    const next = (): number => {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      return s / 4294967296;
    };
    const word = (): string => {
      let out = '';
      const len = Math.floor(next() * 8);
      for (let i = 0; i < len; i++) out += alphabet[Math.floor(next() * alphabet.length)];
      return out;
    };
    for (let i = 0; i < 20_000; i++) {
      const tag = word();
      const operand = word();
      const got = compareVersionTo(tag, versionParts(operand));
      const want = referenceCompare(tag, operand);
      if (got !== want) throw new Error(`compare ${JSON.stringify(tag)} with ${JSON.stringify(operand)}: ${got} != ${want}`);
      if (hasNoDigit(tag) !== referenceNoDigit(tag)) throw new Error(`hasNoDigit ${JSON.stringify(tag)}`);
    }
  });
});
