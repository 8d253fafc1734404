import { waitKeepingAlive } from './keep-alive';

const timers = () => process.getActiveResourcesInfo().filter((t) => t === 'Timeout').length;

describe('waitKeepingAlive', () => {
  it('holds one ref\'d timer while it waits and none after the work settles', async () => {
    const before = timers();
    let finish!: () => void;
    const work = new Promise<void>((resolve) => (finish = resolve));
    const waiting = waitKeepingAlive(work, 10_000);
    expect(timers()).toBe(before + 1);
    finish();
    await expect(waiting).resolves.toBe(true);
    expect(timers()).toBeLessThanOrEqual(before);
  });

  it('without a bound, holds until the work settles (a rejection counts as settled)', async () => {
    const before = timers();
    let fail!: (err: Error) => void;
    const waiting = waitKeepingAlive(new Promise<void>((_, reject) => (fail = reject)));
    expect(timers()).toBe(before + 1);
    fail(new Error('boom'));
    await expect(waiting).resolves.toBe(true);
    expect(timers()).toBeLessThanOrEqual(before);
  });

  it('resolves false after the bound, or at once when stopped, and lets go of the process', async () => {
    const before = timers();
    await expect(waitKeepingAlive(new Promise(() => undefined), 20)).resolves.toBe(false);
    const stop = new AbortController();
    const stopped = waitKeepingAlive(new Promise(() => undefined), undefined, stop.signal);
    stop.abort();
    await expect(stopped).resolves.toBe(false);
    expect(timers()).toBeLessThanOrEqual(before);
  });
});
