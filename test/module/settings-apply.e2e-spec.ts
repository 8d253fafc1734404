import { SettingsStore } from '../../lib/settings/settings-store';
import { FakeVwoServer } from '../support/fake-vwo-server';
import { bootVWO, BootedApp, fakeServerOptions } from './helpers/boot';
import { shopSettings } from './helpers/shop-settings.fixture';

/** Pauses at every step of an apply, so that what runs between steps does not depend on the machine's speed. */
class SteppingStore extends SettingsStore {
  protected override readonly sliceMs = 0;
}

const silent = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

/** The shop document with many more features (and their campaigns) behind it. */
function largeShopSettings(version: number, headline: string, extraFeatures: number): Record<string, any> {
  const doc = shopSettings({ version, headline }) as Record<string, any>;
  const [feature] = doc.features;
  const campaign = doc.campaigns[0];
  for (let i = 0; i < extraFeatures; i++) {
    const id = 10_000 + i;
    doc.campaigns.push({ ...structuredClone(campaign), id, key: `filler-${i}_rollout` });
    doc.features.push({ ...structuredClone(feature), id, key: `filler-${i}`, rules: [{ ...feature.rules[0], campaignId: id, ruleKey: 'rollout' }] });
  }
  return doc;
}

describe('applying a large settings document in a running module', () => {
  let server: FakeVwoServer;
  let booted: BootedApp | undefined;

  beforeEach(async () => {
    server = await new FakeVwoServer().start();
    server.settings = shopSettings({ headline: 'before' });
  });

  afterEach(async () => {
    await booted?.app.close();
    booted = undefined;
    await server.stop();
  });

  it('getFlag is answered from the old settings while the new document is applied, then from the new ones', async () => {
    const store = new SteppingStore(silent);
    booted = await bootVWO(fakeServerOptions(server.url), [{ provide: SettingsStore, useValue: store }]);
    const vwo = booted.vwo;
    const headline = async () => (await vwo.getFlag('new-checkout', { id: 'user-1' })).getVariable('headline', 'none');
    expect(await headline()).toBe('before');

    let applying = false;
    const submit = store.submit.bind(store);
    jest.spyOn(store, 'submit').mockImplementation((input, source, fetchedAt) => {
      applying = true;
      return submit(input, source, fetchedAt);
    });
    server.settings = largeShopSettings(2, 'after', 1500);
    let done = false;
    const update = vwo.updateSettings(undefined, false).finally(() => (done = true));

    const servedWhileApplying: unknown[] = [];
    while (!done) {
      // Each request arrives as its own event-loop task, as one from a socket does.
      await new Promise((resolve) => setImmediate(resolve));
      const answer = await headline();
      if (applying && !done) servedWhileApplying.push(answer);
    }
    expect(await update).toBe(true);
    expect(servedWhileApplying.length).toBeGreaterThan(0);
    expect(new Set(servedWhileApplying)).toEqual(new Set(['before']));
    expect(await headline()).toBe('after');
    expect(vwo.getSnapshot()?.featureKeys).toContain('filler-1499');
  });
});
