import { v5 as uuidv5 } from 'uuid';
import { getUUID } from './uuid';

/** The chain of docs/bucketing.md computed with the `uuid` package, as VWO's SDK does. */
function reference(userId: string, accountId: string): string {
  const ns = uuidv5(accountId, uuidv5('https://vwo.com', uuidv5.URL));
  return uuidv5(userId, ns).replace(/-/g, '').toUpperCase();
}

/** A small deterministic generator (mulberry32), so a failure names a reproducible input. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Mixes ASCII, Latin-1, CJK and astral characters (surrogate pairs), up to `maxLength` code points. */
function randomName(next: () => number, maxLength: number): string {
  const ranges: Array<[number, number]> = [[0x20, 0x7e], [0xa0, 0xff], [0x4e00, 0x4fff], [0x1f600, 0x1f64f]];
  const length = Math.floor(next() * (maxLength + 1));
  let s = '';
  for (let i = 0; i < length; i++) {
    const [lo, hi] = ranges[Math.floor(next() * ranges.length)];
    s += String.fromCodePoint(lo + Math.floor(next() * (hi - lo + 1)));
  }
  return s;
}

describe('getUUID (docs/bucketing.md)', () => {
  it.each([
    ['user_id', '12345', 'E4824A365FF15611963CB44DC0E4D513'],
    ['user-123', '123456', 'CC25A368ADA0542699EAD62489811105'],
    ['user-1', '123456', 'D8E56BFF89A75539B46C1FECD3C97D7C'],
  ])('reproduces the VWO vector (%s, %s)', (user, account, expected) => {
    expect(getUUID(user, account)).toBe(expected);
  });

  it('stringifies numeric ids and account ids', () => {
    expect(getUUID('user_id', 12345)).toBe('E4824A365FF15611963CB44DC0E4D513');
    expect(getUUID(123, 1)).toBe(getUUID('123', '1'));
  });

  it('is 32 upper-case hex characters and stable across calls (cached namespace)', () => {
    const a = getUUID('someone', '999');
    expect(a).toMatch(/^[0-9A-F]{32}$/);
    expect(getUUID('someone', '999')).toBe(a);
    expect(getUUID('someone', '998')).not.toBe(a);
  });

  it('matches the uuid package on 2,000 random names and accounts', () => {
    const next = prng(20261125);
    const accounts = ['1', '123456', '999999', String(Math.floor(next() * 1e9))];
    for (let i = 0; i < 2000; i++) {
      const account = accounts[i % accounts.length];
      const user = randomName(next, 40);
      expect([user, getUUID(user, account)]).toEqual([user, user ? reference(user, account) : undefined]);
    }
  });

  it('matches the uuid package for names longer than the reused hash buffer', () => {
    for (const user of ['a'.repeat(512), 'b'.repeat(513), '€'.repeat(600), '😀'.repeat(400)]) {
      expect(getUUID(user, '123456')).toBe(reference(user, '123456'));
    }
    // A long name must not leave bytes behind for the next, shorter one.
    expect(getUUID('user-1', '123456')).toBe('D8E56BFF89A75539B46C1FECD3C97D7C');
  });

  it('returns undefined for an empty id or account and throws like the uuid package on a lone surrogate', () => {
    expect(getUUID('', '1')).toBeUndefined();
    expect(getUUID('u', '')).toBeUndefined();
    expect(() => getUUID('a\ud800b', '1')).toThrow(URIError);
  });
});
