/**
 * `sdkMeta` (the SDK name/version VWO sees) and `isDevelopmentMode` (settings fetched without `s=prod`),
 * against the loopback fake VWO.
 */
import { validateVWOOptions } from '../../lib/options/validate-options';
import { SDK_INFO } from '../../lib/sdk-info';
import { batchedEnvelopes } from '../events/support/events-test-kit';
import { fakeVwoBed } from '../support/fake-vwo-bed';

describe('sdkMeta and isDevelopmentMode options', () => {
  const bed = fakeVwoBed();
  const settingsQueries = (): URLSearchParams[] => bed.server.requestsTo('/server-side/v2-settings').map((r) => r.query);

  it('sends the sdkMeta name and version in the settings request, the event URLs and the event bodies', async () => {
    const { vwo } = await bed.start({ sdkMeta: { _vwo_sdkName: 'acme-wrapper', _vwo_sdkVersion: '9.8.7' } });
    await vwo.getFlag('new-checkout', { id: 'sdk-meta-user' });
    await vwo.flushEvents();

    expect(settingsQueries().map((q) => [q.get('sn'), q.get('sv')])).toContainEqual(['acme-wrapper', '9.8.7']);
    const batches = bed.server.requestsTo('/server-side/batch-events-v2');
    expect(batches.length).toBeGreaterThan(0);
    for (const batch of batches) expect([batch.query.get('sn'), batch.query.get('sv')]).toEqual(['acme-wrapper', '9.8.7']);
    const props = batchedEnvelopes(batches).map((e) => e.d.event.props as Record<string, unknown>);
    expect(props.map((p) => p.vwo_sdkName)).toContain('acme-wrapper');
    for (const p of props) expect([p.vwo_sdkName, p.vwo_sdkVersion]).toEqual(['acme-wrapper', '9.8.7']);
  });

  it("accepts VWO's older _wingify_ spellings, and keeps this package's values for what is not overridden", async () => {
    await bed.start({ sdkMeta: { _wingify_sdkName: 'old-wrapper' } });
    expect(settingsQueries().map((q) => [q.get('sn'), q.get('sv')])).toContainEqual(['old-wrapper', SDK_INFO.version]);
  });

  it('fetches settings with s=prod by default and without it in development mode', async () => {
    await bed.start({});
    expect(settingsQueries()[0].get('s')).toBe('prod');
    await bed.closeApp();
    bed.server.requests.length = 0;
    await bed.start({ isDevelopmentMode: true });
    expect(settingsQueries().length).toBeGreaterThan(0);
    for (const q of settingsQueries()) expect(q.has('s')).toBe(false);
  });

  it('rejects malformed values with a message naming the option', () => {
    const base = { sdkKey: 'k', accountId: 1 };
    expect(() => validateVWOOptions({ ...base, sdkMeta: { _vwo_sdkName: '' } })).toThrow(/sdkMeta\._vwo_sdkName: must be a non-empty string/);
    expect(() => validateVWOOptions({ ...base, sdkMeta: { _vwo_sdkVersion: 3 } })).toThrow(/sdkMeta\._vwo_sdkVersion: must be a non-empty string/);
    expect(() => validateVWOOptions({ ...base, isDevelopmentMode: 'yes' })).toThrow(/isDevelopmentMode: must be true or false/);
  });
});
