/**
 * `shouldWaitForTrackingCalls` (APIs resolve once VWO answered their events, nothing retried) and
 * `httpsAgentConfig` (the keep-alive agents of every VWO request), against the loopback fake VWO.
 */
import { validateVWOOptions } from '../../lib/options/validate-options';
import { VWOOptionsError } from '../../lib/vwo-options.error';
import { VWOHttpAgents } from '../../lib/network/vwo-http-agents';
import { batchedEnvelopes } from '../events/support/events-test-kit';
import { fakeVwoBed, type FakeVwoBed } from '../support/fake-vwo-bed';
import type { BootedApp } from './helpers/boot';

/** Long enough that nothing leaves on the batch timer while a test runs: what arrives was sent by the API call itself. */
const NO_TIMER = { requestTimeInterval: 600 };
/** How long the fake VWO takes to answer an event request. */
const ANSWER_DELAY_MS = 300;

/** The event batches the bed's fake VWO received, and the names of the events in them. */
function eventsOf(bed: FakeVwoBed) {
  const batches = () => bed.server.requestsTo('/server-side/batch-events-v2');
  return { batches, eventNames: () => batchedEnvelopes(batches()).map((e) => e.d.event.name as string) };
}

describe('network options', () => {
  describe('shouldWaitForTrackingCalls', () => {
    const bed = fakeVwoBed();
    const { batches, eventNames } = eventsOf(bed);

    it('getFlag, trackEvent and setAttribute resolve only after VWO answered their events', async () => {
      const { vwo } = await bed.start({ shouldWaitForTrackingCalls: true, batchEventData: NO_TIMER, retryConfig: undefined });
      bed.server.on('/server-side/batch-events-v2', { status: 200, delayMs: ANSWER_DELAY_MS });

      const flag = await vwo.getFlag('new-checkout', { id: 'wait-user' });
      expect(flag.isEnabled()).toBe(true);
      expect(eventNames()).toContain('vwo_variationShown');
      expect(Date.now()).toBeGreaterThanOrEqual(batches().at(-1)!.receivedAt + ANSWER_DELAY_MS);

      expect(await vwo.trackEvent('purchase', { id: 'wait-user' })).toEqual({ purchase: true });
      expect(eventNames()).toContain('purchase');
      expect(Date.now()).toBeGreaterThanOrEqual(batches().at(-1)!.receivedAt + ANSWER_DELAY_MS);

      await vwo.setAttribute('plan', 'pro', { id: 'wait-user' });
      expect(eventNames()).toContain('vwo_syncVisitorProp');
      expect(Date.now()).toBeGreaterThanOrEqual(batches().at(-1)!.receivedAt + ANSWER_DELAY_MS);
    });

    it('retries nothing: a failing event request is tried once, even with retries configured', async () => {
      const { vwo } = await bed.start({ shouldWaitForTrackingCalls: true, batchEventData: NO_TIMER, retryConfig: { shouldRetry: true, maxRetries: 3, initialDelay: 0.01 } });
      bed.server.on('/server-side/batch-events-v2', { status: 503 });
      expect(await vwo.trackEvent('purchase', { id: 'no-retry-user' })).toEqual({ purchase: true });
      expect(batches()).toHaveLength(1);
    });

    it('retries no settings fetch either', async () => {
      bed.server.on('/server-side/v2-settings', { status: 503 });
      const booted = await bed.boot(
        bed.options({ shouldWaitForTrackingCalls: true, retryConfig: { shouldRetry: true, maxRetries: 3, initialDelay: 0.01 }, waitForSettings: 1000 }),
      );
      expect(booted.vwo.isReady()).toBe(false);
      expect(bed.server.requestsTo('/server-side/v2-settings')).toHaveLength(1);
    });

    it('without it, the APIs do not wait: the event stays queued until a flush', async () => {
      const { vwo } = await bed.start({ batchEventData: NO_TIMER });
      await vwo.trackEvent('purchase', { id: 'queued-user' });
      expect(batches()).toHaveLength(0);
      await vwo.flushEvents();
      expect(eventNames()).toContain('purchase');
    });

    it('must be a boolean', () => {
      expect(() => validateVWOOptions({ sdkKey: 'k', accountId: 1, shouldWaitForTrackingCalls: 'yes' })).toThrow(/shouldWaitForTrackingCalls: must be true or false/);
    });
  });

  describe('httpsAgentConfig', () => {
    // The fake VWO keeps idle connections long enough for any client reuse to show, however busy the machine.
    const bed = fakeVwoBed({ keepAliveTimeoutMs: 60_000 });
    const { batches } = eventsOf(bed);

    /** A settings fetch, then three event requests one after the other. */
    const exchange = async ({ vwo }: BootedApp) => {
      for (const id of ['agent-1', 'agent-2', 'agent-3']) {
        await vwo.trackEvent('purchase', { id });
        await vwo.flushEvents();
      }
      expect(batches()).toHaveLength(3);
      const { requests } = bed.server;
      return { requests: requests.length, connections: new Set(requests.map((r) => r.remotePort)).size };
    };

    it('keepAlive false: each request to VWO (settings and events) has a connection of its own', async () => {
      const { requests, connections } = await exchange(await bed.start({ httpsAgentConfig: { keepAlive: false }, batchEventData: NO_TIMER }));
      expect(requests).toBeGreaterThanOrEqual(4);
      expect(connections).toBe(requests);
    });

    it("keepAlive (VWO's default): requests to VWO, settings and events alike, reuse one connection", async () => {
      const { requests, connections } = await exchange(await bed.start({ httpsAgentConfig: { maxSockets: 60 }, batchEventData: NO_TIMER }));
      expect(requests).toBeGreaterThanOrEqual(4);
      expect(connections).toBe(1);
    });

    it("applies to the worker thread's event requests too", async () => {
      const booted = await bed.start({ httpsAgentConfig: { keepAlive: false }, batchEventData: NO_TIMER, eventTransport: 'workerThread' });
      const { requests, connections } = await exchange(booted);
      expect(connections).toBe(requests);
    });

    it("fills the fields left out with VWO's defaults", async () => {
      const { app } = await bed.start({ httpsAgentConfig: { maxSockets: 60 } });
      expect(app.get(VWOHttpAgents).config).toEqual({ keepAlive: true, maxSockets: 60, maxFreeSockets: 20, timeout: 60_000 });
      expect(app.get(VWOHttpAgents).requestOptions.httpsAgent?.maxSockets).toBe(60);
    });

    it("refuses a value under VWO's minimum for it, naming the minimum", () => {
      const problems = (config: unknown): string => {
        try {
          validateVWOOptions({ sdkKey: 'k', accountId: 1, httpsAgentConfig: config });
          return '';
        } catch (err) {
          expect(err).toBeInstanceOf(VWOOptionsError);
          return (err as Error).message;
        }
      };
      expect(problems({ maxSockets: 49 })).toMatch(/httpsAgentConfig\.maxSockets: must be an integer >= 50/);
      expect(problems({ maxFreeSockets: 9 })).toMatch(/httpsAgentConfig\.maxFreeSockets: must be an integer >= 10/);
      expect(problems({ timeout: 29_999 })).toMatch(/httpsAgentConfig\.timeout: must be an integer >= 30000/);
      expect(problems({ maxSockets: 50.5 })).toMatch(/maxSockets/);
      expect(problems({ keepAlive: 'yes' })).toMatch(/httpsAgentConfig\.keepAlive: must be true or false/);
      expect(problems({ maxSockets: 50, maxFreeSockets: 10, timeout: 30_000, keepAlive: false })).toBe('');
    });
  });
});
