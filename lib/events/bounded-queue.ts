/**
 * A FIFO ring buffer with a hard capacity: adding past it drops the oldest items and reports how many,
 * so an outage can never grow the heap without bound.
 */
export class BoundedQueue<T> {
  private items: Array<T | undefined>;
  private head = 0;
  private size = 0;

  constructor(readonly capacity: number) {
    this.items = new Array<T | undefined>(Math.min(capacity, 1024));
  }

  get length(): number {
    return this.size;
  }

  /** Appends; returns the number of oldest items dropped to make room (0 or 1). */
  push(item: T): number {
    if (this.capacity <= 0) return 1;
    let dropped = 0;
    if (this.size === this.capacity) {
      this.shift(1);
      dropped = 1;
    }
    this.grow(this.size + 1);
    this.items[(this.head + this.size) % this.items.length] = item;
    this.size++;
    return dropped;
  }

  /** Puts items back at the head, ahead of newer ones; returns how many of them did not fit (oldest first). */
  unshiftAll(batch: readonly T[]): number {
    const room = this.capacity - this.size;
    const dropped = Math.max(batch.length - room, 0);
    const kept = batch.slice(dropped);
    this.grow(this.size + kept.length);
    for (let i = kept.length - 1; i >= 0; i--) {
      this.head = (this.head - 1 + this.items.length) % this.items.length;
      this.items[this.head] = kept[i];
      this.size++;
    }
    return dropped;
  }

  /** Removes and returns up to n items from the head. */
  shift(n: number): T[] {
    const count = Math.min(n, this.size);
    const out = new Array<T>(count);
    for (let i = 0; i < count; i++) {
      out[i] = this.items[this.head] as T;
      this.items[this.head] = undefined;
      this.head = (this.head + 1) % this.items.length;
    }
    this.size -= count;
    return out;
  }

  clear(): number {
    const n = this.size;
    this.items = new Array<T | undefined>(Math.min(this.capacity, 1024));
    this.head = 0;
    this.size = 0;
    return n;
  }

  /** Doubles the backing array (up to capacity) while keeping order. */
  private grow(needed: number): void {
    if (needed <= this.items.length) return;
    const next = new Array<T | undefined>(Math.min(Math.max(needed, this.items.length * 2), this.capacity));
    for (let i = 0; i < this.size; i++) next[i] = this.items[(this.head + i) % this.items.length];
    this.items = next;
    this.head = 0;
  }
}
