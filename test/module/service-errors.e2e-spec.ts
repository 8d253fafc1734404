/**
 * VWOService never rejects: whatever fails underneath (settings store, storage, event queue, settings sync,
 * the user's integrations callback, the request's user context) is logged and answered with a disabled flag,
 * false or a failed flush. Each test breaks one collaborator of a real app and checks both halves.
 */
import { runInRequestState } from '../../lib/context/request-context';
import { VWOEventsService } from '../../lib/events/vwo-events.service';
import { SettingsStore } from '../../lib/settings/settings-store';
import { SettingsSyncService } from '../../lib/settings/settings-sync.service';
import { VWOStorageAccess } from '../../lib/storage/storage-access';
import { FakeVwoServer } from '../support/fake-vwo-server';
import { bootVWO, BootedApp, fakeServerOptions } from './helpers/boot';
import { CaptureLogger } from './helpers/capture-logger';
import { shopSettings } from './helpers/shop-settings.fixture';
import { waitUntil } from './helpers/wait-until';

const user = (name: string) => ({ id: `service-errors-${name}` });
const boom = (what: string) => new Error(`${what} exploded`);

describe('VWOService error paths', () => {
  let server: FakeVwoServer;
  let booted: BootedApp | undefined;
  let log: CaptureLogger;

  /**
   * An app online against the fake server (events are really queued), with its own log. Boot returns as soon as
   * the settings arrive: the generous bounds only matter on a busy machine.
   */
  const boot = async (extra: object = {}): Promise<BootedApp> => {
    const logger = { level: 'DEBUG' as const, transport: log };
    booted = await bootVWO(fakeServerOptions(server.url, { storage: false, logger, settingsTimeout: 10_000, waitForSettings: 30_000, ...extra }));
    expect(booted.vwo.isReady()).toBe(true);
    return booted;
  };

  beforeEach(async () => {
    log = new CaptureLogger();
    server = await new FakeVwoServer().start();
    server.settings = shopSettings();
  });

  afterEach(async () => {
    jest.restoreAllMocks();
    await booted?.app.close();
    booted = undefined;
    await server.stop();
  });

  it('getFlag: a failing storage read gives a disabled flag with reason ERROR, logged', async () => {
    const { app, vwo } = await boot();
    jest.spyOn(app.get(VWOStorageAccess), 'read').mockImplementation(() => {
      throw boom('storage');
    });
    const flag = await vwo.getFlag('new-checkout', user('get-flag'));
    expect(flag.isEnabled()).toBe(false);
    expect(flag.decision).toMatchObject({ reason: 'ERROR', message: 'storage exploded' });
    expect(flag.getVariables()).toEqual([]);
    expect(log.matching(/getFlag\("new-checkout"\) failed: storage exploded/, 'ERROR')).toHaveLength(1);
  });

  it("getFlag without a context: a request whose user resolver throws gives reason ERROR, logged", async () => {
    const { vwo } = await boot();
    const resolveUserContext = () => {
      throw boom('user context');
    };
    const flag = await runInRequestState({ resolveUserContext }, () => vwo.getFlag('new-checkout'));
    expect(flag.decision).toMatchObject({ enabled: false, reason: 'ERROR', message: 'user context exploded' });
    expect(log.matching(/getFlag\("new-checkout"\) failed: user context exploded/, 'ERROR')).toHaveLength(1);
  });

  it('getFlag: failing impressions are logged and the flag is still served', async () => {
    const { app, vwo } = await boot();
    jest.spyOn(app.get(VWOEventsService), 'impressions').mockImplementation(() => {
      throw boom('events');
    });
    const flag = await vwo.getFlag('new-checkout', user('impressions'));
    expect(flag.isEnabled()).toBe(true);
    expect(log.matching(/The impressions failed: events exploded/, 'ERROR')).toHaveLength(1);
  });

  it('trackEvent: a failing event queue resolves { [event]: false }, logged', async () => {
    const { app, vwo } = await boot();
    jest.spyOn(app.get(VWOEventsService), 'trackEvent').mockImplementation(() => {
      throw boom('event queue');
    });
    await expect(vwo.trackEvent('purchase', user('track'), { amount: 1 })).resolves.toEqual({ purchase: false });
    expect(log.matching(/trackEvent\("purchase"\) failed: event queue exploded/, 'ERROR')).toHaveLength(1);
  });

  it('setAttribute: a failing event queue resolves, logged', async () => {
    const { app, vwo } = await boot();
    const setAttributes = jest.spyOn(app.get(VWOEventsService), 'setAttributes').mockImplementation(() => {
      throw boom('attributes');
    });
    await expect(vwo.setAttribute('plan', 'pro', user('attribute'))).resolves.toBeUndefined();
    expect(setAttributes).toHaveBeenCalledTimes(1);
    expect(log.matching(/setAttribute failed: attributes exploded/, 'ERROR')).toHaveLength(1);
  });

  it('flushEvents: a rejecting flush resolves { status: failed }, logged', async () => {
    const { app, vwo } = await boot();
    jest.spyOn(app.get(VWOEventsService), 'flush').mockRejectedValue(boom('flush'));
    await expect(vwo.flushEvents()).resolves.toEqual({ status: 'failed', events: 0 });
    expect(log.matching(/flushEvents failed: flush exploded/, 'ERROR')).toHaveLength(1);
  });

  it('updateSettings: a throwing store or a rejecting refresh resolves false, logged; the old settings stay', async () => {
    const { app, vwo } = await boot();
    const versionBefore = vwo.getSnapshot()?.version;
    jest.spyOn(app.get(SettingsStore), 'apply').mockImplementation(() => {
      throw boom('apply');
    });
    await expect(vwo.updateSettings(shopSettings({ version: 2 }))).resolves.toBe(false);
    jest.spyOn(app.get(SettingsSyncService), 'refresh').mockRejectedValue(boom('refresh'));
    await expect(vwo.updateSettings()).resolves.toBe(false);
    expect(log.matching(/updateSettings failed: (apply|refresh) exploded/, 'ERROR').map((l) => l.message)).toEqual([
      'updateSettings failed: apply exploded',
      'updateSettings failed: refresh exploded',
    ]);
    expect(vwo.getSnapshot()?.version).toBe(versionBefore);
    expect((await vwo.getFlag('new-checkout', user('after-update'))).isEnabled()).toBe(true);
  });

  it('an async integrations callback that rejects is logged; getFlag and trackEvent still resolve normally', async () => {
    const callback = jest.fn(async () => {
      throw boom('analytics');
    });
    const { vwo } = await boot({ integrations: { callback } });
    const flag = await vwo.getFlag('new-checkout', user('integration'));
    expect(flag.isEnabled()).toBe(true);
    await expect(vwo.trackEvent('purchase', user('integration'))).resolves.toEqual({ purchase: true });
    expect(callback).toHaveBeenCalledTimes(2);
    // The rejection is handled on a later turn: wait for both log lines (an unhandled one would fail the run).
    await waitUntil(() => log.matching(/The integrations callback failed: analytics exploded/, 'ERROR').length === 2, 5_000);
  });
});
