import { Flag } from './flag';
import type { Decision } from './types';

function decision(variables: Array<{ key: string; value: unknown }>, indexed = true): Decision {
  const vars = variables.map((v, i) => ({ value: v.value, type: 'string', key: v.key, id: i + 1 }));
  const index = new Map<string, unknown>();
  for (const v of vars) if (!index.has(v.key)) index.set(v.key, v.value);
  return {
    featureKey: 'f',
    enabled: true,
    variables: vars,
    reason: 'ROLLOUT',
    writes: [],
    impressions: [],
    variableIndex: indexed ? index : undefined,
    variationName: 'v1',
    variationId: 1,
  };
}

describe('Flag (docs/decisions.md)', () => {
  it.each([true, false])('getVariable returns falsy values as-is and the default only for missing/undefined (indexed=%p)', (indexed) => {
    const f = new Flag(
      decision(
        [
          { key: 'zero', value: 0 },
          { key: 'empty', value: '' },
          { key: 'no', value: false },
          { key: 'nil', value: null },
          { key: 'undef', value: undefined },
          { key: 'dup', value: 'first' },
          { key: 'dup', value: 'second' },
        ],
        indexed,
      ),
    );
    expect(f.getVariable('zero', 5)).toBe(0);
    expect(f.getVariable('empty', 'x')).toBe('');
    expect(f.getVariable('no', true)).toBe(false);
    expect(f.getVariable('nil', 'x')).toBeNull();
    expect(f.getVariable('undef', 'dflt')).toBe('dflt');
    expect(f.getVariable('missing', 'dflt')).toBe('dflt');
    expect(f.getVariable('missing')).toBeUndefined();
    expect(f.getVariable('dup')).toBe('first');
  });

  it('exposes the decision details', () => {
    const f = new Flag(decision([{ key: 'a', value: 1 }]));
    expect(f.isEnabled()).toBe(true);
    expect(f.featureKey).toBe('f');
    expect(f.reason).toBe('ROLLOUT');
    expect(f.variationName).toBe('v1');
    expect(f.variationId).toBe(1);
    expect(f.getVariables()).toEqual([{ value: 1, type: 'string', key: 'a', id: 1 }]);
    expect(f.toJSON()).toMatchObject({ featureKey: 'f', enabled: true, reason: 'ROLLOUT' });
  });

  it('Flag.disabled has no variables', () => {
    const f = Flag.disabled('f', 'SETTINGS_NOT_READY', 'not yet');
    expect(f.isEnabled()).toBe(false);
    expect(f.getVariables()).toEqual([]);
    expect(f.getVariable('x', 3)).toBe(3);
    expect(f.message).toBe('not yet');
  });
});

describe('Flag.getUUID / getSessionId', () => {
  const ACCOUNT = '123456';
  const TIME = 1_700_000_000_123;
  const flagFor = (context: Record<string, unknown>, accountId: string | number = ACCOUNT): Flag =>
    new Flag(decision([]), { context: context as never, accountId, time: TIME });

  it("is VWO's UUIDv5 chain of the user id in the account (known vectors)", () => {
    expect(flagFor({ id: 'user-123' }).getUUID()).toBe('CC25A368ADA0542699EAD62489811105');
    expect(flagFor({ id: 'user-1' }, 123456).getUUID()).toBe('D8E56BFF89A75539B46C1FECD3C97D7C');
    expect(flagFor({ id: 7 }).getUUID()).toBe(flagFor({ id: '7' }).getUUID());
  });

  it('passes a web-testing visitor id through verbatim, and nothing that merely looks like one', () => {
    const web = 'D' + 'a1'.repeat(16);
    expect(flagFor({ id: web }).getUUID()).toBe(web);
    expect(flagFor({ id: 'J' + 'F'.repeat(32) }).getUUID()).toBe('J' + 'F'.repeat(32));
    expect(flagFor({ id: 'X' + 'F'.repeat(32) }).getUUID()).toMatch(/^[0-9A-F]{32}$/);
    expect(flagFor({ id: 'X' + 'F'.repeat(32) }).getUUID()).not.toBe('X' + 'F'.repeat(32));
    expect(flagFor({ id: 'D' + 'F'.repeat(31) }).getUUID()).not.toBe('D' + 'F'.repeat(31));
  });

  it('returns context.uuid when given (even over a web id)', () => {
    expect(flagFor({ id: 'user-123', uuid: 'MY-UUID' }).getUUID()).toBe('MY-UUID');
    expect(flagFor({ id: 'D' + 'a1'.repeat(16), uuid: 'MY-UUID' }).getUUID()).toBe('MY-UUID');
    expect(flagFor({ id: 'user-123', uuid: '' }).getUUID()).toBe('CC25A368ADA0542699EAD62489811105');
  });

  it('is null without a user, and the same value on every call', () => {
    expect(Flag.disabled('f', 'INVALID_CONTEXT').getUUID()).toBeNull();
    const flag = flagFor({ id: 'user-123' });
    expect(flag.getUUID()).toBe(flag.getUUID());
  });

  it('gives context.sessionId when truthy, else the seconds (rounded up) of the decision time', () => {
    expect(flagFor({ id: 'u', sessionId: 1_600_000_000 }).getSessionId()).toBe(1_600_000_000);
    expect(flagFor({ id: 'u' }).getSessionId()).toBe(1_700_000_001);
    expect(flagFor({ id: 'u', sessionId: 0 }).getSessionId()).toBe(1_700_000_001);
    expect(new Flag(decision([]), { context: { id: 'u' }, accountId: ACCOUNT, time: 1_700_000_000_000 }).getSessionId()).toBe(1_700_000_000);
  });

  it('gives a flag with no decision time one stable session id of about now', () => {
    const before = Math.ceil(Date.now() / 1000);
    const flag = Flag.disabled('f', 'SETTINGS_NOT_READY');
    const first = flag.getSessionId();
    expect(first).toBeGreaterThanOrEqual(before);
    expect(first).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000));
    expect(flag.getSessionId()).toBe(first);
  });
});
