import {
  cachedFlag,
  cacheFlag,
  currentUserContext,
  enterRequestState,
  requestState,
  requestStateOf,
  runInRequestState,
  runWithUserContext,
  userContextOf,
} from '../../lib/context/request-context';
import { defaultUserContext } from '../../lib/context/default-user-context';

describe('request context', () => {
  it('keys one state to one request object', () => {
    const req = {};
    const state = requestState(req);
    expect(requestState(req)).toBe(state);
    expect(requestStateOf(req)).toBe(state);
    expect(requestState({})).not.toBe(state);
    expect(requestState(undefined)).not.toBe(requestState(undefined));
  });

  it('carries the state on the request without showing it in its keys or JSON', () => {
    const req = { id: 1 };
    const state = requestState(req);
    expect(Object.keys(req)).toEqual(['id']);
    expect(JSON.stringify(req)).toBe('{"id":1}');
    expect(requestState(req)).toBe(state);
  });

  it('keys a state to a frozen request too', () => {
    const req = Object.freeze({});
    const state = requestState(req);
    expect(requestState(req)).toBe(state);
    expect(requestStateOf(req)).toBe(state);
    expect(requestStateOf(Object.freeze({}))).toBeUndefined();
  });

  it('answers synchronously when the resolver is synchronous, and says "none" once', () => {
    const withUser = requestState({});
    withUser.resolveUserContext = jest.fn(() => ({ id: 'u1' }));
    expect(userContextOf(withUser)).toEqual({ id: 'u1' });
    const without = requestState({});
    const resolve = jest.fn(() => undefined);
    without.resolveUserContext = resolve;
    expect(userContextOf(without)).toBeUndefined();
    expect(userContextOf(without)).toBeUndefined();
    expect(resolve).toHaveBeenCalledTimes(1);
  });

  it('replaces a settled async user by its value', async () => {
    const state = requestState({});
    state.resolveUserContext = async () => ({ id: 'u2' });
    const pending = userContextOf(state);
    expect(pending).toBeInstanceOf(Promise);
    await expect(pending).resolves.toEqual({ id: 'u2' });
    expect(state.user).toEqual({ id: 'u2' });
    expect(userContextOf(state)).toEqual({ id: 'u2' });
  });

  it('resolves the user lazily, once, and shares the promise', async () => {
    const resolve = jest.fn(async () => ({ id: 'u1' }));
    const state = requestState({});
    state.resolveUserContext = resolve;
    expect(resolve).not.toHaveBeenCalled();
    const [a, b] = await Promise.all([userContextOf(state), userContextOf(state)]);
    expect(a).toEqual({ id: 'u1' });
    expect(b).toBe(a);
    expect(resolve).toHaveBeenCalledTimes(1);
  });

  it('turns a synchronous throw of the resolver into a rejection', async () => {
    const state = requestState({});
    state.resolveUserContext = () => {
      throw new Error('boom');
    };
    await expect(userContextOf(state)).rejects.toThrow('boom');
  });

  it('keeps a flag per state and feature key', async () => {
    const state = requestState({});
    expect(cachedFlag(state, 'a')).toBeUndefined();
    const flag = Promise.resolve('flag-a');
    expect(cacheFlag(state, 'a', flag)).toBe(flag);
    expect(cachedFlag(state, 'a')).toBe(flag);
    expect(cachedFlag(state, 'b')).toBeUndefined();
    expect(cachedFlag(requestState({}), 'a')).toBeUndefined();
  });

  it('exposes the current user only inside run, across awaits and timers', async () => {
    expect(currentUserContext()).toBeUndefined();
    const seen = await runWithUserContext({ id: 'job-user' }, async () => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      return currentUserContext();
    });
    expect(seen).toEqual({ id: 'job-user' });
    expect(currentUserContext()).toBeUndefined();
  });

  it('stops answering once its response has ended or was destroyed', async () => {
    expect.assertions(4); // two per ending, both inside the callback
    for (const end of ['writableEnded', 'destroyed'] as const) {
      const response = { writableEnded: false, destroyed: false };
      const state = requestState({});
      state.user = { id: 'u1' };
      await runInRequestState({}, async () => {
        enterRequestState(state, response);
        expect(await currentUserContext()).toEqual({ id: 'u1' });
        response[end] = true;
        expect(currentUserContext()).toBeUndefined();
      });
    }
  });

  it('keeps concurrent states apart', async () => {
    const states = ['a', 'b'].map((id) => ({ user: { id } }));
    const seen = await Promise.all(
      states.map((state, i) =>
        runInRequestState(state, async () => {
          await new Promise((resolve) => setTimeout(resolve, 5 - i * 4));
          return (await currentUserContext())?.id;
        }),
      ),
    );
    expect(seen).toEqual(['a', 'b']);
  });
});

describe('defaultUserContext', () => {
  const header = 'x-vwo-user-id';

  it('reads request.user.id first, then the header, with user agent and IP', () => {
    const headers = { [header]: 'from-header', 'user-agent': 'UA/1' };
    expect(defaultUserContext({ headers, user: { id: 42 }, ip: '10.0.0.1' }, header)).toEqual({ id: 42, userAgent: 'UA/1', ipAddress: '10.0.0.1' });
    expect(defaultUserContext({ headers, user: null, socket: { remoteAddress: '::1' } }, header)).toEqual({
      id: 'from-header',
      userAgent: 'UA/1',
      ipAddress: '::1',
    });
  });

  it('matches the header name case-insensitively and takes the first of repeated headers', () => {
    expect(defaultUserContext({ headers: { 'x-user': ['first', 'second'] } }, 'X-User')).toEqual({ id: 'first' });
  });

  it('has no user without an id', () => {
    expect(defaultUserContext({ headers: { [header]: '' }, user: { id: '' } }, header)).toBeUndefined();
    expect(defaultUserContext({ headers: {} }, header)).toBeUndefined();
    expect(defaultUserContext(undefined, header)).toBeUndefined();
  });
});
