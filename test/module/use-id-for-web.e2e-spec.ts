/** Context `useIdForWeb`: the id must be VWO's web-testing visitor id, used as is; any other id fails the call. */
import { batchedEnvelopes } from '../events/support/events-test-kit';
import { fakeVwoBed } from '../support/fake-vwo-bed';
import type { BootedApp } from './helpers/boot';

const WEB_ID = 'D0123456789ABCDEF0123456789ABCDEF';

describe('context useIdForWeb', () => {
  const bed = fakeVwoBed();
  let booted: BootedApp;

  beforeEach(async () => {
    booted = await bed.start();
  });

  const envelopes = () => batchedEnvelopes(bed.server.requestsTo('/server-side/batch-events-v2'));

  it('with a web-testing id: the flag is decided, its UUID and its events carry that id as is', async () => {
    const flag = await booted.vwo.getFlag('new-checkout', { id: WEB_ID, useIdForWeb: true });
    expect(flag.isEnabled()).toBe(true);
    expect(flag.getUUID()).toBe(WEB_ID);
    await booted.vwo.flushEvents();
    const shown = envelopes().filter((e) => e.d.event.name === 'vwo_variationShown');
    expect(shown.map((e) => e.d.visId)).toEqual([WEB_ID]);
  });

  it('with any other id: every API fails the call, nothing is sent', async () => {
    const context = { id: 'server-user-1', useIdForWeb: true };
    const flag = await booted.vwo.getFlag('new-checkout', context);
    expect(flag.isEnabled()).toBe(false);
    expect(flag.reason).toBe('INVALID_CONTEXT');
    expect(await booted.vwo.trackEvent('purchase', context)).toEqual({ purchase: false });
    await booted.vwo.setAttribute('plan', 'pro', context);
    await booted.vwo.flushEvents();
    const visitorEvents = envelopes().filter((e) => ['vwo_variationShown', 'purchase', 'vwo_syncVisitorProp'].includes(e.d.event.name as string));
    expect(visitorEvents).toEqual([]);
  });

  it('without it, the same id is decided with a visitor UUID made on the server', async () => {
    const flag = await booted.vwo.getFlag('new-checkout', { id: 'server-user-1' });
    expect(flag.isEnabled()).toBe(true);
    expect(flag.getUUID()).toMatch(/^[0-9A-F]{32}$/);
  });
});
