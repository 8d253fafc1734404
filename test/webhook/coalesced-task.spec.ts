import { CoalescedTask } from '../../lib/webhook/coalesced-task';
import { EVENTUALLY_MS, waitUntil } from '../module/helpers/wait-until';

/** A task whose runs the test finishes by hand. */
function manualTask() {
  const finishers: Array<() => void> = [];
  let started = 0;
  const task = () =>
    new Promise<void>((resolve) => {
      started++;
      finishers.push(resolve);
    });
  return { task, started: () => started, finishNext: () => finishers.shift()!() };
}

describe('CoalescedTask', () => {
  it('runs at once, and any number of triggers during a run cost exactly one more run', async () => {
    const { task, started, finishNext } = manualTask();
    const coalesced = new CoalescedTask(task);
    coalesced.trigger();
    await waitUntil(() => started() === 1, EVENTUALLY_MS);
    for (let i = 0; i < 50; i++) coalesced.trigger();
    expect(started()).toBe(1);
    finishNext();
    await waitUntil(() => started() === 2, EVENTUALLY_MS);
    finishNext();
    coalesced.stop();
    expect(started()).toBe(2);
  });

  it('waits minGapMs after the start of the last run before the next one', async () => {
    const starts: number[] = [];
    const coalesced = new CoalescedTask(async () => void starts.push(Date.now()), 300);
    coalesced.trigger();
    await waitUntil(() => starts.length === 1, EVENTUALLY_MS);
    coalesced.trigger();
    coalesced.trigger();
    await waitUntil(() => starts.length === 2, EVENTUALLY_MS);
    expect(starts[1] - starts[0]).toBeGreaterThanOrEqual(290);
    coalesced.stop();
  });

  it('survives a failing run and runs again on the next trigger; stop() ends it for good', async () => {
    let runs = 0;
    const coalesced = new CoalescedTask(async () => {
      runs++;
      throw new Error('pull failed');
    });
    coalesced.trigger();
    await waitUntil(() => runs === 1, EVENTUALLY_MS);
    await new Promise((resolve) => setImmediate(resolve));
    coalesced.trigger();
    await waitUntil(() => runs === 2, EVENTUALLY_MS);
    coalesced.stop();
    coalesced.trigger();
    await new Promise((resolve) => setImmediate(resolve));
    expect(runs).toBe(2);
  });
});
