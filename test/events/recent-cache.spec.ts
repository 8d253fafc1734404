import { RecentCache } from '../../lib/events/recent-cache';

function counting(capacity: number): { cache: RecentCache<string, string>; computed: string[] } {
  const computed: string[] = [];
  const cache = new RecentCache<string, string>(capacity, (key) => {
    computed.push(key);
    return key.toUpperCase();
  });
  return { cache, computed };
}

describe('RecentCache', () => {
  it('computes a key once while it stays in use', () => {
    const { cache, computed } = counting(3);
    for (let round = 0; round < 5; round++) for (const k of ['a', 'b', 'c']) expect(cache.get(k)).toBe(k.toUpperCase());
    expect(computed).toEqual(['a', 'b', 'c']);
  });

  it('stays below two generations of entries and forgets keys unused for a generation', () => {
    const { cache, computed } = counting(2);
    for (const k of ['a', 'b', 'c', 'd', 'e']) cache.get(k);
    expect(cache.size).toBeLessThanOrEqual(4);
    computed.length = 0;
    cache.get('a');
    cache.get('e');
    expect(computed).toEqual(['a']);
  });

  it('keeps a key read from the old generation (it is promoted, not recomputed)', () => {
    const { cache, computed } = counting(2);
    cache.get('a');
    cache.get('b');
    cache.get('c'); // a and b are now the old generation
    cache.get('a'); // promoted
    cache.get('d'); // young (c, a) is full: it becomes the old one, b is dropped
    cache.get('e');
    computed.length = 0;
    cache.get('a');
    expect(computed).toEqual([]);
  });

  it('capacity 0 caches nothing', () => {
    const { cache, computed } = counting(0);
    cache.get('a');
    cache.get('a');
    expect(computed).toEqual(['a', 'a']);
    expect(cache.size).toBe(0);
  });
});
