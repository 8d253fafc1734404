import type { SchedulerRegistry } from '@nestjs/schedule';
import { SettingsPoller } from '../../lib/settings/settings-poller';
import { VWO_SETTINGS_RECOVERY } from '../../lib/settings/settings-recovery';
import { SettingsStore } from '../../lib/settings/settings-store';
import { VWO_SCHEDULER_REGISTRY, VWO_SETTINGS_POLL_INTERVAL } from '../../lib/vwo.internal-constants';
import { FakeVwoServer, RecordedRequest } from '../support/fake-vwo-server';
import { bootVWO, BootedApp, fakeServerOptions } from './helpers/boot';
import { CaptureLogger } from './helpers/capture-logger';
import { shopSettings } from './helpers/shop-settings.fixture';
import { waitUntil } from './helpers/wait-until';

const SDK_KEY = 'test-sdk-key-0123456789abcdef';
const settingsRequests = (server: FakeVwoServer) => server.requestsTo('/server-side/v2-settings');
/** Failed fetches are retried after 100 ms, 200 ms, 400 ms … instead of 5 s, 10 s, 20 s … */
const FAST_RECOVERY = { provide: VWO_SETTINGS_RECOVERY, useValue: { retryBaseMs: 100 } };

describe('settings fetch and polling against the fake VWO server', () => {
  let server: FakeVwoServer;
  let booted: BootedApp | undefined;
  let log: CaptureLogger;

  beforeEach(async () => {
    server = await new FakeVwoServer().start();
    server.settings = shopSettings({ headline: 'from VWO' });
    log = new CaptureLogger();
  });

  afterEach(async () => {
    await booted?.app.close();
    booted = undefined;
    await server.stop();
  });

  const headline = async (b: BootedApp) => (await b.vwo.getFlag('new-checkout', { id: 'user-1' })).getVariable('headline', 'none');

  it('first fetch: GET /server-side/v2-settings with VWO parameters in VWO order, and the SDK key never logged', async () => {
    booted = await bootVWO(fakeServerOptions(server.url, { logger: { level: 'TRACE', transport: log } }));
    const [first] = settingsRequests(server);
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
    expect(log.lines.length).toBeGreaterThan(0);
    expect(log.all).not.toContain(SDK_KEY);
  });

  it('a poll picks up changed settings, registered in SchedulerRegistry under a stable name', async () => {
    booted = await bootVWO(fakeServerOptions(server.url, { pollInterval: 1000 }));
    expect(booted.app.get<SchedulerRegistry>(VWO_SCHEDULER_REGISTRY).doesExist('interval', VWO_SETTINGS_POLL_INTERVAL)).toBe(true);
    expect(await headline(booted)).toBe('from VWO');
    server.settings = shopSettings({ version: 2, headline: 'changed' });
    await server.waitFor(() => settingsRequests(server).length >= 2, 3000);
    await waitUntil(async () => (await headline(booted!)) === 'changed', 1000);
    expect(booted.vwo.getSnapshot()?.version).toBe(2);
  });

  it('uses the settings document\'s pollInterval when the option is absent', async () => {
    server.settings = shopSettings({ pollInterval: 1000 });
    booted = await bootVWO(fakeServerOptions(server.url));
    expect(booted.app.get(SettingsPoller).currentIntervalMs).toBe(1000);
    await server.waitFor(() => settingsRequests(server).length >= 2, 2500);
  });

  it('polls every 10 minutes when neither the option nor the settings say otherwise', async () => {
    booted = await bootVWO(fakeServerOptions(server.url));
    expect(booted.app.get(SettingsPoller).currentIntervalMs).toBe(600_000);
  });

  it('server down at boot: boots within the bound, serves the `settings` fallback, recovers when VWO returns', async () => {
    server.on('/server-side/v2-settings', { hang: true });
    booted = await bootVWO(
      fakeServerOptions(server.url, { pollInterval: 1000, waitForSettings: 300, settingsTimeout: 400, settings: shopSettings({ headline: 'fallback' }), logger: { transport: log } }),
    );
    expect(booted.bootMs).toBeLessThan(1000);
    expect(booted.vwo.isReady()).toBe(true);
    expect(await headline(booted)).toBe('fallback');
    await waitUntil(() => log.matching(/Settings could not be fetched/, 'ERROR').length > 0, 2000);
    expect(booted.app.get(SettingsStore).lastFetchError).toMatch(/timeout|abort|cancel|exceeded/i);
    server.reset();
    await waitUntil(async () => (await headline(booted!)) === 'from VWO', 3000);
    expect(booted.app.get(SettingsStore).lastFetchError).toBeUndefined();
  });

  it('server unreachable at boot without fallback: not ready (SETTINGS_NOT_READY), then recovers by polling', async () => {
    const port = server.port;
    await server.stop();
    booted = await bootVWO(fakeServerOptions(`http://127.0.0.1:${port}`, { pollInterval: 1000, waitForSettings: 1000 }));
    expect(booted.bootMs).toBeLessThan(1500);
    expect(booted.vwo.isReady()).toBe(false);
    const before = await booted.vwo.getFlag('new-checkout', { id: 'user-1' });
    expect(before.isEnabled()).toBe(false);
    expect(before.reason).toBe('SETTINGS_NOT_READY');
    await server.start(port);
    expect(await booted.vwo.whenReady(3000)).toBe(true);
    expect(await headline(booted)).toBe('from VWO');
  });

  it('a malformed document is rejected and the previous settings are kept', async () => {
    booted = await bootVWO(fakeServerOptions(server.url, { pollInterval: 1000, logger: { transport: log } }));
    server.settings = { version: 2, accountId: 123456, campaigns: 'not-an-array' };
    await waitUntil(() => log.matching(/Settings are not valid/, 'ERROR').length > 0, 3000);
    expect(await headline(booted)).toBe('from VWO');
    expect(booted.vwo.getSnapshot()?.version).toBe(1);
    expect(booted.app.get(SettingsStore).lastFetchError).toMatch(/campaigns/);
  });

  it('a non-JSON answer counts as a failed fetch and keeps the previous settings', async () => {
    booted = await bootVWO(fakeServerOptions(server.url, { pollInterval: 1000, logger: { transport: log } }));
    server.on('/server-side/v2-settings', { status: 200, body: '<html>maintenance</html>', contentType: 'text/html' });
    await waitUntil(() => log.matching(/unexpected content type "text\/html"/, 'ERROR').length > 0, 3000);
    expect(await headline(booted)).toBe('from VWO');
  });

  it('retries per retryConfig with the same URL; 400 is not retried', async () => {
    server.sequence('/server-side/v2-settings', [503, 503]);
    booted = await bootVWO(fakeServerOptions(server.url, { retryConfig: { maxRetries: 2, initialDelay: 0.05, backoffMultiplier: 2 } }));
    const attempts = settingsRequests(server);
    expect(attempts).toHaveLength(3);
    expect(new Set(attempts.map((r) => r.rawQuery)).size).toBe(1);
    expect(attempts[2]!.receivedAt - attempts[0]!.receivedAt).toBeGreaterThanOrEqual(140);
    expect(booted.vwo.isReady()).toBe(true);
    await booted.app.close();

    server.reset();
    server.sequence('/server-side/v2-settings', [400]);
    booted = await bootVWO(fakeServerOptions(server.url, { retryConfig: { maxRetries: 2, initialDelay: 0.05 } }));
    expect(settingsRequests(server)).toHaveLength(1);
    expect(booted.vwo.isReady()).toBe(false);
  });

  it('updateSettings() fetches now (v2-pull by default, v2-settings on request) and applies a given document', async () => {
    booted = await bootVWO(fakeServerOptions(server.url));
    server.settings = shopSettings({ version: 3, headline: 'pulled' });
    expect(await booted.vwo.updateSettings()).toBe(true);
    expect(server.requestsTo('/server-side/v2-pull')).toHaveLength(1);
    expect(await headline(booted)).toBe('pulled');
    server.settings = shopSettings({ version: 4, headline: 'fetched' });
    expect(await booted.vwo.updateSettings(undefined, false)).toBe(true);
    expect(settingsRequests(server)).toHaveLength(2);
    expect(await headline(booted)).toBe('fetched');
    expect(await booted.vwo.updateSettings(shopSettings({ version: 5, headline: 'given' }))).toBe(true);
    expect(await headline(booted)).toBe('given');
    expect(await booted.vwo.updateSettings({ version: 6, campaigns: 1 })).toBe(false);
    expect(await headline(booted)).toBe('given');
  });

  it('server down at boot with a 60 s poll interval: retried with backoff, settings within ~1 s of VWO coming back', async () => {
    const port = server.port;
    await server.stop();
    booted = await bootVWO(
      fakeServerOptions(`http://127.0.0.1:${port}`, { pollInterval: 60_000, waitForSettings: 200, logger: { level: 'DEBUG', transport: log } }),
      [FAST_RECOVERY],
    );
    expect(booted.vwo.isReady()).toBe(false);
    const poller = booted.app.get(SettingsPoller);
    // Backing off: 100 ms, 200 ms, … The outage's first failure is an error, the next ones are debug lines.
    await waitUntil(() => log.matching(/retrying in 200 ms/, 'DEBUG').length > 0, 1000);
    expect(poller.currentIntervalMs).toBeLessThan(60_000);
    expect(log.matching(/Settings could not be fetched .*retrying in 100 ms/, 'ERROR')).toHaveLength(1);
    expect(booted.app.get<SchedulerRegistry>(VWO_SCHEDULER_REGISTRY).doesExist('interval', VWO_SETTINGS_POLL_INTERVAL)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await server.start(port);
    const back = Date.now();
    expect(await booted.vwo.whenReady(2000)).toBe(true);
    expect(Date.now() - back).toBeLessThan(1200);
    expect(await headline(booted)).toBe('from VWO');
    expect(poller.currentIntervalMs).toBe(60_000); // back to the normal interval
    expect(booted.app.get<SchedulerRegistry>(VWO_SCHEDULER_REGISTRY).getIntervals()).toEqual([VWO_SETTINGS_POLL_INTERVAL]);
  });

  it('a failed poll is retried sooner than the interval, and polling returns to the interval after a success', async () => {
    booted = await bootVWO(fakeServerOptions(server.url, { pollInterval: 1000, logger: { transport: log } }), [FAST_RECOVERY]);
    const poller = booted.app.get(SettingsPoller);
    server.on('/server-side/v2-settings', { status: 503 });
    await waitUntil(() => log.matching(/retrying in 100 ms/, 'ERROR').length > 0, 2500);
    server.reset();
    server.settings = shopSettings({ version: 2, headline: 'recovered' });
    await waitUntil(async () => (await headline(booted!)) === 'recovered', 600); // the next poll would be 1000 ms away
    expect(poller.currentIntervalMs).toBe(1000);
  });

  it('updateSettings() during a poll in flight fetches again after it, and returns the newer settings', async () => {
    booted = await bootVWO(fakeServerOptions(server.url, { pollInterval: 1000 }));
    server.on('/server-side/v2-settings', () => ({ delayMs: 300, body: server.settings }));
    server.settings = shopSettings({ version: 2, headline: 'polled' });
    await server.waitFor(() => settingsRequests(server).length >= 2, 2500); // the poll is waiting for its answer
    server.settings = shopSettings({ version: 3, headline: 'updated' });
    expect(await booted.vwo.updateSettings(undefined, false)).toBe(true);
    expect(settingsRequests(server)).toHaveLength(3);
    expect(booted.vwo.getSnapshot()?.version).toBe(3);
    expect(await headline(booted)).toBe('updated');
  });

  it('vwo_fmeSdkInit reports the real settings fetch time and init time', async () => {
    server.on('/server-side/v2-settings', () => ({ delayMs: 120, body: server.settings }));
    booted = await bootVWO(fakeServerOptions(server.url, { settingsTimeout: 3000, waitForSettings: 3000 }));
    expect(booted.vwo.isReady()).toBe(true);
    await booted.vwo.flushEvents();
    const isInit = (r: RecordedRequest) => r.body.includes('vwo_fmeSdkInit') || r.query.get('en') === 'vwo_fmeSdkInit';
    await server.waitFor((requests) => requests.some(isInit), 3000);
    const init = server.requests.find(isInit);
    const timing = /"settingsFetchTime":(\d+),"sdkInitTime":(\d+)/.exec(init?.body ?? '');
    expect(timing).not.toBeNull();
    const [settingsFetchTime, sdkInitTime] = [Number(timing![1]), Number(timing![2])];
    expect(settingsFetchTime).toBeGreaterThanOrEqual(110);
    expect(settingsFetchTime).toBeLessThan(2000);
    expect(sdkInitTime).toBeGreaterThanOrEqual(settingsFetchTime);
    expect(sdkInitTime).toBeLessThan(booted.bootMs + 50);
  });
});
