/**
 * VWO's getFlag conformance corpus (vwo-fme-sdk-e2e-test-settings-n-cases) run through the pure engine:
 * every GETFLAG_* case, with the corpus' variable expectations (defaults for disabled flags) and, for
 * GETFLAG_WITH_STORAGE, the stored records (docs/decisions.md).
 */
import { MapStorage, getFlag, loadEngine } from './support/engine-harness';
import { corpus, getFlagCases, type GetFlagCase } from './support/getflag-corpus';

const engine = loadEngine();
const snapshots = new Map<string, ReturnType<typeof engine.compileSettings>>();
function snapshotOf(name: string) {
  let s = snapshots.get(name);
  if (!s) {
    s = engine.compileSettings(corpus[name]);
    snapshots.set(name, s);
  }
  return s;
}

function expectFlag(flag: InstanceType<typeof engine.Flag>, e: GetFlagCase['expectation']): void {
  expect(flag.isEnabled()).toBe(e.isEnabled);
  expect(flag.getVariables()).toEqual(
    e.isEnabled
      ? [
          { value: e.intVariable, type: 'integer', key: 'int', id: 1 },
          { value: e.floatVariable, type: 'double', key: 'float', id: 2 },
          { value: e.stringVariable, type: 'string', key: 'string', id: 3 },
          { value: e.booleanVariable, type: 'boolean', key: 'boolean', id: 4 },
          { value: e.jsonVariable, type: 'json', key: 'json', id: 5 },
        ]
      : [],
  );
  // The corpus' defaults stand in for the expected values of disabled flags.
  expect(flag.getVariable('int', 1)).toBe(e.isEnabled ? e.intVariable : 1);
  expect(flag.getVariable('string', 'VWO')).toBe(e.isEnabled ? e.stringVariable : 'VWO');
  expect(flag.getVariable('float', 1.1)).toBe(e.isEnabled ? e.floatVariable : 1.1);
  expect(flag.getVariable('boolean', false)).toBe(e.isEnabled ? e.booleanVariable : false);
  expect(flag.getVariable('json', {})).toEqual(e.isEnabled ? e.jsonVariable : {});
  // JSON key order of each variable, as VWO's VariableModel serialises.
  for (const v of flag.getVariables()) expect(Object.keys(v)).toEqual(['value', 'type', 'key', 'id']);
}

