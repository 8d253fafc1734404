import { Agent } from 'node:http';
import type { ExecutionContext, INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { VWOUserContext } from '../../lib/engine/types';
import { VWOService } from '../../lib/vwo.service';
import { ADAPTERS, createHttpTestApp, type AdapterName } from './support/http-test-app';

const USER = 'x-vwo-user-id';

describe.each(ADAPTERS)('@FeatureFlag on %s', (adapter: AdapterName) => {
  describe('with the default user context', () => {
    let app: INestApplication;
    let getFlag: jest.SpyInstance;

    beforeAll(async () => {
      app = await createHttpTestApp(adapter);
      getFlag = jest.spyOn(app.get(VWOService), 'getFlag');
    });
    afterAll(() => app.close());
    beforeEach(() => getFlag.mockClear());

    const http = () => request(app.getHttpServer());

    it('gates every handler of a controller on its flag', async () => {
      await http().get('/checkout').set(USER, 'alice').expect(200, { page: 'checkout' });
      await http().get('/checkout').set(USER, 'bob').expect(404);
    });

    it("answers a denial like Nest's unknown route (the route is hidden)", async () => {
      const denied = await http().get('/checkout').set(USER, 'bob').expect(404);
      const unknown = await http().get('/no-such-route').expect(404);
      expect(denied.body).toEqual({ ...unknown.body, message: 'Cannot GET /checkout' });
    });

    it("lets a handler's flag override the controller's", async () => {
      await http().get('/checkout/beta').set(USER, 'bob').expect(200, { page: 'beta' });
      await http().get('/checkout/beta').set(USER, 'alice').expect(404);
    });

    it('exempts a @SkipFeatureFlag handler', async () => {
      await http().get('/checkout/help').expect(200, { page: 'help' });
      expect(getFlag).not.toHaveBeenCalled();
    });

    it('gates a single handler of an ungated controller', async () => {
      await http().get('/pages/off').set(USER, 'alice').expect(404);
      await http().get('/pages/open').expect(200);
    });

    it('throws the custom exception of the decorator', async () => {
      const res = await http().get('/pages/teapot').set(USER, 'alice').expect(418);
      expect(res.body.message).toBe('off is off');
    });

    it("gates on a variable's value", async () => {
      await http().get('/pages/layout-v2').set(USER, 'alice').expect(200, { page: 'v2' });
      await http().get('/pages/layout-v3').set(USER, 'alice').expect(404);
      await http().get('/pages/layout-v2').set(USER, 'bob').expect(404);
    });

    it('fails closed without a user, without evaluating', async () => {
      await http().get('/checkout').expect(404);
      await http().get('/checkout').set(USER, '').expect(404);
      expect(getFlag).not.toHaveBeenCalled();
    });

    it('injects the flag and its variables, evaluating the flag once per request', async () => {
      const res = await http().get('/checkout/details').set(USER, 'ann').set('user-agent', 'e2e/1.0').expect(200);
      expect(res.body).toEqual({
        enabled: true,
        variables: [
          { id: 1, key: 'layout', type: 'string', value: 'v2' },
          { id: 2, key: 'title', type: 'string', value: 'New checkout' },
        ],
        layout: 'v2',
        missing: 'fallback',
      });
      // The guard, @Flag and two @FlagVariable asked for "checkout": one decision.
      expect(getFlag).toHaveBeenCalledTimes(1);
      expect(getFlag.mock.calls[0][1]).toEqual({ id: 'ann', userAgent: 'e2e/1.0', ipAddress: expect.stringMatching(/127\.0\.0\.1/) });
    });

    it('injects defaults when the flag is off, on a route without a guard', async () => {
      await http().get('/pages/open').set(USER, 'bob').expect(200, { enabled: false, title: 'Old checkout' });
      await http().get('/pages/open').set(USER, 'alice').expect(200, { enabled: true, title: 'New checkout' });
      expect(getFlag).toHaveBeenCalledTimes(2);
    });

    it("gives VWOService calls without a context the guarded request's user", async () => {
      const [alice, ann] = await Promise.all([
        http().get('/checkout/service').set(USER, 'alice'),
        http().get('/checkout/service').set(USER, 'ann'),
      ]);
      expect([alice.status, ann.status]).toEqual([200, 200]);
      expect(alice.body).toEqual({ checkout: true, pro: false });
      const users = getFlag.mock.calls.filter(([, ctx]) => ctx === undefined).length;
      expect(users).toBe(4);
    });

    it('never hands a request the user of an earlier request on the same connection', async () => {
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      try {
        const url = await app.getUrl();
        await request(url).get('/checkout/service').set(USER, 'alice').agent(agent).expect(200, { checkout: true, pro: false });
        await request(url).get('/pages/open-service').agent(agent).expect(200, { checkout: false });
      } finally {
        agent.destroy();
      }
    });
  });

  describe('with propagateContext: false', () => {
    let app: INestApplication;

    beforeAll(async () => {
      app = await createHttpTestApp(adapter, { interceptor: true, vwo: { propagateContext: false } });
    });
    afterAll(() => app.close());

    const http = () => request(app.getHttpServer());

    it('still gates routes and injects flags', async () => {
      await http().get('/checkout').set(USER, 'alice').expect(200, { page: 'checkout' });
      await http().get('/checkout').set(USER, 'bob').expect(404);
      await http().get('/pages/open').set(USER, 'alice').expect(200, { enabled: true, title: 'New checkout' });
    });

    it('gives VWOService calls without a context no user, in guarded routes and through the interceptor', async () => {
      await http().get('/checkout/service').set(USER, 'alice').expect(200, { checkout: false, pro: false });
      await http().get('/pages/open-service').set(USER, 'alice').expect(200, { checkout: false });
    });
  });

  describe('with a custom user context factory and the context interceptor', () => {
    let app: INestApplication;
    let getFlag: jest.SpyInstance;
    const factory = jest.fn(async (ctx: ExecutionContext): Promise<VWOUserContext | undefined> => {
      const headers = ctx.switchToHttp().getRequest<{ headers: Record<string, string | undefined> }>().headers;
      await new Promise((resolve) => setImmediate(resolve));
      const id = headers['x-account'];
      return id ? { id, customVariables: { plan: headers['x-plan'] } } : undefined;
    });

    beforeAll(async () => {
      app = await createHttpTestApp(adapter, { vwo: { userContext: factory }, interceptor: true });
      getFlag = jest.spyOn(app.get(VWOService), 'getFlag');
    });
    afterAll(() => app.close());
    beforeEach(() => {
      factory.mockClear();
      getFlag.mockClear();
    });

    const http = () => request(app.getHttpServer());

    it('builds the user with the factory (custom variables reach segmentation)', async () => {
      // Distinct ids: decisions are sticky per user (storage), whatever the plan says later.
      await http().get('/pages/pro').set('x-account', 'acme').set('x-plan', 'pro').expect(200, { quota: 100 });
      await http().get('/pages/pro').set('x-account', 'globex').set('x-plan', 'free').expect(404);
      await http().get('/pages/pro').set(USER, 'alice').expect(404);
      expect(factory).toHaveBeenCalledTimes(3);
    });

    it('runs the factory once per request, shared by the guard, the decorators and VWOService', async () => {
      await http().get('/checkout/service').set('x-account', 'alice').set('x-plan', 'pro').expect(200, { checkout: true, pro: true });
      expect(factory).toHaveBeenCalledTimes(1);
      await http().get('/checkout/details').set('x-account', 'alice').expect(200);
      expect(factory).toHaveBeenCalledTimes(2);
    });

    it('gives VWOService the user in routes without a guard (through the interceptor)', async () => {
      await http().get('/pages/open-service').set('x-account', 'alice').expect(200, { checkout: true });
      await http().get('/pages/open-service').set('x-account', 'bob').expect(200, { checkout: false });
      expect(factory).toHaveBeenCalledTimes(2);
    });

    it('does not build a user for routes that ask for no flag', async () => {
      await http().get('/checkout/help').set('x-account', 'alice').expect(200);
      expect(factory).not.toHaveBeenCalled();
    });
  });
});
