import type { EventsOptions, EventsTuning } from '../../lib/events/events-options.interface';
import type { RecordedRequest } from '../support/fake-vwo-server';
import { getUUID } from '../../lib/events/visitor-id';
import { SDK_INFO } from '../../lib/sdk-info';
import {
  ACCOUNT_ID,
  batchedEnvelopes,
  eventsTestBed,
  makeDecision,
  makeSnapshot,
  SDK_KEY,
} from './support/events-test-kit';

const UA = 'Mozilla/5.0 (X11; Linux x86_64)';
const IP = '1.2.3.4';
const user = { id: 'user-123', userAgent: UA, ipAddress: IP };
/** A decision that shows the user two rules of feature 5. */
const TWO_RULES = makeDecision([
  { campaignId: 11, variationId: 1, featureId: 5 },
  { campaignId: 12, variationId: 2, featureId: 5 },
]);
const VIS = 'CC25A368ADA0542699EAD62489811105';
const BATCH_QUERY = `a=${ACCOUNT_ID}&env=${SDK_KEY}&sn=nestjs-vwo&sv=${SDK_INFO.version}`;

/** The /events/t query, field by field in VWO's order (docs/events.md). */
function expectSingleQuery(req: RecordedRequest, en: string, ua: string, ip: string): void {
  const keys = [...req.query.keys()];
  expect(keys).toEqual(['en', 'a', 'eTime', 'random', 'p', 'visitor_ua', 'visitor_ip', 'sn', 'sv', 'env']);
  expect(req.query.get('en')).toBe(en);
  expect(req.query.get('a')).toBe(ACCOUNT_ID);
  expect(Math.abs(Number(req.query.get('eTime')) - Date.now())).toBeLessThan(5000);
  expect(Number(req.query.get('random'))).toBeGreaterThanOrEqual(0);
  expect(Number(req.query.get('random'))).toBeLessThan(1);
  expect(req.query.get('p')).toBe('FS');
  expect(req.query.get('visitor_ua')).toBe(ua);
  expect(req.rawQuery).toContain(`visitor_ua=${encodeURIComponent(ua)}&`);
  expect(req.query.get('visitor_ip')).toBe(ip);
  expect(req.query.get('sn')).toBe('nestjs-vwo');
  expect(req.query.get('sv')).toBe(SDK_INFO.version);
  expect(req.query.get('env')).toBe(SDK_KEY);
}

function expectEnvelopeBase(d: Record<string, any>, name: string, visId: string, ua: string, ip: string): void {
  expect(Object.keys(d)).toEqual(['msgId', 'visId', 'sessionId', 'visitor_ua', 'visitor_ip', 'event', 'visitor']);
  expect(d.visId).toBe(visId);
  expect(d.msgId).toMatch(new RegExp(`^${visId}-\\d{13}$`));
  expect(Number.isInteger(d.sessionId)).toBe(true);
  expect(d.visitor_ua).toBe(ua);
  expect(d.visitor_ip).toBe(ip);
  expect(d.event.name).toBe(name);
  expect(Math.abs(d.event.time - Date.now())).toBeLessThan(5000);
  expect(d.event.props).toMatchObject({ vwo_sdkName: 'nestjs-vwo', vwo_sdkVersion: SDK_INFO.version, vwo_envKey: SDK_KEY });
  expect(d.visitor.props.vwo_fs_environment).toBe(SDK_KEY);
}