describe('getFlag corpus through decide()', () => {
  for (const group of ['GETFLAG_WITHOUT_STORAGE', 'GETFLAG_MEG_RANDOM', 'GETFLAG_MEG_ADVANCE']) {
    describe(group, () => {
      for (const c of getFlagCases[group]) {
        it(c.description, () => {
          const { flag, decision } = getFlag(engine, snapshotOf(c.settings), c.featureKey, c.context);
          expectFlag(flag, c.expectation);
          expect(decision.variables).toEqual(c.expectation.isEnabled ? flag.getVariables() : []);
        });
      }
    });
  }

  describe('GETFLAG_WITH_STORAGE', () => {
    for (const c of getFlagCases.GETFLAG_WITH_STORAGE) {
      it(c.description, () => {
        // Each case has its own storage (VWO's e2e test shares one; its cases use distinct users, so nothing changes).
        const storage = new MapStorage();
        const snapshot = snapshotOf(c.settings);
        const before = storage.get(c.featureKey, c.context.id);
        expect(before?.rolloutKey).toBeUndefined();
        expect(before?.experimentKey).toBeUndefined();

        const first = getFlag(engine, snapshot, c.featureKey, c.context, storage);
        expectFlag(first.flag, c.expectation);

        const stored = storage.get(c.featureKey, c.context.id);
        const want = c.expectation.storageData ?? {};
        expect(stored?.rolloutKey).toEqual(want.rolloutKey);
        expect(stored?.rolloutVariationId).toEqual(want.rolloutVariationId);
        expect(stored?.experimentKey).toEqual(want.experimentKey);
        expect(stored?.experimentVariationId).toEqual(want.experimentVariationId);

        // The second call is served from what was stored (or re-evaluated identically) and returns the same flag.
        const second = getFlag(engine, snapshot, c.featureKey, c.context, storage);
        expectFlag(second.flag, c.expectation);
        const reason = want.experimentKey ? 'STORED_EXPERIMENT' : want.rolloutKey ? 'STORED_ROLLOUT' : first.decision.reason;
        expect(second.decision.reason).toBe(reason);
        // Nothing is sent again for a stored decision; a re-evaluated one sends what the first call sent.
        expect(second.decision.impressions).toEqual(reason.startsWith('STORED_') ? [] : first.decision.impressions);
        // A stored experiment skips the integrations callback (as an unknown feature does); a stored rollout
        // (experiments re-evaluated, none passing here) calls it without the stored rollout's ids (docs/events.md).
        expect(second.decision.integration === undefined).toBe(reason === 'STORED_EXPERIMENT' || reason === 'FEATURE_NOT_FOUND');
        expect(second.decision.integration ?? {}).not.toHaveProperty('rolloutId');
      });
    }

    it('the corpus exercises both stored kinds and a decision that stores nothing', () => {
      const kinds = new Set(
        getFlagCases.GETFLAG_WITH_STORAGE.map((c) => (c.expectation.storageData?.experimentKey ? 'experiment' : c.expectation.storageData?.rolloutKey ? 'rollout' : 'none')),
      );
      expect([...kinds].sort()).toEqual(['experiment', 'none', 'rollout']);
    });

    it('writes the exact records VWO writes (docs/decisions.md)', () => {
      const s = new MapStorage();
      const snapshot = snapshotOf('ROLLOUT_TESTING_PRE_SEGMENT_RULE_SETTINGS');
      getFlag(engine, snapshot, 'feature1', { id: 'user_id_8', customVariables: { price: 200 } }, s);
      expect(s.get('feature1', 'user_id_8')).toEqual({
        featureKey: 'feature1',
        featureId: 1,
        userId: 'user_id_8',
        rolloutId: 1,
        rolloutKey: 'feature1_rolloutRule1',
        rolloutVariationId: 2,
        experimentId: 3,
        experimentKey: 'feature1_testingRule2',
        experimentVariationId: 2,
        notInHoldoutId: [],
      });
      getFlag(engine, snapshot, 'feature1', { id: 'user_id_6' }, s);
      expect(s.get('feature1', 'user_id_6')).toEqual({ featureKey: 'feature1', userId: 'user_id_6', notInHoldoutId: [] });
      expect(Object.keys(s.get('feature1', 'user_id_8')!)).toEqual([
        'featureKey',
        'featureId',
        'userId',
        'rolloutId',
        'rolloutKey',
        'rolloutVariationId',
        'experimentId',
        'experimentKey',
        'experimentVariationId',
        'notInHoldoutId',
      ]);
    });

    it('writes nothing for an unknown feature and keeps returning defaults', () => {
      const s = new MapStorage();
      const { flag, decision } = getFlag(engine, snapshotOf('NO_ROLLOUT_ONLY_TESTING_RULE_SETTINGS'), 'nope', { id: 'u' }, s);
      expect(flag.isEnabled()).toBe(false);
      expect(decision.reason).toBe('FEATURE_NOT_FOUND');
      expect(decision.writes).toEqual([]);
      expect(s.map.size).toBe(0);
    });
  });

  describe('GETFLAG_WITH_SALT', () => {
    for (const c of getFlagCases.GETFLAG_WITH_SALT as any[]) {
      it(c.description, () => {
        const snapshot = snapshotOf(c.settings);
        const same = (c.context.id as string[]).map((id) => {
          const a = getFlag(engine, snapshot, c.featureKey, { id }).flag;
          const b = getFlag(engine, snapshot, c.featureKey_2, { id }).flag;
          expect(a.isEnabled()).toBe(true);
          expect(b.isEnabled()).toBe(true);
          return JSON.stringify(a.getVariables()) === JSON.stringify(b.getVariables());
        });
        expect(same.every(Boolean)).toBe(!!c.expectation.shouldReturnSameVariation);
      });
    }
  });
});

describe('corpus settings documents', () => {
  it('rejects SettingsWithWrongTypeForValues, naming the field', () => {
    expect.assertions(4);
    expect(() => engine.compileSettings(corpus.SETTINGS_WITH_WRONG_TYPE_FOR_VALUES)).toThrow(engine.SettingsValidationError);
    try {
      engine.compileSettings(corpus.SETTINGS_WITH_WRONG_TYPE_FOR_VALUES);
    } catch (e) {
      const err = e as InstanceType<typeof engine.SettingsValidationError>;
      expect(err.path).toMatch(/^(sdkKey|accountId|campaigns\[\d+\]\.segments)$/);
      expect(err.message).toContain(err.path);
      expect(err.message).toMatch(/expected/);
    }
  });

  it('accepts extra keys at the root and inside objects', () => {
    expect(() => engine.compileSettings(corpus.SETTINGS_WITH_EXTRA_KEYS_AT_ROOT_LEVEL)).not.toThrow();
    expect(() => engine.compileSettings(corpus.SETTINGS_WITH_EXTRA_KEYS_INSIDE_OBJECTS)).not.toThrow();
  });

  it('accepts SettingsWithNoFeatureAndCampign only once normalised', () => {
    expect(() => engine.compileSettings(corpus.SETTINGS_WITH_NO_FEATURE_AND_CAMPAIGN)).toThrow(engine.SettingsValidationError);
    const snap = engine.compileSettings(corpus.SETTINGS_WITH_NO_FEATURE_AND_CAMPAIGN, { normalize: true });
    expect(snap.featureKeys).toEqual([]);
    // normalisation does not touch the document
    expect(corpus.SETTINGS_WITH_NO_FEATURE_AND_CAMPAIGN.features).toEqual({});
  });
});
