/**
 * The public API down to the wire: what VWOService sends for setAttribute's call shapes, in dev mode, and for
 * a user id VWO cannot encode. The module runs against the loopback fake VWO (settings and events).
 */
import { runWithUserContext } from '../../lib/context/request-context';
import { getUUID } from '../../lib/events/visitor-id';
import type { VWOUserContext } from '../../lib/engine/types';
import type { VWOModuleOptions } from '../../lib/options/vwo-module-options.interface';
import { fakeVwoBed } from '../support/fake-vwo-bed';
import type { BootedApp } from '../module/helpers/boot';
import { shopSettings } from '../module/helpers/shop-settings.fixture';
import { batchedEnvelopes } from './support/events-test-kit';

const ACCOUNT_ID = '123456';
const SDK_KEY = 'test-sdk-key-0123456789abcdef';

describe('VWOService events on the wire', () => {
  const bed = fakeVwoBed();
  let booted: BootedApp;

  const start = async (settings: Record<string, unknown> = shopSettings(), extra: VWOModuleOptions = {}): Promise<BootedApp> => {
    bed.server.settings = settings;
    booted = await bed.start({ logger: { level: 'DEBUG', transport: bed.log }, ...extra });
    return booted;
  };
  /** The visitor events (not the SDK's own) that reached VWO after a flush, as [event name, visId]. */
  const sentVisitorEvents = async (): Promise<Array<{ name: string; visId: string; d: Record<string, any> }>> => {
    await booted.vwo.flushEvents();
    return batchedEnvelopes(bed.server.requestsTo('/server-side/batch-events-v2'))
      .map((e) => ({ name: e.d.event.name as string, visId: e.d.visId as string, d: e.d }))
      .filter((e) => e.name !== 'vwo_fmeSdkInit');
  };
  const visId = (id: string): string => getUUID(id, ACCOUNT_ID);


  describe('setAttribute call shapes', () => {
    it('sends one vwo_syncVisitorProp for every shape VWO accepts, to the right user', async () => {
      const { vwo } = await start();
      await vwo.setAttribute('plan', 'pro', { id: 'kv' });
      await vwo.setAttribute({ plan: 'pro', seats: 3 }, { id: 'map' });
      await vwo.setAttribute({ plan: 'pro' }, undefined, { id: 'map-undefined' });
      await vwo.setAttribute({ plan: 'pro' }, null, { id: 'map-null' });
      await vwo.setAttribute({ plan: 'pro' }, { id: 'loses' }, { id: 'third-wins' });
      await runWithUserContext({ id: 'request-kv' }, () => vwo.setAttribute('beta', true));
      await runWithUserContext({ id: 'request-map' }, () => vwo.setAttribute({ beta: false }));

      const sent = await sentVisitorEvents();
      expect(sent.map((e) => e.name)).toEqual(Array(7).fill('vwo_syncVisitorProp'));
      expect(sent.map((e) => e.visId)).toEqual(
        ['kv', 'map', 'map-undefined', 'map-null', 'third-wins', 'request-kv', 'request-map'].map(visId),
      );
      expect(sent[1].d.visitor.props).toEqual({ vwo_fs_environment: SDK_KEY, plan: 'pro', seats: 3 });
      expect(sent[6].d.visitor.props).toEqual({ vwo_fs_environment: SDK_KEY, beta: false });
      expect(bed.log.matching(/setAttribute/, 'ERROR')).toEqual([]);
    });

    it('sends nothing for shapes VWO rejects, and says why for each', async () => {
      const { vwo } = await start();
      const calls: Array<() => Promise<void>> = [
        () => vwo.setAttribute(['plan'] as never, { id: 'u' }),
        () => vwo.setAttribute(5 as never, 'pro', { id: 'u' }),
        () => vwo.setAttribute('plan', { nested: 1 } as never, { id: 'u' }),
        () => vwo.setAttribute({}, { id: 'u' }),
        () => vwo.setAttribute({ plan: 'pro' }, 'not-a-context' as never),
        () => vwo.setAttribute({ plan: 'pro' }, undefined, { id: '' }),
        () => vwo.setAttribute('plan', 'pro', { id: '\ud800x' }),
      ];
      for (const call of calls) await call();
      expect(await sentVisitorEvents()).toEqual([]);
      const errors = bed.log.matching(/setAttribute skipped/, 'ERROR').map((l) => l.message);
      expect(errors).toHaveLength(calls.length);
      expect(errors[0]).toMatch(/attribute name or a map/);
      expect(errors[2]).toMatch(/attribute "plan" must be a string, number or boolean/);
      expect(errors[3]).toMatch(/no attributes given/);
      expect(errors[4]).toMatch(/no user context with a usable id/);
    });
  });

  describe('dev mode (settings devMode and context isDevMode)', () => {
    const devSettings = (): Record<string, unknown> => ({ ...shopSettings(), devMode: true });

    it('getFlag, trackEvent and setAttribute send nothing for a dev-mode user, and answer as usual', async () => {
      const { vwo } = await start(devSettings());
      const dev = { id: 'dev-user', isDevMode: true };
      expect((await vwo.getFlag('new-checkout', dev)).isEnabled()).toBe(true);
      expect(await vwo.trackEvent('purchase', dev, { amount: 5 })).toEqual({ purchase: true });
      await vwo.setAttribute({ plan: 'pro' }, dev);
      await vwo.setAttribute('plan', 'pro', dev);
      expect(await sentVisitorEvents()).toEqual([]);
      expect(bed.log.matching(/isDevMode are on; event not sent/, 'DEBUG')).toHaveLength(3);
    });

    it('the same calls send as usual when only one of the two is on', async () => {
      const { vwo } = await start(devSettings());
      const user = { id: 'plain-user' };
      await vwo.getFlag('new-checkout', user);
      await vwo.trackEvent('purchase', user);
      await vwo.setAttribute('plan', 'pro', user);
      const names = (await sentVisitorEvents()).map((e) => e.name);
      expect(names).toEqual(['vwo_variationShown', 'purchase', 'vwo_syncVisitorProp']);
    });

    it('isDevMode alone (settings without devMode) changes nothing', async () => {
      const { vwo } = await start();
      const dev = { id: 'dev-user', isDevMode: true };
      await vwo.getFlag('new-checkout', dev);
      await vwo.trackEvent('purchase', dev);
      await vwo.setAttribute('plan', 'pro', dev);
      expect((await sentVisitorEvents()).map((e) => e.name)).toEqual(['vwo_variationShown', 'purchase', 'vwo_syncVisitorProp']);
    });
  });

  describe('a user id VWO cannot encode (a lone UTF-16 surrogate)', () => {
    it('getFlag is disabled with INVALID_CONTEXT and one log line, and no API sends an event', async () => {
      const { vwo } = await start();
      const user: VWOUserContext = { id: '\ud800x' };
      const flag = await vwo.getFlag('new-checkout', user);
      expect(flag.isEnabled()).toBe(false);
      expect(flag.decision.reason).toBe('INVALID_CONTEXT');
      expect(bed.log.lines.filter((l) => l.message.includes('getFlag("new-checkout")'))).toHaveLength(1);
      expect(bed.log.matching(/lone UTF-16 surrogate/, 'ERROR')).toHaveLength(1);
      expect(await vwo.trackEvent('purchase', user)).toEqual({ purchase: false });
      expect(await sentVisitorEvents()).toEqual([]);
    });
  });

  // README "Deliberate differences": each of these is where VWO's Node SDK sends something else, or nothing.
  describe('deliberate differences on the wire', () => {
    /** The shop settings with one more metric, named as given. */
    const withMetric = (identifier: string): Record<string, unknown> => {
      const settings = shopSettings() as { features: Array<{ metrics: unknown[] }> };
      settings.features[0].metrics.push({ id: 2, identifier, type: 'CUSTOM_CONVERSION' });
      return settings;
    };
    const singleEvents = () => bed.server.requestsTo('/events/t').filter((r) => r.query.get('en') !== 'vwo_fmeSdkInit');

    it('a user agent past U+00FF is delivered: the header is made safe, the query and body keep it whole', async () => {
      const { vwo } = await start(shopSettings(), { isBatchingDisabled: true });
      const userAgent = 'Mozilla/5.0 ☃ \u{1F600} é';
      expect(await vwo.trackEvent('purchase', { id: 'ua-user', userAgent })).toEqual({ purchase: true });
      await bed.server.waitFor(() => singleEvents().length === 1);
      const [req] = singleEvents();
      expect(req.headers['x-device-user-agent']).toBe('Mozilla/5.0 ? ? é');
      expect(req.query.get('visitor_ua')).toBe(userAgent);
      expect((req.json as { d: { visitor_ua: string } }).d.visitor_ua).toBe(userAgent);
    });

    it('an event name is URL-encoded in the query, so it cannot add or break parameters', async () => {
      const name = 'add to cart&a=1#x';
      const { vwo } = await start(withMetric(name), { isBatchingDisabled: true });
      expect(await vwo.trackEvent(name, { id: 'u' })).toEqual({ [name]: true });
      await bed.server.waitFor(() => singleEvents().length === 1);
      const [req] = singleEvents();
      expect(req.rawQuery.startsWith(`en=${encodeURIComponent(name)}&a=123456&`)).toBe(true);
      expect(req.query.getAll('a')).toEqual(['123456']);
      expect(req.query.get('en')).toBe(name);
    });

    it('visitor_ua and visitor_ip are empty, not "undefined", when the context has none', async () => {
      const { vwo } = await start(shopSettings(), { isBatchingDisabled: true });
      await vwo.setAttribute('plan', 'pro', { id: 'u' });
      await bed.server.waitFor(() => singleEvents().length === 1);
      expect(singleEvents()[0].rawQuery).toContain('&visitor_ua=&visitor_ip=&');
    });

    it('an attribute that is NaN or ±Infinity is refused with a log line (VWO would send null)', async () => {
      const { vwo } = await start();
      await vwo.setAttribute({ score: NaN }, { id: 'u' });
      await vwo.setAttribute('score', Infinity, { id: 'u' });
      expect(await sentVisitorEvents()).toEqual([]);
      expect(bed.log.matching(/setAttribute: attributes must be a non-empty map/, 'ERROR')).toHaveLength(2);
    });
  });
});