// The same bytes must leave through either transport: the app's HttpService (default) or the worker thread.
describe.each(['httpService', 'workerThread'] as const)('VWOEventsService on the wire (docs/events.md), eventTransport %s', (eventTransport) => {
  const testBed = eventsTestBed();
  const { server } = testBed;
  const bed = { ...testBed, start: (options: Partial<EventsOptions>, tuning?: Partial<EventsTuning>) => testBed.start({ eventTransport, ...options }, tuning) };

  describe('batching on (default)', () => {
    it('sends every kind of event in one batch to /server-side/batch-events-v2 on flush()', async () => {
      const ctx = await bed.start({ proxyUrl: server.url });
      const snapshot = makeSnapshot({ collectionPrefix: 'eu01' });
      ctx.events.sdkInit(snapshot, { settingsFetchTime: 8, sdkInitTime: 18 });
      ctx.events.impressions(snapshot, TWO_RULES, user);
      expect(ctx.events.trackEvent(snapshot, 'purchase', user, { amount: 49.99 })).toBe(true);
      ctx.events.setAttributes(snapshot, { plan_type: 'premium', age: 25, beta: true }, user);
      expect(server.requests).toHaveLength(0);

      await expect(ctx.events.flush()).resolves.toEqual({ status: 'success', events: 5 });
      expect(server.requests).toHaveLength(1);
      const [req] = server.requests;
      expect(req.method).toBe('POST');
      expect(req.path).toBe('/eu01/server-side/batch-events-v2');
      expect(req.rawQuery).toBe(BATCH_QUERY);
      expect(req.headers.authorization).toBe(SDK_KEY);
      expect(req.headers['content-type']).toBe('application/json');
      expect(Number(req.headers['content-length'])).toBe(Buffer.byteLength(req.body));
      expect(req.headers['user-agent']).toBeUndefined();
      expect(req.headers['x-device-user-agent']).toBeUndefined();

      const ev = batchedEnvelopes([req]);
      expect(ev.map((e) => e.d.event.name)).toEqual([
        'vwo_fmeSdkInit', 'vwo_variationShown', 'vwo_variationShown', 'purchase', 'vwo_syncVisitorProp',
      ]);
      const [init, imp1, imp2, track, sync] = ev.map((e) => e.d);
      expectEnvelopeBase(init, 'vwo_fmeSdkInit', getUUID(`${ACCOUNT_ID}_${SDK_KEY}`, ACCOUNT_ID), '', '');
      expect(init.event.props).toMatchObject({ product: 'fme', vwo_fs_environment: SDK_KEY, data: { isSDKInitialized: true, settingsFetchTime: 8, sdkInitTime: 18 } });
      expectEnvelopeBase(imp1, 'vwo_variationShown', VIS, UA, IP);
      expect(imp1.event.props).toMatchObject({ id: 11, variation: 1, isFirst: 1 });
      expect(imp1.visitor.props).toEqual({ vwo_fs_environment: SDK_KEY, ip: IP });
      expect(imp2.event.props).toMatchObject({ id: 12, variation: 2, isFirst: 1 });
      expectEnvelopeBase(track, 'purchase', VIS, UA, IP);
      expect(track.event.props).toMatchObject({ isCustomEvent: true, variation: 1, id: 1, amount: 49.99 });
      expectEnvelopeBase(sync, 'vwo_syncVisitorProp', VIS, UA, IP);
      expect(sync.visitor.props).toEqual({ vwo_fs_environment: SDK_KEY, plan_type: 'premium', age: 25, beta: true });
    });

    it('sends on the timer without flush(), and at once when a batch is full', async () => {
      const ctx = await bed.start({ proxyUrl: server.url, batchEventData: { eventsPerRequest: 2, requestTimeInterval: 0.1 } });
      const snapshot = makeSnapshot();
      const decision = makeDecision([{ campaignId: 1, variationId: 1, featureId: 1 }]);
      // The batch timer is the subject: it runs on a fake clock, while I/O and setImmediate stay real.
      jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'clearImmediate', 'queueMicrotask', 'hrtime', 'performance'] });
      try {
        ctx.events.impressions(snapshot, decision, { id: 'a' });
        ctx.events.impressions(snapshot, decision, { id: 'b' });
        await server.waitFor((r) => r.length === 1); // a full batch leaves at once, with no timer
        expect(batchedEnvelopes(server.requests)).toHaveLength(2);
        // The timer was armed by the first queued event: "c" leaves 100 ms after "a" was queued, not after "c".
        jest.advanceTimersByTime(40);
        ctx.events.impressions(snapshot, decision, { id: 'c' });
        jest.advanceTimersByTime(59);
        expect(ctx.events.stats.queued).toBe(1);
        jest.advanceTimersByTime(1);
        expect(ctx.events.stats.queued).toBe(0);
        await server.waitFor((r) => r.length === 2);
        expect(batchedEnvelopes([server.requests[1]]).map((e) => e.d.visId)).toEqual([getUUID('c', ACCOUNT_ID)]);
      } finally {
        jest.useRealTimers();
      }
    });

    it('calls flushCallback with null and the payload on success, the error on failure', async () => {
      const calls: Array<{ err: Error | null; count: number }> = [];
      const ctx = await bed.start({
        proxyUrl: server.url,
        retryConfig: { shouldRetry: false },
        batchEventData: { flushCallback: (err, payload) => calls.push({ err, count: payload.ev.length }) },
      });
      const snapshot = makeSnapshot();
      ctx.events.trackEvent(snapshot, 'purchase', { id: 'a' });
      await ctx.events.flush();
      server.sequence('/server-side/batch-events-v2', [500]);
      ctx.events.trackEvent(snapshot, 'purchase', { id: 'b' });
      ctx.events.trackEvent(snapshot, 'purchase', { id: 'c' });
      await expect(ctx.events.flush()).resolves.toEqual({ status: 'failed', events: 2 });
      expect(calls.map((c) => [c.err === null, c.count])).toEqual([[true, 1], [false, 2]]);
      expect(calls[1].err!.message).toContain('500');
      // the failed events stayed queued and go with the next flush
      await expect(ctx.events.flush()).resolves.toEqual({ status: 'success', events: 2 });
    });

    it('reports an empty flush', async () => {
      const ctx = await bed.start({ proxyUrl: server.url });
      await expect(ctx.events.flush()).resolves.toEqual({ status: 'empty', events: 0 });
      expect(server.requests).toHaveLength(0);
    });
  });

  describe('batching disabled', () => {
    it('sends the impressions of one decision as one batch request, other events alone to /events/t', async () => {
      const ctx = await bed.start({ proxyUrl: server.url, isBatchingDisabled: true });
      const snapshot = makeSnapshot({ collectionPrefix: 'eu01' });
      ctx.events.impressions(snapshot, TWO_RULES, user);
      ctx.events.trackEvent(snapshot, 'purchase', user, { amount: 1 });
      ctx.events.setAttributes(snapshot, { plan: 'pro' }, { id: 'user-123' });
      ctx.events.sdkInit(snapshot);
      await expect(ctx.events.flush()).resolves.toEqual({ status: 'success', events: 5 });
      expect(server.requests).toHaveLength(4);

      const batch = server.requestsTo('/batch-events-v2');
      expect(batch).toHaveLength(1);
      expect(batch[0].path).toBe('/eu01/server-side/batch-events-v2');
      expect(batch[0].rawQuery).toBe(BATCH_QUERY);
      expect(batchedEnvelopes(batch).map((e) => e.d.event.props.id)).toEqual([11, 12]);

      const singles = server.requestsTo('/events/t');
      expect(singles.map((r) => r.path)).toEqual(['/eu01/events/t', '/eu01/events/t', '/eu01/events/t']);
      const byName = new Map(singles.map((r) => [r.query.get('en'), r]));

      const track = byName.get('purchase')!;
      expectSingleQuery(track, 'purchase', UA, IP);
      expect(track.headers['x-device-user-agent']).toBe(UA);
      expect(track.headers['vwo-x-forwarded-for']).toBe(IP);
      expect(track.headers['content-type']).toBe('application/json');
      expect(track.headers.authorization).toBeUndefined();
      expectEnvelopeBase((track.json as any).d, 'purchase', VIS, UA, IP);

      const sync = byName.get('vwo_syncVisitorProp')!;
      expectSingleQuery(sync, 'vwo_syncVisitorProp', '', '');
      expect(sync.headers['x-device-user-agent']).toBeUndefined();
      expect(sync.headers['vwo-x-forwarded-for']).toBeUndefined();
      expect((sync.json as any).d.visitor.props).toEqual({ vwo_fs_environment: SDK_KEY, plan: 'pro' });

      const init = byName.get('vwo_fmeSdkInit')!;
      expectSingleQuery(init, 'vwo_fmeSdkInit', '', '');
      expect(init.rawQuery).toContain('&visitor_ua=&visitor_ip=&');
      expect(init.headers['x-device-user-agent']).toBeUndefined();
    });
  });

  describe('gateway service', () => {
    it('sends every impression alone to /events/t without the collection prefix, never batched', async () => {
      const ctx = await bed.start({
        gatewayService: { url: server.url },
        batchEventData: { eventsPerRequest: 50 },
      });
      const snapshot = makeSnapshot({ collectionPrefix: 'eu01' });
      ctx.events.impressions(snapshot, TWO_RULES, user);
      await ctx.events.flush();
      expect(server.requests.map((r) => r.path)).toEqual(['/events/t', '/events/t']);
      for (const req of server.requests) {
        expectSingleQuery(req, 'vwo_variationShown', UA, IP);
        expect(req.headers['x-device-user-agent']).toBe(UA);
        expect(req.headers['vwo-x-forwarded-for']).toBe(IP);
      }
      expect(server.requests.map((r) => (r.json as any).d.event.props.id).sort()).toEqual([11, 12]);
      expect(ctx.logger.at('info').join('\n')).toContain('gatewayService');
    });
  });

  describe('what is not sent', () => {
    it('trackEvent of an unknown metric returns false, logs why and sends nothing', async () => {
      const ctx = await bed.start({ proxyUrl: server.url, isBatchingDisabled: true });
      expect(ctx.events.trackEvent(makeSnapshot(), 'nope', user)).toBe(false);
      expect(ctx.events.trackEvent(makeSnapshot(), 'purchase', { id: '' })).toBe(false);
      expect(ctx.events.trackEvent(makeSnapshot(), 'purchase', user, [] as never)).toBe(false);
      await ctx.events.flush();
      expect(server.requests).toHaveLength(0);
      const errors = ctx.logger.at('error').join('\n');
      expect(errors).toContain("Event:nope not found in any of the features' metrics");
      expect(errors).toContain('context.id is required');
      expect(errors).toContain('plain object');
    });

    it('rejects empty or badly typed attributes', async () => {
      const ctx = await bed.start({ proxyUrl: server.url, isBatchingDisabled: true });
      ctx.events.setAttributes(makeSnapshot(), {}, user);
      ctx.events.setAttributes(makeSnapshot(), { a: { nested: 1 } } as never, user);
      await ctx.events.flush();
      expect(server.requests).toHaveLength(0);
      expect(ctx.logger.at('error')).toHaveLength(2);
    });

    it('sends vwo_fmeSdkInit once, and not when settings say wasInitializedEarlier', async () => {
      const ctx = await bed.start({ proxyUrl: server.url, isBatchingDisabled: true });
      ctx.events.sdkInit(makeSnapshot({ raw: { sdkMetaInfo: { wasInitializedEarlier: true } } }));
      await ctx.events.flush();
      expect(server.requests).toHaveLength(0);
      ctx.events.sdkInit(makeSnapshot());
      ctx.events.sdkInit(makeSnapshot());
      await ctx.events.flush();
      expect(server.requests.map((r) => r.query.get('en'))).toEqual(['vwo_fmeSdkInit']);
    });

    it('sends vwo_feTrackUsage for an MAU account when no impression fired, except in dev mode', async () => {
      const ctx = await bed.start({ proxyUrl: server.url });
      const devMode = makeSnapshot({ devMode: true, isMAU: true });
      ctx.events.impressions(devMode, makeDecision([]), { id: 'u', isDevMode: true });
      ctx.events.impressions(makeSnapshot(), makeDecision([]), { id: 'u' });
      await expect(ctx.events.flush()).resolves.toEqual({ status: 'empty', events: 0 });
      ctx.events.impressions(makeSnapshot({ isMAU: true }), makeDecision([]), user);
      await ctx.events.flush();
      const [usage] = batchedEnvelopes(server.requests);
      expectEnvelopeBase(usage.d, 'vwo_feTrackUsage', VIS, UA, IP);
      expect(usage.d.event.props).toEqual({ vwo_sdkName: 'nestjs-vwo', vwo_sdkVersion: SDK_INFO.version, vwo_envKey: SDK_KEY });
    });

    it('sends in dev mode what the engine kept (the "user is in a holdout" impression), without filtering again', async () => {
      const ctx = await bed.start({ proxyUrl: server.url });
      const inHoldout = makeDecision([{ campaignId: 77, variationId: 1, featureId: 5, isHoldout: true }]);
      ctx.events.impressions(makeSnapshot({ devMode: true, isMAU: true }), inHoldout, { ...user, isDevMode: true });
      await expect(ctx.events.flush()).resolves.toEqual({ status: 'success', events: 1 });
      const [shown] = batchedEnvelopes(server.requests);
      expect(shown.d.event.name).toBe('vwo_variationShown');
      expect(shown.d.event.props).toMatchObject({ id: 77, variation: 1, isFirst: 1, fId: 5 });
    });

    it('sends nothing without an sdkKey (offline), and flush and shutdown still answer', async () => {
      const ctx = await bed.start({ proxyUrl: server.url, sdkKey: undefined });
      ctx.events.impressions(makeSnapshot(), makeDecision([{ campaignId: 1, variationId: 1, featureId: 1 }]), user);
      ctx.events.impressions(makeSnapshot({ isMAU: true }), makeDecision([]), user);
      ctx.events.sdkInit(makeSnapshot());
      ctx.events.setAttributes(makeSnapshot(), { plan: 'pro' }, user);
      expect(ctx.events.trackEvent(makeSnapshot(), 'purchase', user)).toBe(false);
      await expect(ctx.events.flush()).resolves.toEqual({ status: 'empty', events: 0 });
      await expect(ctx.events.beforeApplicationShutdown()).resolves.toBeUndefined();
      expect(server.requests).toHaveLength(0);
      expect(ctx.events.stats).toMatchObject({ queued: 0, droppedEvents: 0, sentEvents: 0 });
      expect(ctx.logger.at('warn')).toEqual([]);
      expect(ctx.logger.at('error')).toEqual([]);
    });

    it('drops the oldest events past maxQueueSize, counts them and warns', async () => {
      const ctx = await bed.start({ proxyUrl: server.url, maxQueueSize: 3, batchEventData: { eventsPerRequest: 100 } });
      for (const id of ['a', 'b', 'c', 'd', 'e']) ctx.events.trackEvent(makeSnapshot(), 'purchase', { id });
      expect(ctx.events.stats).toMatchObject({ queued: 3, droppedEvents: 2 });
      await ctx.events.flush();
      expect(batchedEnvelopes(server.requests).map((e) => e.d.visId)).toEqual(['c', 'd', 'e'].map((id) => getUUID(id, ACCOUNT_ID)));
      expect(ctx.logger.at('warn')[0]).toMatch(/Dropped 1 VWO event\(s\) because the queue is full \(maxQueueSize 3\)/);
    });
  });
});
