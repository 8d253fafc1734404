/**
 * A bounded memo of `compute` for recently used keys: two generations of at most `capacity` entries
 * each. A hit costs one Map lookup (no reordering, unlike a strict LRU); when the young generation is
 * full it becomes the old one and the previous old one is dropped, so keys unused for a whole
 * generation are forgotten and memory stays below 2 × capacity entries.
 */
export class RecentCache<K, V> {
  private young = new Map<K, V>();
  private old = new Map<K, V>();

  constructor(
    private readonly capacity: number,
    private readonly compute: (key: K) => V,
  ) {}

  get size(): number {
    return this.young.size + this.old.size;
  }

  get(key: K): V {
    const hit = this.young.get(key);
    if (hit !== undefined) return hit;
    const value = this.old.get(key) ?? this.compute(key);
    if (this.capacity > 0) this.remember(key, value);
    return value;
  }

  private remember(key: K, value: V): void {
    if (this.young.size >= this.capacity) {
      this.old = this.young;
      this.young = new Map<K, V>();
    }
    this.young.set(key, value);
  }
}
