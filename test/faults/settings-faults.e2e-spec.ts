import { SettingsPoller } from '../../lib/settings/settings-poller';
import { VWO_SETTINGS_RECOVERY } from '../../lib/settings/settings-recovery';
import { SettingsStore } from '../../lib/settings/settings-store';
import type { VWOModuleOptions } from '../../lib/options/vwo-module-options.interface';
import { fakeVwoBed } from '../support/fake-vwo-bed';
import { shopSettings } from '../module/helpers/shop-settings.fixture';
import { EVENTUALLY_MS, waitUntil } from '../module/helpers/wait-until';

const SDK_KEY = 'test-sdk-key-0123456789abcdef';
const FAST_RECOVERY = { provide: VWO_SETTINGS_RECOVERY, useValue: { retryBaseMs: 100 } };
const SETTINGS_PATH = '/server-side/v2-settings';
const WRONG_SHAPE = { version: 2, accountId: 123456, campaigns: 'not-an-array' };

describe('settings faults', () => {
  const bed = fakeVwoBed();
  const { headline } = bed;
  const options = (extra: VWOModuleOptions = {}) =>
    bed.options({ pollInterval: 600_000, logger: { level: 'DEBUG', transport: bed.log }, ...extra });

  it('wrong-shape JSON at boot is a failed fetch: the field is named, and it is retried on the failure back-off', async () => {
    bed.server.on(SETTINGS_PATH, { body: WRONG_SHAPE });
    const booted = await bed.boot(options(), [FAST_RECOVERY]);
    expect(booted.vwo.isReady()).toBe(false);
    expect(bed.log.matching(/^Settings are not valid \(.*campaigns.*retrying in 100 ms/, 'ERROR')).toHaveLength(1);
    // On the failure back-off (100 ms, 200 ms, … while it keeps failing), far below the poll interval.
    expect(booted.app.get(SettingsPoller).currentIntervalMs).toBeLessThan(5000);
    bed.server.reset();
    // The poll interval is 10 minutes: only the failure back-off explains this.
    expect(await booted.vwo.whenReady(EVENTUALLY_MS)).toBe(true);
    expect(await headline(booted)).toBe('from VWO');
    expect(booted.app.get(SettingsPoller).currentIntervalMs).toBe(600_000);
  });

  it('wrong-shape JSON after good settings keeps the last good ones', async () => {
    const booted = await bed.boot(options(), [FAST_RECOVERY]);
    bed.server.on(SETTINGS_PATH, { body: WRONG_SHAPE });
    expect(await booted.vwo.updateSettings(undefined, false)).toBe(false);
    expect(await headline(booted)).toBe('from VWO');
    expect(booted.app.get(SettingsStore).lastFetchError).toMatch(/campaigns/);
    expect(bed.log.matching(/^Settings are not valid \(.*campaigns.*keeping the last good settings/, 'ERROR')).toHaveLength(1);
  });

  it('"No settings after N ms" states the time really waited', async () => {
    bed.server.on(SETTINGS_PATH, { hang: true });
    const booted = await bed.boot(options({ waitForSettings: 400, settingsTimeout: 5000 }));
    const [line] = bed.log.matching(/^No settings after (\d+) ms/, 'ERROR');
    const waited = Number(/after (\d+) ms/.exec(line!.message)![1]);
    // Node's timer clock is the event loop's cached time: by Date.now() a 400 ms timer may fire a millisecond early.
    expect(waited).toBeGreaterThanOrEqual(395);
    expect(waited).toBeLessThanOrEqual(booted.bootMs);

    // A fetch that fails at once ends the wait early, and the line says so.
    await bed.closeApp();
    bed.server.reset();
    bed.server.on(SETTINGS_PATH, { status: 500 });
    bed.log.lines.length = 0;
    const again = await bed.boot(options({ waitForSettings: 30_000 }));
    const quick = Number(/after (\d+) ms/.exec(bed.log.matching(/^No settings after/, 'ERROR')[0]!.message)![1]);
    expect(quick).toBeLessThan(30_000);
    expect(quick).toBeLessThanOrEqual(again.bootMs);
  });

  it('401/403: one error naming the likely cause with the key masked, no retry inside the fetch, a slower back-off', async () => {
    bed.server.on(SETTINGS_PATH, { status: 401 });
    const booted = await bed.boot(options({ retryConfig: { maxRetries: 3, initialDelay: 0.05 } }), [FAST_RECOVERY]);
    expect(bed.server.requestsTo(SETTINGS_PATH)).toHaveLength(1);
    const [line] = bed.log.matching(/Settings request refused \(HTTP 401\)/, 'ERROR');
    expect(line?.message).toMatch(/SDK key \(test\*\*\*\*ef\) or the account id \(123456\) is likely wrong/);
    // 12 × the 5xx back-off (100 ms here): 1.2 s, then 2.4 s …
    expect(line?.message).toMatch(/retrying in 1200 ms/);
    expect(booted.app.get(SettingsPoller).currentIntervalMs).toBe(1200);
    await waitUntil(() => bed.server.requestsTo(SETTINGS_PATH).length >= 2, EVENTUALLY_MS);
    bed.server.on(SETTINGS_PATH, { status: 403 });
    await waitUntil(() => bed.log.matching(/retrying in 4800 ms/).length > 0, EVENTUALLY_MS);
    expect(bed.log.matching(/Settings request refused/, 'ERROR')).toHaveLength(1);
    expect(bed.log.all).not.toContain(SDK_KEY);
  });

  it('a document over maxSettingsBytes is refused with an error naming the option, and the last good settings stay', async () => {
    const booted = await bed.boot(options({ maxSettingsBytes: 4096 }), [FAST_RECOVERY]);
    expect(booted.vwo.isReady()).toBe(true);
    const big = shopSettings({ headline: 'x'.repeat(8192) });
    bed.server.settings = big;
    expect(await booted.vwo.updateSettings(undefined, false)).toBe(false);
    expect(await headline(booted)).toBe('from VWO');
    expect(booted.app.get(SettingsStore).lastFetchError).toMatch(/larger than maxSettingsBytes \(4096 bytes\)/);
    expect(bed.log.matching(/larger than maxSettingsBytes \(4096 bytes\)/, 'ERROR')).toHaveLength(1);
  });

  it('an unsafe regex in the settings is warned about once per settings version', async () => {
    const unsafe = { custom_variable: { plan: 'regex((a+)+$)' } };
    const withUnsafeRegex = (version: number) => {
      const doc = shopSettings({ version, segments: structuredClone(unsafe) }) as { campaigns: Array<{ variations: Array<{ segments: unknown }> }> };
      // The same pattern in two separate segment objects: still one warning.
      doc.campaigns[0]!.variations[0]!.segments = structuredClone(unsafe);
      return doc;
    };
    bed.server.settings = withUnsafeRegex(1);
    const booted = await bed.boot(options());
    for (let i = 0; i < 5; i++) await booted.vwo.getFlag('new-checkout', { id: `user-${i}`, customVariables: { plan: 'aaaa' } });
    expect(await booted.vwo.updateSettings(undefined, false)).toBe(true); // unchanged document: nothing new
    await booted.vwo.getFlag('new-checkout', { id: 'user-x', customVariables: { plan: 'aaaa' } });
    const warnings = () => bed.log.matching(/regex .*\(a\+\)\+\$.* is unsafe/, 'WARN');
    expect(warnings()).toHaveLength(1);
    expect(warnings()[0]!.message).toMatch(/^Settings version 1: /);

    bed.server.settings = withUnsafeRegex(2);
    expect(await booted.vwo.updateSettings(undefined, false)).toBe(true);
    await booted.vwo.getFlag('new-checkout', { id: 'user-y', customVariables: { plan: 'aaaa' } });
    expect(warnings()).toHaveLength(2);
    expect(warnings()[1]!.message).toMatch(/^Settings version 2: /);
  });

  it('segments nested deeper than the limit are refused with a message naming it, not a stack overflow', async () => {
    const booted = await bed.boot(options(), [FAST_RECOVERY]);
    // 10,000 levels: written as text, since JSON.stringify itself would overflow on such a tree.
    const deep = `${'{"or":['.repeat(5000)}{"custom_variable":{"plan":"pro"}}${']}'.repeat(5000)}`;
    const body = JSON.stringify(shopSettings({ version: 2, headline: 'deep', segments: { DEEP: true } })).replace('{"DEEP":true}', deep);
    bed.server.on(SETTINGS_PATH, { body });
    expect(await booted.vwo.updateSettings(undefined, false)).toBe(false);
    expect(await headline(booted)).toBe('from VWO');
    const error = booted.app.get(SettingsStore).lastFetchError ?? '';
    expect(error).toMatch(/campaigns\[0\]\.segments(\.or(\[0\])?)+: expected segments nested at most 100 levels deep/);
    expect(error).not.toMatch(/call stack/i);

    // Just under the limit (99 levels of JSON below `segments`), the tree is accepted and evaluates.
    let atLimit: Record<string, unknown> = { custom_variable: { plan: 'pro' } };
    for (let i = 0; i < 49; i++) atLimit = { or: [atLimit] };
    bed.server.reset();
    bed.server.settings = shopSettings({ version: 3, headline: 'at the limit', segments: atLimit });
    expect(await booted.vwo.updateSettings(undefined, false)).toBe(true);
    expect((await booted.vwo.getFlag('new-checkout', { id: 'user-1', customVariables: { plan: 'pro' } })).getVariable('headline', 'none')).toBe('at the limit');
  });
});
