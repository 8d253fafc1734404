import { BoundedQueue } from '../../lib/events/bounded-queue';

describe('BoundedQueue', () => {
  it('is FIFO across wrap-around and growth', () => {
    const q = new BoundedQueue<number>(5000);
    for (let i = 0; i < 3000; i++) q.push(i);
    expect(q.shift(1000)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    for (let i = 3000; i < 4500; i++) q.push(i);
    const rest = q.shift(10_000);
    expect(rest).toEqual(Array.from({ length: 3500 }, (_, i) => i + 1000));
    expect(q.length).toBe(0);
  });

  it('drops the oldest item past capacity and says so', () => {
    const q = new BoundedQueue<number>(3);
    expect([1, 2, 3].map((i) => q.push(i))).toEqual([0, 0, 0]);
    expect(q.push(4)).toBe(1);
    expect(q.shift(10)).toEqual([2, 3, 4]);
  });

  it('puts failed items back at the head, dropping the oldest that do not fit', () => {
    const q = new BoundedQueue<number>(4);
    q.push(10);
    q.push(11);
    expect(q.unshiftAll([1, 2, 3])).toBe(1);
    expect(q.shift(10)).toEqual([2, 3, 10, 11]);
  });

  it('drops everything with capacity 0, and clear() reports what it removed', () => {
    const zero = new BoundedQueue<number>(0);
    expect(zero.push(1)).toBe(1);
    expect(zero.length).toBe(0);
    const q = new BoundedQueue<number>(10);
    q.push(1);
    q.push(2);
    expect(q.clear()).toBe(2);
    expect(q.length).toBe(0);
  });
});
