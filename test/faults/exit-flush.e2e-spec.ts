import { join } from 'node:path';
import type { FakeVwoServer } from '../support/fake-vwo-server';
import { fakeVwoBed } from '../support/fake-vwo-bed';
import { ChildApp } from './support/child-app';

const SCRIPT = join(__dirname, 'support', 'exit-without-close-app.ts');
const BATCH = '/server-side/batch-events-v2';
const EVENTS = 25;
const SHUTDOWN_TIMEOUT_MS = 1000;

/** The `purchase` events VWO received, by visitor. */
function purchases(server: FakeVwoServer): number {
  return server
    .requestsTo(BATCH)
    .filter((r) => r.json)
    .flatMap((r) => (r.json as { ev: Array<{ d: { event: { name: string } } }> }).ev)
    .filter((e) => e.d.event.name === 'purchase').length;
}

describe('a script that ends without app.close()', () => {
  const bed = fakeVwoBed();

  it('sends its queued events before the process exits', async () => {
    const child = new ChildApp(SCRIPT, { VWO_FAKE_URL: bed.server.url, EVENTS: String(EVENTS), SHUTDOWN_TIMEOUT: String(SHUTDOWN_TIMEOUT_MS) });
    try {
      await child.waitForLine(new RegExp(`^TRACKED ${EVENTS}$`), 60_000);
      await child.waitForExit(SHUTDOWN_TIMEOUT_MS + 10_000);
      expect(child.exit?.code).toBe(0);
      expect(purchases(bed.server)).toBe(EVENTS);
      expect(child.matching(/^VWO INFO The process is exiting without app.close\(\): sending \d+ queued VWO event/)).toHaveLength(1);
      expect(child.matching(/^VWO WARN/)).toHaveLength(0);
    } finally {
      await child.stop();
    }
  }, 90_000);

  it('with VWO failing, exits within shutdownTimeout and warns with the count of events lost', async () => {
    bed.server.on(BATCH, { status: 503 });
    const child = new ChildApp(SCRIPT, { VWO_FAKE_URL: bed.server.url, EVENTS: String(EVENTS), SHUTDOWN_TIMEOUT: String(SHUTDOWN_TIMEOUT_MS) });
    try {
      const tracked = await child.waitForLine(new RegExp(`^TRACKED ${EVENTS}$`), 60_000);
      await child.waitForExit(SHUTDOWN_TIMEOUT_MS + 10_000);
      expect(child.exit?.code).toBe(0);
      expect(child.exit!.at - tracked.at).toBeLessThan(SHUTDOWN_TIMEOUT_MS + 5000);
      expect(bed.server.requestsTo(BATCH).length).toBeGreaterThan(0);
      // The sdk init event is queued with the purchases: all of them are counted.
      expect(child.matching(new RegExp(`^VWO WARN Dropped ${EVENTS + 1} VWO event\\(s\\) because they could not be delivered before shutdown`))).toHaveLength(1);
    } finally {
      await child.stop();
    }
  }, 90_000);
});
