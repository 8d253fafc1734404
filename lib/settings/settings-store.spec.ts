import type { VWOLogger } from '../logger/vwo-logger.interface';
import { SettingsBuilder } from '../testing/settings-builder';
import { SettingsStore, type SettingsSource } from './settings-store';

/** Pauses at every step of an apply, so that what runs between steps does not depend on the machine's speed. */
class SteppingStore extends SettingsStore {
  protected override readonly sliceMs = 0;
}

const silent: VWOLogger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

function settingsText(version: number, features = 3): string {
  const builder = new SettingsBuilder({ version });
  for (let i = 0; i < features; i++) builder.feature(`f${i}`, (f) => f.rollout({ variables: { v: version } }).metric(`m${i}`));
  return JSON.stringify(builder.build());
}

/** Versions of the snapshot seen by a setImmediate chain (what a request served meanwhile would see) until stopped. */
function watchVersions(store: SettingsStore): { seen: unknown[]; stop: () => void } {
  const seen: unknown[] = [];
  let running = true;
  const tick = (): void => {
    if (!running) return;
    seen.push(store.snapshot?.version);
    setImmediate(tick);
  };
  setImmediate(tick);
  return { seen, stop: () => void (running = false) };
}

describe('SettingsStore', () => {
  it('serves the previous snapshot while a large document is parsed and compiled in slices, then swaps it whole', async () => {
    const store = new SteppingStore(silent);
    await store.submit({ text: settingsText(1) }, 'fetch');
    const swaps: unknown[] = [];
    store.onUpdate((snapshot) => swaps.push(snapshot.version));

    const watch = watchVersions(store);
    const outcome = await store.submit({ text: settingsText(2, 2000) }, 'fetch');
    watch.stop();

    expect(outcome.result).toBe('updated');
    // Other callbacks ran between the slices, and every one of them was served by the old snapshot.
    expect(watch.seen.length).toBeGreaterThan(1);
    expect(new Set(watch.seen)).toEqual(new Set([1]));
    expect(store.snapshot?.version).toBe(2);
    expect(store.snapshot?.featureKeys).toHaveLength(2000);
    expect(swaps).toEqual([2]);
  });

  it('runs one apply at a time; a document waiting its turn is replaced by a newer one', async () => {
    const store = new SteppingStore(silent);
    const swaps: unknown[] = [];
    store.onUpdate((snapshot, source) => swaps.push(`${String(snapshot.version)} ${source}`));
    const watch = watchVersions(store);

    const first = store.submit({ text: settingsText(1, 500) }, 'fetch');
    const second = store.submit({ document: JSON.parse(settingsText(2)) }, 'update');
    const third = store.submit({ document: JSON.parse(settingsText(3, 500)) }, 'update');
    const outcomes = await Promise.all([first, second, third]);
    watch.stop();

    expect(outcomes.map((o) => o.result)).toEqual(['updated', 'updated', 'updated']);
    // The second never ran: its caller learns the newer one's result, without a document of its own.
    expect(outcomes[1]!.document).toBeUndefined();
    expect(outcomes[2]!.document).toBe(store.snapshot?.raw);
    expect(swaps).toEqual(['1 fetch', '3 update']);
    // No interleaving: meanwhile the snapshot went from none to 1 to 3, never through 2 and never back.
    expect(watch.seen).not.toContain(2);
    expect([...new Set(watch.seen)]).toEqual([undefined, 1, 3].filter((v) => watch.seen.includes(v)));
    expect(store.snapshot?.version).toBe(3);
  });

  it('two quick updateSettings-style applies: the last one wins and both callers wait for it', async () => {
    const store = new SteppingStore(silent);
    await store.apply(JSON.parse(settingsText(1)), 'option');
    const results = await Promise.all([store.apply(JSON.parse(settingsText(2, 300)), 'update'), store.apply(JSON.parse(settingsText(3, 300)), 'update')]);
    expect(results).toEqual(['updated', 'updated']);
    expect(store.snapshot?.version).toBe(3);
  });

  it('recognises the text in use without parsing it again, and applies other text', async () => {
    const store = new SteppingStore(silent);
    const swaps: SettingsSource[] = [];
    store.onUpdate((_, source) => swaps.push(source));
    const text = settingsText(1);
    expect((await store.submit({ text }, 'fetch')).result).toBe('updated');
    const changedAt = store.lastChangedAt;
    const again = await store.submit({ text: `${text}` }, 'fetch');
    expect(again).toEqual({ result: 'unchanged', document: store.snapshot?.raw });
    expect(store.lastChangedAt).toBe(changedAt);
    expect((await store.submit({ text: settingsText(2) }, 'fetch')).result).toBe('updated');
    expect(swaps).toEqual(['fetch', 'fetch']);
  });

  it('text that is not JSON, or a document that fails validation, is invalid and the previous snapshot stays', async () => {
    const store = new SteppingStore(silent);
    await store.submit({ text: settingsText(1) }, 'fetch');
    expect(await store.submit({ text: '{"version": 2, "features": [' }, 'fetch')).toEqual({ result: 'invalid' });
    expect(store.lastFetchError).toMatch(/not valid JSON/);
    expect(await store.apply({ ...JSON.parse(settingsText(3)), campaigns: 'not-an-array' }, 'update')).toBe('invalid');
    expect(store.lastFetchError).toMatch(/campaigns/);
    expect(store.snapshot?.version).toBe(1);
  });

  it('a cached document is stale, when its turn comes, if a document fetched later was applied first', async () => {
    const store = new SteppingStore(silent);
    const fetched = store.submit({ text: settingsText(2, 300) }, 'fetch', 2_000);
    const cached = store.submit({ document: JSON.parse(settingsText(1)) }, 'cache', 1_000);
    await fetched;
    expect(await cached).toEqual({ result: 'unchanged' });
    expect(store.snapshot?.version).toBe(2);
    // A newer cached document (another replica fetched it later) is applied.
    expect((await store.submit({ document: JSON.parse(settingsText(3)) }, 'cache', 3_000)).result).toBe('updated');
    expect(store.snapshot?.version).toBe(3);
  });

  it('ready resolves with the first valid settings', async () => {
    const store = new SteppingStore(silent);
    let ready = false;
    void store.ready.then(() => (ready = true));
    await store.apply({ version: 1, campaigns: 'nope' }, 'update');
    await Promise.resolve();
    expect(ready).toBe(false);
    await store.apply(JSON.parse(settingsText(1)), 'update');
    await store.ready;
    expect(store.isReady()).toBe(true);
  });
});
