import murmurhash from 'murmurhash';
import { HASH_SEED, bucketFromHash, bucketValue, bucketValueJoined, murmur3, murmur3Joined, rangeStep } from './bucketing';

/** Deterministic PRNG so a failure reproduces. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

function randomString(next: () => number, alphabet: 'ascii' | 'bmp' | 'any'): string {
  const len = Math.floor(next() * 40);
  let out = '';
  for (let i = 0; i < len; i++) {
    const r = next();
    if (alphabet === 'ascii') out += String.fromCharCode(32 + Math.floor(r * 95));
    else if (alphabet === 'bmp') out += String.fromCharCode(Math.floor(r * 0xffff));
    else {
      // any code point, plus deliberate lone surrogates
      const k = next();
      if (k < 0.1) out += String.fromCharCode(0xd800 + Math.floor(r * 0x800));
      else out += String.fromCodePoint(Math.floor(r * 0x10ffff) & ~0 & 0x10ffff);
    }
  }
  return out;
}

describe('murmur3 (MurmurHash3 x86 32, seed 1, UTF-8)', () => {
  it('matches the reference values of docs/bucketing.md', () => {
    expect(murmur3('key123')).toBe(2360047679);
    expect(murmur3('key123', 0)).toBe(2351380270);
    expect(murmur3('')).toBe(1364076727);
    expect(murmur3('ü')).toBe(2113435471);
    expect(murmur3('日本_user')).toBe(2649902374);
    expect(HASH_SEED).toBe(1);
  });

  it.each(['ascii', 'bmp', 'any'] as const)('equals murmurhash.v3 on 4 000 random %s strings', (alphabet) => {
    const next = rng(alphabet.length * 7919);
    for (let i = 0; i < 4000; i++) {
      const s = randomString(next, alphabet);
      const want = murmurhash.v3(s, 1);
      if (murmur3(s) !== want) throw new Error(`mismatch for ${JSON.stringify(s)}: ${murmur3(s)} != ${want}`);
    }
  });

  it('equals murmurhash.v3 on edge strings (lone/paired surrogates, long keys, every tail length)', () => {
    const cases = [
      '\ud800',
      '\udc00',
      'a\ud800',
      '\ud800\udc00',
      '\udbff\udfff',
      '\udc00\ud800',
      'x'.repeat(1000),
      'é'.repeat(333),
      '😀'.repeat(77),
      ...Array.from({ length: 9 }, (_, i) => 'abcdefgh'.slice(0, i)),
    ];
    for (const s of cases) expect(murmur3(s)).toBe(murmurhash.v3(s, 1));
    for (const seed of [0, 1, 2, 0x7fffffff]) expect(murmur3('seeded', seed)).toBe(murmurhash.v3('seeded', seed));
  });
});

describe('murmur3Joined / bucketValueJoined (hash of head + tail without joining)', () => {
  it.each(['ascii', 'any'] as const)('equals murmurhash.v3 of the joined %s string at every split point', (alphabet) => {
    const next = rng(alphabet.length * 104729);
    for (let i = 0; i < 600; i++) {
      const s = randomString(next, alphabet);
      const want = murmurhash.v3(s, 1);
      for (let cut = 0; cut <= s.length; cut++) {
        const got = murmur3Joined(s.slice(0, cut), s.slice(cut));
        if (got !== want) throw new Error(`mismatch for ${JSON.stringify(s)} cut at ${cut}: ${got} != ${want}`);
      }
    }
  });

  it('falls back to UTF-8 encoding when either part is not ASCII, and honours the seed', () => {
    expect(murmur3Joined('日本_', 'user')).toBe(2649902374);
    expect(murmur3Joined('salt_', 'ü\ud800')).toBe(murmurhash.v3('salt_ü\ud800', 1));
    expect(murmur3Joined('key', '123', 0)).toBe(2351380270);
    expect(bucketValueJoined('2_12345_', 'user_id', 10000)).toBe(9963);
    expect(bucketValueJoined('12345_99_', 'user_id', 100)).toBe(50);
  });
});

describe('bucketValue (docs/bucketing.md, worked examples docs/bucketing.md)', () => {
  it.each([
    ['1_user_id', 1005919831, 100, 24],
    ['2_user_id', 2661234434, 100, 62],
    ['2_12345_user_id', 4278999324, 10000, 9963],
    ['2_user_id', 2661234434, 10000, 6197],
    ['1_user_id_1', 4268150554, 10000, 9938],
    ['salt123_user_id', 2835046515, 100, 67],
    ['salt123_12345_user_id', 3466124012, 10000, 8071],
    ['1_company-abc', 1390556583, 100, 33],
    ['2_12345_company-abc', 1677680253, 10000, 3907],
    ['12345_99_user_id', 2113420794, 100, 50],
  ])('%s → h=%d, bucket(%d)=%d', (key, hash, max, bucket) => {
    expect(murmur3(key)).toBe(hash);
    expect(bucketValue(key, max)).toBe(bucket);
    expect(bucketFromHash(hash, max)).toBe(bucket);
  });

  it('divides by 2^32 and stays within 1…max', () => {
    expect(bucketFromHash(0, 100)).toBe(1);
    expect(bucketFromHash(4294967295, 100)).toBe(100);
    expect(bucketFromHash(4294967295, 10000)).toBe(10000);
    expect(bucketFromHash(2147483648, 100)).toBe(51);
  });
});

describe('rangeStep (docs/settings.md, double precision)', () => {
  it.each([
    [0.07, 8],
    [0.14, 15],
    [1.1, 111],
    [33.34, 3335],
    [33.33, 3333],
    [12.5, 1250],
    [50, 5000],
    [100, 10000],
    [150, 10000],
    [0, 0],
    ['50', 5000],
  ])('weight %p → %d', (w, step) => {
    expect(rangeStep(w)).toBe(step);
  });

  it('rounds 573 of the 9 999 two-decimal weights up "unexpectedly"', () => {
    let surprising = 0;
    for (let i = 1; i <= 9999; i++) if (rangeStep(Number((i / 100).toFixed(2))) !== i) surprising++;
    expect(surprising).toBe(573);
  });
});
