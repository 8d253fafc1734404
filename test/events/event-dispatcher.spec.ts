import { EventDispatcher } from '../../lib/events/event-dispatcher';
import type { PostOutcome } from '../../lib/events/event-http.client';
import { RecordingLogger } from './support/events-test-kit';

const OK: PostOutcome = { ok: true, status: 200, attempts: 1 };
const config = { eventsPerRequest: 100, intervalMs: 60_000, maxQueueSize: 10_000, maxConcurrentRequests: 8 };

function dispatcher(): { d: EventDispatcher<number>; batches: number[][] } {
  const batches: number[][] = [];
  const d = new EventDispatcher<number>(config, (batch) => (batches.push(batch), Promise.resolve(OK)), new RecordingLogger());
  return { d, batches };
}

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('EventDispatcher', () => {
  afterEach(() => jest.restoreAllMocks());

  it('arms one timer and one immediate for a burst, not one per event', async () => {
    const timeouts = jest.spyOn(global, 'setTimeout');
    const immediates = jest.spyOn(global, 'setImmediate');
    const { d, batches } = dispatcher();
    for (let i = 0; i < 1000; i++) d.enqueue(i);
    expect(timeouts).toHaveBeenCalledTimes(1);
    expect(immediates).toHaveBeenCalledTimes(1);
    await d.close(1000);
    expect(batches.flat()).toEqual(Array.from({ length: 1000 }, (_, i) => i));
  });

  it('sends a full batch on the next turn of the event loop, never inside enqueue()', async () => {
    const { d, batches } = dispatcher();
    for (let i = 0; i < 250; i++) d.enqueue(i);
    expect(batches).toEqual([]);
    await nextTurn();
    expect(batches.map((b) => b.length)).toEqual([100, 100]);
    expect(d.stats.queued).toBe(50);
    await d.close(1000);
    expect(batches.map((b) => b.length)).toEqual([100, 100, 50]);
  });
});
