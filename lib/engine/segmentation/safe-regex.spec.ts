import { compileSafeRegex, MAX_CUBIC_REGEX_INPUT, MAX_REGEX_INPUT, testCapped, unsafeRegexReason } from './safe-regex';

describe('unsafeRegexReason', () => {
  it.each([
    ['(a+)+$', 'nested quantifiers'],
    ['(a|a)*b', 'repeated overlapping alternation'],
    ['(.*a){20}', 'nested quantifiers'],
    ['^(a+)+$', 'nested quantifiers'],
    ['(\\w+\\s?)*$', 'nested quantifiers'],
    ['(a?b?)*c', 'nested quantifiers'],
    ['^(([a-z])+.)+[A-Z]([a-z])+$', 'nested quantifiers'],
    ['(a|ab)*c', 'repeated overlapping alternation'],
    ['(|a)+b', 'repeated overlapping alternation'],
    ['(a)\\1', 'back-reference'],
    ['(?<x>a)\\k<x>', 'back-reference'],
    ['.*a.*b.*c.*d', 'overlapping unbounded quantifiers (polynomial backtracking)'],
    ['^.*.*.*.*x', 'overlapping unbounded quantifiers (polynomial backtracking)'],
  ])('rejects %s (%s)', (pattern, reason) => {
    expect(unsafeRegexReason(pattern)).toBe(reason);
  });

  it.each([
    'myregex+',
    '^[A-z]+$',
    '^\\d+(\\.\\d+)?',
    '(joker)+',
    '^(\\d{1,3}\\.){3}\\d{1,3}$',
    '(iPhone|iPad).*Safari',
    'Chrome\\/\\d+',
    '^[a-z]+@[a-z]+\\.[a-z]+$',
    '.*foo.*',
    '^(?:a|b)+$',
    '[\\d-]+x',
    '(?=a)\\bword\\B',
  ])('accepts %s', (pattern) => {
    expect(unsafeRegexReason(pattern)).toBeNull();
  });

  it('folds case for overlap checks when the i flag is set', () => {
    expect(unsafeRegexReason('(a|A)*b')).toBeNull();
    expect(unsafeRegexReason('(a|A)*b', true)).toBe('repeated overlapping alternation');
  });
});

describe('compileSafeRegex', () => {
  it('reports invalid patterns separately from unsafe ones', () => {
    expect(compileSafeRegex('*').kind).toBe('invalid');
    expect(compileSafeRegex('(a+)+').kind).toBe('unsafe');
    expect(compileSafeRegex('a+').kind).toBe('ok');
  });

  it('gives cubic patterns (like the corpus one) a smaller input cap', () => {
    const cubic = compileSafeRegex('<(W[^>]*)(.*?)>');
    const quadratic = compileSafeRegex('.*x');
    if (cubic.kind !== 'ok' || quadratic.kind !== 'ok') throw new Error('expected both patterns to be accepted');
    expect(cubic.maxInput).toBe(MAX_CUBIC_REGEX_INPUT);
    expect(quadratic.maxInput).toBe(MAX_REGEX_INPUT);
    expect(testCapped(cubic, '<WingifySDK id=1>')).toBe(true);
    expect(testCapped(cubic, `<W${' '.repeat(MAX_CUBIC_REGEX_INPUT)}>`)).toBe(false);
  });

  it('never tests inputs above the cap', () => {
    const result = compileSafeRegex('a');
    if (result.kind !== 'ok') throw new Error('expected an accepted pattern');
    expect(testCapped(result, 'a'.repeat(MAX_REGEX_INPUT))).toBe(true);
    expect(testCapped(result, 'a'.repeat(MAX_REGEX_INPUT + 1))).toBe(false);
  });

  it('keeps the worst accepted patterns fast at the cap', () => {
    const worst: Array<[string, string]> = [
      ['^.*.*x', 'a'.repeat(MAX_REGEX_INPUT)],
      ['.*x', 'a'.repeat(MAX_REGEX_INPUT)],
      ['<(W[^>]*)(.*?)>', '<W'.repeat(MAX_CUBIC_REGEX_INPUT / 2)],
    ];
    for (const [pattern, input] of worst) {
      const result = compileSafeRegex(pattern);
      if (result.kind !== 'ok') throw new Error(`expected ${pattern} to be accepted`);
      const started = performance.now();
      expect(testCapped(result, input)).toBe(false);
      expect(performance.now() - started).toBeLessThan(1000);
    }
  });
});
