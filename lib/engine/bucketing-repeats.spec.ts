import murmurhash from 'murmurhash';
import { murmur3, murmur3Joined } from './bucketing';

/** One decision hashes several heads with one tail: the tail's bytes are kept between calls. */
describe('murmur3Joined across calls that share a tail', () => {
  const heads = ['101_', '102_123456_', '7_', '', 'é_', 'x'.repeat(127), 'y'.repeat(128), 'z'.repeat(129), '\ud83d'];
  const tails = ['bench-user-000001-9e3779b1', 'u', '', 'ü-日本-😀', '\ude00tail', 'long-'.repeat(60), 'bench-user-000001-9e3779b1'];

  it('hashes every head + tail as murmurhash.v3 hashes the joined string, whatever came before', () => {
    for (const tail of tails) {
      for (const head of heads) {
        expect(murmur3Joined(head, tail)).toBe(murmurhash.v3(head + tail, 1));
        // A plain key in between writes over the kept bytes.
        expect(murmur3(`${tail}${head}${tail}`)).toBe(murmurhash.v3(`${tail}${head}${tail}`, 1));
        expect(murmur3Joined(head, tail)).toBe(murmurhash.v3(head + tail, 1));
      }
    }
  });

  it('tells apart equal tails held by different strings and different tails of one length', () => {
    const a = ['bench-user-', '000001'].join('');
    const b = 'bench-user-000001';
    const c = 'bench-user-000002';
    for (const tail of [a, b, c, a, c, b]) expect(murmur3Joined('101_', tail)).toBe(murmurhash.v3(`101_${tail}`, 1));
  });
});
