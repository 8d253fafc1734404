import {
  cachedFlag,
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

  it('evaluates a flag once per state and feature key', async () => {
    const state = requestState({});
    const evaluate = jest.fn(async () => 'flag');
    await Promise.all([cachedFlag(state, 'a', evaluate), cachedFlag(state, 'a', evaluate)]);
    await cachedFlag(state, 'b', evaluate);
    expect(evaluate).toHaveBeenCalledTimes(2);
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

  it('stops answering once the state is closed with its response', async () => {
    let close: () => void = () => undefined;
    const state = requestState({});
    state.userContext = Promise.resolve({ id: 'u1' });
    await runInRequestState({ flags: new Map() }, async () => {
      enterRequestState(state, (closeFn) => (close = closeFn));
      expect(await currentUserContext()).toEqual({ id: 'u1' });
      close();
      expect(currentUserContext()).toBeUndefined();
    });
  });

  it('keeps concurrent states apart', async () => {
    const states = ['a', 'b'].map((id) => ({ userContext: Promise.resolve({ id }), flags: new Map() }));
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
