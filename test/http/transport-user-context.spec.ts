import 'reflect-metadata';
import { Controller, Get } from '@nestjs/common';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import { defaultUserContextOf, defaultUserSources } from '../../lib/context/transport-user-context';
import { rpcUserContext } from '../../lib/context/rpc-user-context';
import { wsUserContext } from '../../lib/context/ws-user-context';
import { validateVWOOptions } from '../../lib/options/validate-options';

const HEADER = 'x-vwo-user-id';
const USER_ID = ['userId'];

describe('rpcUserContext: payload field, then transport metadata', () => {
  it('reads the payload field (a path), with string or finite number ids', () => {
    expect(rpcUserContext({ userId: 'alice' }, {}, USER_ID, HEADER)).toEqual({ id: 'alice' });
    expect(rpcUserContext({ user: { id: 7 } }, {}, ['user', 'id'], HEADER)).toEqual({ id: 7 });
    for (const data of [{ userId: '' }, { userId: Number.NaN }, { userId: { id: 'x' } }, { userId: true }, 'alice', null, undefined]) {
      expect(rpcUserContext(data, {}, USER_ID, HEADER)).toBeUndefined();
    }
  });

  it('ignores the payload when the field is off', () => {
    expect(rpcUserContext({ userId: 'alice' }, {}, undefined, HEADER)).toBeUndefined();
  });

  it('falls back to each transport’s metadata, header names compared without case', () => {
    const nats = { getHeaders: () => ({ get: (key: string, match?: number) => (key === HEADER && match === 2 ? 'nats-user' : '') }) };
    const rmq = { getMessage: () => ({ properties: { headers: { 'X-VWO-User-Id': 'rmq-user' } } }) };
    const kafka = { getMessage: () => ({ headers: { [HEADER]: Buffer.from('kafka-user') } }) };
    const mqtt = { getPacket: () => ({ properties: { userProperties: { [HEADER]: ['mqtt-user', 'second'] } } }) };
    // @grpc/grpc-js's Metadata: get(key) answers a list of values.
    const grpc = { get: (key: string) => (key === HEADER ? ['grpc-user'] : []), getMap: () => ({}) };
    expect([nats, rmq, kafka, mqtt, grpc].map((context) => rpcUserContext({}, context, USER_ID, HEADER))).toEqual([
      { id: 'nats-user' },
      { id: 'rmq-user' },
      { id: 'kafka-user' },
      { id: 'mqtt-user' },
      { id: 'grpc-user' },
    ]);
    expect(rpcUserContext({ userId: 'payload-user' }, rmq, USER_ID, HEADER)).toEqual({ id: 'payload-user' });
  });

  it('finds nothing in transports without metadata (TCP, Redis) or without the header', () => {
    const tcp = { getSocketRef: () => ({}), getPattern: () => 'orders' };
    const natsWithout = { getHeaders: () => undefined };
    const rmqWithout = { getMessage: () => ({ properties: {} }) };
    for (const context of [tcp, natsWithout, rmqWithout, undefined, 'x']) expect(rpcUserContext({}, context, USER_ID, HEADER)).toBeUndefined();
  });
});

