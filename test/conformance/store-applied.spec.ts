/**
 * The corpus' getFlag cases decided on snapshots applied the way the module applies them (response text through
 * SettingsStore: parsed, checked and compiled in slices) give exactly the decisions of a snapshot compiled in
 * one go, which getflag.spec.ts holds to the corpus' expectations.
 */
import type { SettingsSnapshot } from '../../lib/engine';
import type { VWOLogger } from '../../lib/logger/vwo-logger.interface';
import { SettingsStore } from '../../lib/settings/settings-store';
import { MapStorage, getFlag, loadEngine } from './support/engine-harness';
import { corpus, getFlagCases } from './support/getflag-corpus';

const engine = loadEngine();
const silent: VWOLogger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const groups = ['GETFLAG_WITHOUT_STORAGE', 'GETFLAG_MEG_RANDOM', 'GETFLAG_MEG_ADVANCE', 'GETFLAG_WITH_STORAGE'];

async function storeApplied(name: string): Promise<SettingsSnapshot> {
  const store = new SettingsStore(silent);
  const { result } = await store.submit({ text: JSON.stringify(corpus[name]) }, 'fetch', Date.now());
  expect(result).toBe('updated');
  return store.snapshot!;
}

describe('getFlag corpus on store-applied snapshots', () => {
  for (const group of groups) {
    it(`${group}: every case decides as on a snapshot compiled in one go`, async () => {
      const cases = getFlagCases[group];
      const applied = new Map<string, SettingsSnapshot>();
      for (const c of cases) {
        if (!applied.has(c.settings)) applied.set(c.settings, await storeApplied(c.settings));
        const oneGo = engine.compileSettings(corpus[c.settings]);
        const storage = group === 'GETFLAG_WITH_STORAGE' ? [new MapStorage(), new MapStorage()] : [undefined, undefined];
        for (let call = 0; call < 2; call++) {
          const ours = getFlag(engine, applied.get(c.settings)!, c.featureKey, structuredClone(c.context), storage[0]);
          const reference = getFlag(engine, oneGo, c.featureKey, structuredClone(c.context), storage[1]);
          expect(ours.decision).toEqual(reference.decision);
        }
      }
    });
  }
});
