import { firstValueFrom } from 'rxjs';
import { createMicroserviceApp, type MicroserviceTestApp } from './support/microservice-app';
import { expectedWhoAmI, MANY_USERS, waitFor } from './support/transport-test-kit';

/** What a denied client's `send` errors with. */
const CHECKOUT_DENIED = { status: 'error', code: 'FEATURE_DISABLED', featureKey: 'checkout', message: 'Feature "checkout" is not enabled' };

describe('@FeatureFlag on microservices (@nestjs/microservices over TCP on 127.0.0.1)', () => {
  describe('default user: the payload’s userId', () => {
    let t: MicroserviceTestApp;

    beforeAll(async () => {
      t = await createMicroserviceApp();
    });
    afterAll(() => t.close());
    beforeEach(() => t.logs.clear());

    it('answers a gated message pattern for the flag’s users, with @FlagVariable', async () => {
      await expect(firstValueFrom(t.client.send('checkout', { userId: 'alice', order: 1 }))).resolves.toEqual({ accepted: 1, layout: 'v2' });
    });

    it('denies with an RpcException the client receives as is, logged at debug only', async () => {
      await expect(firstValueFrom(t.client.send('checkout', { userId: 'bob', order: 2 }))).rejects.toEqual(CHECKOUT_DENIED);
      expect(t.logs.of('error')).toEqual([]);
      expect(t.logs.of('debug')).toContain('@FeatureFlag("checkout") denied rpc OrdersController.checkout: the flag is disabled (NO_RULE_MATCHED)');
    });

    it('fails closed without a user', async () => {
      await expect(firstValueFrom(t.client.send('checkout', { order: 3 }))).rejects.toEqual(CHECKOUT_DENIED);
      await expect(firstValueFrom(t.client.send('checkout', { userId: '', order: 3 }))).rejects.toEqual(CHECKOUT_DENIED);
      await expect(firstValueFrom(t.client.send('checkout', 'no object'))).rejects.toEqual(CHECKOUT_DENIED);
    });

    it('honours @SkipFeatureFlag', async () => {
      await expect(firstValueFrom(t.client.send('ping', {}))).resolves.toBe('pong');
    });

    it('gates event patterns: allowed events reach the handler, denied ones never do', async () => {
      t.client.emit('order_placed', { userId: 'bob', order: 10 });
      t.client.emit('order_placed', { order: 11 });
      t.client.emit('order_placed', { userId: 'ann', order: 12 });
      await waitFor(() => t.controller.placed.some((event) => event.order === 12), 'the allowed event');
      await waitFor(() => t.logs.of('debug').filter((line) => line.includes('OrdersController.orderPlaced')).length === 2, 'both denials');
      expect(t.controller.placed).toEqual([{ userId: 'ann', order: 12 }]);
      expect(t.logs.of('error')).toEqual([]);
    });

    it('makes the message’s user current in the handler: 40 parallel messages, no mix-ups', async () => {
      const answers = await Promise.all(MANY_USERS.map((userId) => firstValueFrom(t.client.send('whoami', { userId }))));
      expect(answers).toEqual(MANY_USERS.map(expectedWhoAmI));
    });
  });

  describe('rpcUserIdField: a nested field', () => {
    let t: MicroserviceTestApp;

    beforeAll(async () => {
      t = await createMicroserviceApp({ rpcUserIdField: 'user.id' });
    });
    afterAll(() => t.close());

    it('reads the user there, and no longer from userId', async () => {
      await expect(firstValueFrom(t.client.send('checkout', { user: { id: 'ann' }, order: 4 }))).resolves.toEqual({ accepted: 4, layout: 'v2' });
      await expect(firstValueFrom(t.client.send('checkout', { userId: 'ann', order: 5 }))).rejects.toEqual(CHECKOUT_DENIED);
    });
  });

  describe('flagDisabled.exception', () => {
    let t: MicroserviceTestApp;

    beforeAll(async () => {
      const { RpcException } = await import('@nestjs/microservices');
      t = await createMicroserviceApp({ flagDisabled: { exception: (key) => new RpcException({ denied: key }) } });
    });
    afterAll(() => t.close());

    it('replaces the native denial', async () => {
      await expect(firstValueFrom(t.client.send('checkout', { userId: 'bob', order: 6 }))).rejects.toEqual({ denied: 'checkout' });
    });
  });
});