describe('wsUserContext: the connection, the message only when opted in', () => {
  const handshake = (userId?: string) => ({ headers: { ...(userId ? { [HEADER]: userId } : {}), 'user-agent': 'UA/1' }, address: '10.0.0.9' });

  it('prefers the authenticated user (socket.data.user, socket.user, socket.request.user) over the handshake header', () => {
    expect(wsUserContext({ data: { user: { id: 'a' } }, user: { id: 'b' }, handshake: handshake('h') }, {}, undefined, HEADER)).toEqual({
      id: 'a',
      userAgent: 'UA/1',
      ipAddress: '10.0.0.9',
    });
    expect(wsUserContext({ data: {}, user: { id: 'b' }, handshake: handshake('h') }, {}, undefined, HEADER)?.id).toBe('b');
    expect(wsUserContext({ request: { user: { id: 'c' } }, handshake: handshake('h') }, {}, undefined, HEADER)?.id).toBe('c');
    expect(wsUserContext({ data: { user: null }, handshake: handshake('h') }, {}, undefined, HEADER)?.id).toBe('h');
  });

  it('never reads the message unless a field is opted in, and then after the authenticated user', () => {
    expect(wsUserContext({ handshake: handshake() }, { userId: 'm' }, undefined, HEADER)).toBeUndefined();
    expect(wsUserContext({ handshake: handshake() }, { userId: 'm' }, USER_ID, HEADER)?.id).toBe('m');
    expect(wsUserContext({ handshake: handshake('h') }, { userId: 'm' }, USER_ID, HEADER)?.id).toBe('m');
    expect(wsUserContext({ data: { user: { id: 'a' } } }, { userId: 'm' }, USER_ID, HEADER)?.id).toBe('a');
  });

  it('finds nothing on clients without identity (e.g. a plain ws client)', () => {
    expect(wsUserContext({}, { userId: 'm' }, undefined, HEADER)).toBeUndefined();
    expect(wsUserContext(undefined, {}, undefined, HEADER)).toBeUndefined();
  });
});

describe('defaultUserContextOf: one reader per context type', () => {
  @Controller()
  class AnyHandler {
    @Get() handle(): void {}
  }

  function context(type: string, args: unknown[]): ExecutionContextHost {
    const ctx = new ExecutionContextHost(args, AnyHandler, AnyHandler.prototype.handle);
    ctx.setType(type);
    return ctx;
  }

  it('reads the request on HTTP and GraphQL, the message on RPC, the connection on WebSockets', () => {
    const sources = defaultUserSources({}, HEADER);
    const request = { headers: { [HEADER]: 'req-user' } };
    expect(defaultUserContextOf(context('http', [request]), request, sources)).toEqual({ id: 'req-user' });
    expect(defaultUserContextOf(context('graphql', [{}, {}, { req: request }, {}]), request, sources)).toEqual({ id: 'req-user' });
    expect(defaultUserContextOf(context('rpc', [{ userId: 'msg-user' }, {}]), undefined, sources)).toEqual({ id: 'msg-user' });
    expect(defaultUserContextOf(context('ws', [{ data: { user: { id: 'sock-user' } } }, { userId: 'm' }]), undefined, sources)).toEqual({ id: 'sock-user' });
  });

  it('follows the options: header case, rpc field (or none), ws opt-in', () => {
    const sources = defaultUserSources({ userIdHeader: 'X-User', rpcUserIdField: false, wsUserIdField: 'who.id' }, HEADER);
    expect(sources).toEqual({ userIdHeader: 'x-user', rpcUserIdPath: undefined, wsUserIdPath: ['who', 'id'] });
    expect(defaultUserContextOf(context('rpc', [{ userId: 'x' }, {}]), undefined, sources)).toBeUndefined();
    expect(defaultUserContextOf(context('ws', [{}, { who: { id: 'w' } }]), undefined, sources)).toEqual({ id: 'w' });
  });
});

describe('options rpcUserIdField and wsUserIdField', () => {
  const base = { sdkKey: 'key', accountId: 1 };

  it('accept a field path, or false for rpcUserIdField', () => {
    expect(() => validateVWOOptions({ ...base, rpcUserIdField: 'user.id', wsUserIdField: 'userId' })).not.toThrow();
    expect(() => validateVWOOptions({ ...base, rpcUserIdField: false })).not.toThrow();
  });

  it('refuse anything else, naming the option', () => {
    expect(() => validateVWOOptions({ ...base, rpcUserIdField: 42 })).toThrow(/rpcUserIdField: must be a payload field/);
    expect(() => validateVWOOptions({ ...base, rpcUserIdField: true })).toThrow(/rpcUserIdField: must be a payload field/);
    expect(() => validateVWOOptions({ ...base, wsUserIdField: '' })).toThrow(/wsUserIdField: must be a message field/);
    expect(() => validateVWOOptions({ ...base, wsUserIdField: false })).toThrow(/wsUserIdField: must be a message field/);
  });
});
