/**
 * Flag.getUUID() / getSessionId() are what the page hands to VWO's web client, so they must be exactly the
 * visitor id and session id the decision's events carried to VWO.
 */
import { getUUID } from '../../lib/events/visitor-id';
import type { VWOUserContext } from '../../lib/engine/types';
import { fakeVwoBed } from '../support/fake-vwo-bed';
import type { BootedApp } from '../module/helpers/boot';
import { batchedEnvelopes } from './support/events-test-kit';

const ACCOUNT_ID = '123456';
const WEB_ID = 'D' + '0123456789ABCDEF'.repeat(2);

describe('Flag visitor id and session id vs the events sent', () => {
  const bed = fakeVwoBed();
  let booted: BootedApp;

  beforeEach(async () => {
    booted = await bed.start();
  });

  const impressionOf = async (userId: string): Promise<Record<string, any>> => {
    await booted.vwo.flushEvents();
    const shown = batchedEnvelopes(bed.server.requestsTo('/server-side/batch-events-v2'))
      .map((e) => e.d as Record<string, any>)
      .filter((d) => d.event.name === 'vwo_variationShown' && d.visitor_ua === `ua-${userId}`);
    expect(shown.length).toBeGreaterThan(0);
    return shown[0];
  };

  it.each<[string, VWOUserContext, string | undefined]>([
    ['a plain user id', { id: 'fv-plain' }, getUUID('fv-plain', ACCOUNT_ID)],
    ['a web-testing id', { id: WEB_ID }, WEB_ID],
    ['an explicit uuid', { id: 'fv-explicit', uuid: 'WEB-CLIENT-UUID' }, 'WEB-CLIENT-UUID'],
    ['an explicit session id', { id: 'fv-session', sessionId: 1_650_000_000 }, getUUID('fv-session', ACCOUNT_ID)],
  ])('%s: getUUID and getSessionId equal the impression’s visId and sessionId', async (_name, context, uuid) => {
    const userId = String(context.id);
    const flag = await booted.vwo.getFlag('new-checkout', { ...context, userAgent: `ua-${userId}` });
    expect(flag.getUUID()).toBe(uuid);
    const sent = await impressionOf(userId);
    expect(sent.visId).toBe(flag.getUUID());
    expect(sent.sessionId).toBe(flag.getSessionId());
    if (context.sessionId) expect(flag.getSessionId()).toBe(context.sessionId);
  });
});
