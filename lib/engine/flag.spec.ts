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

describe('Flag (spec §5)', () => {
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
