import type { VWOModuleOptions } from '../../lib/options/vwo-module-options.interface';
import { bootVWO, BootedApp, fakeServerOptions, ProviderOverride } from '../module/helpers/boot';
import { CaptureLogger } from '../module/helpers/capture-logger';
import { shopSettings } from '../module/helpers/shop-settings.fixture';
import { FakeVwoServer } from './fake-vwo-server';

/** What a test of the module against the fake VWO server works with; fresh for every test. */
export interface FakeVwoBed {
  /** This test's fake VWO, serving the shop settings with the headline 'from VWO' until the test says otherwise. */
  readonly server: FakeVwoServer;
  /** This test's log lines (pass `log` as the logger transport). */
  readonly log: CaptureLogger;
  /** Options pointing at this test's server (see fakeServerOptions). */
  options(extra?: VWOModuleOptions): VWOModuleOptions;
  /** Boots the module; the app is closed after the test (or by closeApp()). */
  boot(options: VWOModuleOptions, overrides?: readonly ProviderOverride[]): Promise<BootedApp>;
  /** Boots the module on options(extra): the common case of boot. */
  start(extra?: VWOModuleOptions): Promise<BootedApp>;
  /** Closes the app booted last, for a test that boots a second one. */
  closeApp(): Promise<void>;
  /** The shop fixture's 'new-checkout' headline for one user: which settings the app decides on. */
  headline(booted: BootedApp): Promise<string>;
}

/** How the bed's fake VWO server behaves. */
export interface FakeVwoBedOptions {
  /** How long the server keeps an idle client connection open (see FakeVwoServer; short by default). */
  keepAliveTimeoutMs?: number;
}

/**
 * Registers beforeEach/afterEach for a describe block: a new fake VWO server and log per test, and the app the
 * test booted closed after it, so no test sees another's server, requests, log lines or app.
 */
export function fakeVwoBed({ keepAliveTimeoutMs }: FakeVwoBedOptions = {}): FakeVwoBed {
  let server: FakeVwoServer | undefined;
  let log = new CaptureLogger();
  let booted: BootedApp | undefined;

  beforeEach(async () => {
    server = await new FakeVwoServer(keepAliveTimeoutMs).start();
    server.settings = shopSettings({ headline: 'from VWO' });
    log = new CaptureLogger();
  });

  afterEach(async () => {
    await booted?.app.close();
    booted = undefined;
    await server?.stop();
    server = undefined;
  });

  return {
    get server() {
      if (!server) throw new Error('the fake VWO server exists only inside a test');
      return server;
    },
    get log() {
      return log;
    },
    options(extra = {}) {
      return fakeServerOptions(this.server.url, extra);
    },
    async boot(options, overrides = []) {
      booted = await bootVWO(options, overrides);
      return booted;
    },
    start(extra) {
      return this.boot(this.options(extra));
    },
    async closeApp() {
      const app = booted?.app;
      booted = undefined;
      await app?.close();
    },
    async headline(b) {
      return (await b.vwo.getFlag('new-checkout', { id: 'user-1' })).getVariable('headline', 'none');
    },
  };
}
