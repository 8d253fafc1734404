import type { SchedulerRegistry } from '@nestjs/schedule';
import { SettingsPoller } from '../../lib/settings/settings-poller';
import { VWO_SETTINGS_RECOVERY } from '../../lib/settings/settings-recovery';
import { SettingsStore } from '../../lib/settings/settings-store';
import { VWO_SCHEDULER_REGISTRY, VWO_SETTINGS_POLL_INTERVAL } from '../../lib/vwo.internal-constants';
import { fakeVwoBed } from '../support/fake-vwo-bed';
import type { RecordedRequest } from '../support/fake-vwo-server';
import { shopSettings } from './helpers/shop-settings.fixture';
import { EVENTUALLY_MS, waitUntil } from './helpers/wait-until';

const SDK_KEY = 'test-sdk-key-0123456789abcdef';
/** Failed fetches are retried after 100 ms, 200 ms, 400 ms … instead of 5 s, 10 s, 20 s … */
const FAST_RECOVERY = { provide: VWO_SETTINGS_RECOVERY, useValue: { retryBaseMs: 100 } };

describe('settings fetch and polling against the fake VWO server', () => {
  const bed = fakeVwoBed();
  const { headline } = bed;
  const settingsRequests = () => bed.server.requestsTo('/server-side/v2-settings');

  it('first fetch: GET /server-side/v2-settings with VWO parameters in VWO order, and the SDK key never logged', async () => {
    const booted = await bed.boot(bed.options({ logger: { level: 'TRACE', transport: bed.log } }));
    const [first] = settingsRequests();
    expect(first).toBeDefined();
    expect(first!.method).toBe('GET');
    expect(first!.rawQuery.split('&').map((p) => p.split('=')[0])).toEqual(['i', 'r', 'a', 'platform', 'sn', 'sv', 'api-version', 's']);
    expect(first!.query.get('i')).toBe(SDK_KEY);
    expect(Number(first!.query.get('r'))).toBeGreaterThanOrEqual(0);
    expect(Number(first!.query.get('r'))).toBeLessThan(1);
    expect(first!.query.get('a')).toBe('123456');
    expect(first!.query.get('platform')).toBe('server');
    expect(first!.query.get('sn')).toBe('nestjs-vwo');
    expect(first!.query.get('sv')).toBe(require('../../package.json').version);
    expect(first!.query.get('api-version')).toBe('1');
    expect(first!.query.get('s')).toBe('prod');
    expect(booted.vwo.isReady()).toBe(true);
    expect(await headline(booted)).toBe('from VWO');
    expect(bed.log.lines.length).toBeGreaterThan(0);
    expect(bed.log.all).not.toContain(SDK_KEY);
  });

  it('a poll picks up changed settings, registered in SchedulerRegistry under a stable name', async () => {
    const booted = await bed.boot(bed.options({ pollInterval: 1000 }));
    expect(booted.app.get<SchedulerRegistry>(VWO_SCHEDULER_REGISTRY).doesExist('interval', VWO_SETTINGS_POLL_INTERVAL)).toBe(true);
    expect(await headline(booted)).toBe('from VWO');
    bed.server.settings = shopSettings({ version: 2, headline: 'changed' });
    await bed.server.waitFor(() => settingsRequests().length >= 2, EVENTUALLY_MS);
    await waitUntil(async () => (await headline(booted)) === 'changed', EVENTUALLY_MS);
    expect(booted.vwo.getSnapshot()?.version).toBe(2);
  });

  it('uses the settings document\'s pollInterval when the option is absent', async () => {
    bed.server.settings = shopSettings({ pollInterval: 1000 });
    const booted = await bed.boot(bed.options());
    expect(booted.app.get(SettingsPoller).currentIntervalMs).toBe(1000);
    await bed.server.waitFor(() => settingsRequests().length >= 2, EVENTUALLY_MS); // not the 10-minute default
  });

  it('polls every 10 minutes when neither the option nor the settings say otherwise', async () => {
    const booted = await bed.boot(bed.options());
    expect(booted.app.get(SettingsPoller).currentIntervalMs).toBe(600_000);
  });

  it('server hanging at boot: boots without waiting for the fetch, serves the `settings` fallback, recovers when VWO returns', async () => {
    bed.server.on('/server-side/v2-settings', { hang: true });
    const booted = await bed.boot(
      bed.options({ pollInterval: 1000, waitForSettings: 300, settingsTimeout: 5_000, settings: shopSettings({ headline: 'fallback' }), logger: { transport: bed.log } }),
    );
    // The hanging fetch ends only at its 5 s timeout, with an error line: boot returned before that.
    expect(bed.log.matching(/Settings could not be fetched/, 'ERROR')).toHaveLength(0);
    expect(booted.vwo.isReady()).toBe(true);
    expect(await headline(booted)).toBe('fallback');
    await waitUntil(() => bed.log.matching(/Settings could not be fetched/, 'ERROR').length > 0, EVENTUALLY_MS);
    expect(booted.app.get(SettingsStore).lastFetchError).toMatch(/timeout|abort|cancel|exceeded/i);
    bed.server.reset();
    await waitUntil(async () => (await headline(booted)) === 'from VWO', EVENTUALLY_MS);
    expect(booted.app.get(SettingsStore).lastFetchError).toBeUndefined();
  });

  it('server unreachable at boot without fallback: not ready (SETTINGS_NOT_READY), then recovers by polling', async () => {
    bed.server.goDown();
    const booted = await bed.boot(bed.options({ pollInterval: 1000, waitForSettings: 1000 }));
    expect(booted.vwo.isReady()).toBe(false);
    const before = await booted.vwo.getFlag('new-checkout', { id: 'user-1' });
    expect(before.isEnabled()).toBe(false);
    expect(before.reason).toBe('SETTINGS_NOT_READY');
    bed.server.comeBack();
    expect(await booted.vwo.whenReady(EVENTUALLY_MS)).toBe(true);
    expect(await headline(booted)).toBe('from VWO');
  });

  it('a malformed document is rejected and the previous settings are kept', async () => {
    const booted = await bed.boot(bed.options({ pollInterval: 1000, logger: { transport: bed.log } }));
    bed.server.settings = { version: 2, accountId: 123456, campaigns: 'not-an-array' };
    await waitUntil(() => bed.log.matching(/Settings are not valid/, 'ERROR').length > 0, EVENTUALLY_MS);
    expect(await headline(booted)).toBe('from VWO');
    expect(booted.vwo.getSnapshot()?.version).toBe(1);
    expect(booted.app.get(SettingsStore).lastFetchError).toMatch(/campaigns/);
  });

  it('a non-JSON answer counts as a failed fetch and keeps the previous settings', async () => {
    const booted = await bed.boot(bed.options({ pollInterval: 1000, logger: { transport: bed.log } }));
    bed.server.on('/server-side/v2-settings', { status: 200, body: '<html>maintenance</html>', contentType: 'text/html' });
    await waitUntil(() => bed.log.matching(/unexpected content type "text\/html"/, 'ERROR').length > 0, EVENTUALLY_MS);
    expect(await headline(booted)).toBe('from VWO');
  });

  it('retries per retryConfig with the same URL; 400 is not retried', async () => {
    bed.server.sequence('/server-side/v2-settings', [503, 503]);
    const booted = await bed.boot(bed.options({ retryConfig: { maxRetries: 2, initialDelay: 0.05, backoffMultiplier: 2 } }));
    const attempts = settingsRequests();
    expect(attempts).toHaveLength(3);
    expect(new Set(attempts.map((r) => r.rawQuery)).size).toBe(1);
    expect(attempts[2]!.receivedAt - attempts[0]!.receivedAt).toBeGreaterThanOrEqual(140);
    expect(booted.vwo.isReady()).toBe(true);
    await bed.closeApp();

    bed.server.reset();
    bed.server.sequence('/server-side/v2-settings', [400]);
    const again = await bed.boot(bed.options({ retryConfig: { maxRetries: 2, initialDelay: 0.05 } }));
    expect(settingsRequests()).toHaveLength(1);
    expect(again.vwo.isReady()).toBe(false);
  });

  it('updateSettings() fetches now (v2-pull by default, v2-settings on request) and applies a given document', async () => {
    const booted = await bed.boot(bed.options());
    bed.server.settings = shopSettings({ version: 3, headline: 'pulled' });
    expect(await booted.vwo.updateSettings()).toBe(true);
    expect(bed.server.requestsTo('/server-side/v2-pull')).toHaveLength(1);
    expect(await headline(booted)).toBe('pulled');
    bed.server.settings = shopSettings({ version: 4, headline: 'fetched' });
    expect(await booted.vwo.updateSettings(undefined, false)).toBe(true);
    expect(settingsRequests()).toHaveLength(2);
    expect(await headline(booted)).toBe('fetched');
    expect(await booted.vwo.updateSettings(shopSettings({ version: 5, headline: 'given' }))).toBe(true);
    expect(await headline(booted)).toBe('given');
    expect(await booted.vwo.updateSettings({ version: 6, campaigns: 1 })).toBe(false);
    expect(await headline(booted)).toBe('given');
  });

  it('server down at boot with a 60 s poll interval: retried with backoff, settings soon after VWO comes back', async () => {
    bed.server.goDown();
    const booted = await bed.boot(bed.options({ pollInterval: 60_000, waitForSettings: 200, logger: { level: 'DEBUG', transport: bed.log } }), [FAST_RECOVERY]);
    expect(booted.vwo.isReady()).toBe(false);
    const poller = booted.app.get(SettingsPoller);
    // Backing off: 100 ms, 200 ms, … The outage's first failure is an error, the next ones are debug lines.
    await waitUntil(() => bed.log.matching(/retrying in 200 ms/, 'DEBUG').length > 0, EVENTUALLY_MS);
    expect(poller.currentIntervalMs).toBeLessThan(60_000);
    expect(bed.log.matching(/Settings could not be fetched .*retrying in 100 ms/, 'ERROR')).toHaveLength(1);
    expect(booted.app.get<SchedulerRegistry>(VWO_SCHEDULER_REGISTRY).doesExist('interval', VWO_SETTINGS_POLL_INTERVAL)).toBe(true);
    bed.server.comeBack();
    // Well within the 60 s poll interval: only the back-off explains it.
    expect(await booted.vwo.whenReady(EVENTUALLY_MS)).toBe(true);
    expect(await headline(booted)).toBe('from VWO');
    expect(poller.currentIntervalMs).toBe(60_000); // back to the normal interval
    expect(booted.app.get<SchedulerRegistry>(VWO_SCHEDULER_REGISTRY).getIntervals()).toEqual([VWO_SETTINGS_POLL_INTERVAL]);
  });

  it('a failed poll is retried sooner than the interval, and polling returns to the interval after a success', async () => {
    const booted = await bed.boot(bed.options({ pollInterval: 1000, logger: { transport: bed.log } }), [FAST_RECOVERY]);
    const poller = booted.app.get(SettingsPoller);
    bed.server.on('/server-side/v2-settings', { status: 503 });
    // The failed poll plans its retry on the back-off (100 ms), not at the next interval (1000 ms).
    await waitUntil(() => bed.log.matching(/retrying in 100 ms/, 'ERROR').length > 0, EVENTUALLY_MS);
    bed.server.reset();
    bed.server.settings = shopSettings({ version: 2, headline: 'recovered' });
    await waitUntil(async () => (await headline(booted)) === 'recovered', EVENTUALLY_MS);
    expect(poller.currentIntervalMs).toBe(1000);
  });

  it('updateSettings() during a poll in flight fetches again after it, and returns the newer settings', async () => {
    const booted = await bed.boot(bed.options({ pollInterval: 1000 }));
    let answerPoll!: () => void;
    const pollAnswered = new Promise<void>((resolve) => (answerPoll = resolve));
    bed.server.on('/server-side/v2-settings', () => (settingsRequests().length === 2 ? { after: pollAnswered, body: bed.server.settings } : undefined));
    bed.server.settings = shopSettings({ version: 2, headline: 'polled' });
    await bed.server.waitFor(() => settingsRequests().length >= 2, EVENTUALLY_MS); // the poll is waiting for its answer
    bed.server.settings = shopSettings({ version: 3, headline: 'updated' });
    const updating = booted.vwo.updateSettings(undefined, false);
    answerPoll();
    expect(await updating).toBe(true);
    // The fetch after the poll (a later poll may have come too on a slow machine).
    expect(settingsRequests().length).toBeGreaterThanOrEqual(3);
    expect(booted.vwo.getSnapshot()?.version).toBe(3);
    expect(await headline(booted)).toBe('updated');
  });

  it('vwo_fmeSdkInit reports the real settings fetch time and init time', async () => {
    const SETTINGS_TIMEOUT_MS = 20_000;
    bed.server.on('/server-side/v2-settings', () => ({ delayMs: 120, body: bed.server.settings }));
    const bootStarted = Date.now();
    const booted = await bed.boot(bed.options({ settingsTimeout: SETTINGS_TIMEOUT_MS, waitForSettings: SETTINGS_TIMEOUT_MS }));
    const bootTook = Date.now() - bootStarted; // from before the module is built
    expect(booted.vwo.isReady()).toBe(true);
    await booted.vwo.flushEvents();
    const isInit = (r: RecordedRequest) => r.body.includes('vwo_fmeSdkInit') || r.query.get('en') === 'vwo_fmeSdkInit';
    await bed.server.waitFor((requests) => requests.some(isInit), EVENTUALLY_MS);
    const init = bed.server.requests.find(isInit);
    const timing = /"settingsFetchTime":(\d+),"sdkInitTime":(\d+)/.exec(init?.body ?? '');
    expect(timing).not.toBeNull();
    const [settingsFetchTime, sdkInitTime] = [Number(timing![1]), Number(timing![2])];
    // The fetch waited for the 120 ms delay; it cannot outlast its timeout, nor init the whole boot.
    expect(settingsFetchTime).toBeGreaterThanOrEqual(110);
    expect(settingsFetchTime).toBeLessThan(SETTINGS_TIMEOUT_MS);
    expect(sdkInitTime).toBeGreaterThanOrEqual(settingsFetchTime);
    expect(sdkInitTime).toBeLessThanOrEqual(bootTook);
  });
});
