import type { Socket } from 'socket.io-client';
import { createWebSocketApp, type WebSocketTestApp } from './support/websocket-app';
import { expectedWhoAmI, MANY_USERS } from './support/transport-test-kit';

/** What a denied client receives, in its ack and as the `exception` event. */
const CHECKOUT_DENIED = { status: 'error', code: 'FEATURE_DISABLED', featureKey: 'checkout', message: 'Feature "checkout" is not enabled' };
const ACK_TIMEOUT_MS = 5_000;

function ask(socket: Socket, event: string, data: unknown): Promise<unknown> {
  return socket.timeout(ACK_TIMEOUT_MS).emitWithAck(event, data);
}

function next(socket: Socket, event: string): Promise<unknown> {
  return new Promise((resolve) => socket.once(event, resolve));
}

describe('@FeatureFlag on WebSockets (@nestjs/websockets with socket.io)', () => {
  describe('default user: the connection', () => {
    let t: WebSocketTestApp;

    beforeAll(async () => {
      t = await createWebSocketApp();
    });
    afterAll(() => t.close());
    beforeEach(() => t.logs.clear());

    it('answers a gated message’s ack for a user from the handshake header, with @FlagVariable', async () => {
      const socket = await t.connect({ userId: 'alice' });
      await expect(ask(socket, 'checkout', { order: 1 })).resolves.toEqual({ accepted: 1, layout: 'v2' });
    });

    it('reads the user auth middleware put in socket.data', async () => {
      const socket = await t.connect({ token: 'token-ann' });
      await expect(ask(socket, 'checkout', { order: 2 })).resolves.toEqual({ accepted: 2, layout: 'v2' });
    });

    it('denies with a WsException: the ack answered and the exception event sent, logged at debug only', async () => {
      const socket = await t.connect({ userId: 'bob' });
      const exception = next(socket, 'exception');
      await expect(ask(socket, 'checkout', { order: 3 })).resolves.toEqual(CHECKOUT_DENIED);
      await expect(exception).resolves.toEqual(CHECKOUT_DENIED);
      expect(t.logs.of('error')).toEqual([]);
      expect(t.logs.of('debug')).toContain('@FeatureFlag("checkout") denied ws CheckoutGateway.checkout: the flag is disabled (NO_RULE_MATCHED)');
    });

    it('denies a message sent without an ack with the exception event alone', async () => {
      const denied = await t.connect({ userId: 'bob' });
      const exception = next(denied, 'exception');
      denied.emit('checkout:event', { order: 4 });
      await expect(exception).resolves.toEqual(CHECKOUT_DENIED);
      const allowed = await t.connect({ userId: 'ann' });
      const done = next(allowed, 'checkout:done');
      allowed.emit('checkout:event', { order: 5 });
      await expect(done).resolves.toEqual({ accepted: 5 });
    });

    it('fails closed without a user, and never takes the user from the message', async () => {
      const socket = await t.connect();
      await expect(ask(socket, 'checkout', { order: 6 })).resolves.toEqual(CHECKOUT_DENIED);
      await expect(ask(socket, 'checkout', { order: 7, userId: 'alice' })).resolves.toEqual(CHECKOUT_DENIED);
      const impostor = await t.connect({ userId: 'bob' });
      await expect(ask(impostor, 'checkout', { order: 8, userId: 'alice' })).resolves.toEqual(CHECKOUT_DENIED);
    });

    it('honours @SkipFeatureFlag', async () => {
      const socket = await t.connect();
      await expect(ask(socket, 'ping', {})).resolves.toBe('pong');
    });

    it('makes the connection’s user current in the handler: 40 parallel messages, no mix-ups', async () => {
      const sockets = await Promise.all(MANY_USERS.map((userId) => t.connect({ userId })));
      const answers = await Promise.all(sockets.map((socket) => ask(socket, 'whoami', {})));
      expect(answers).toEqual(MANY_USERS.map(expectedWhoAmI));
    });
  });

  describe('wsUserIdField: the app opts in to a user chosen by the message', () => {
    let t: WebSocketTestApp;

    beforeAll(async () => {
      t = await createWebSocketApp({ wsUserIdField: 'userId' });
    });
    afterAll(() => t.close());

    it('reads the message’s field when the connection has no authenticated user', async () => {
      const socket = await t.connect();
      await expect(ask(socket, 'checkout', { order: 9, userId: 'alice' })).resolves.toEqual({ accepted: 9, layout: 'v2' });
      await expect(ask(socket, 'checkout', { order: 10, userId: 'bob' })).resolves.toEqual(CHECKOUT_DENIED);
    });

    it('still prefers the authenticated user', async () => {
      const socket = await t.connect({ token: 'token-bob' });
      await expect(ask(socket, 'checkout', { order: 11, userId: 'alice' })).resolves.toEqual(CHECKOUT_DENIED);
    });
  });
});
