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
  /** Has the bed close `app` after the test (or by closeApp()), as it does an app it booted: for apps built another way. */
  adopt<T extends ClosableApp>(app: T): T;
  /** Closes the app booted (or adopted) last, for a test that boots a second one. */
  closeApp(): Promise<void>;
  /** The shop fixture's 'new-checkout' headline for one user: which settings the app decides on. */
  headline(booted: BootedApp): Promise<string>;
}

/** An app the bed closes after the test. */
export interface ClosableApp {
  close(): Promise<unknown>;
}

/** How the bed's fake VWO server behaves. */
export interface FakeVwoBedOptions {
  /** How long the server keeps an idle client connection open (see FakeVwoServer; short by default). */
  keepAliveTimeoutMs?: number;
  /** The settings the server serves at the start of each test (by default the shop settings with the headline 'from VWO'). */
  settings?: () => unknown;
}

/**
 * Registers beforeEach/afterEach for a describe block: a new fake VWO server and log per test, and the app the
 * test booted closed after it, so no test sees another's server, requests, log lines or app.
 */
export function fakeVwoBed({ keepAliveTimeoutMs, settings = () => shopSettings({ headline: 'from VWO' }) }: FakeVwoBedOptions = {}): FakeVwoBed {
  let server: FakeVwoServer | undefined;
  let log = new CaptureLogger();
  let app: ClosableApp | undefined;

  beforeEach(async () => {
    server = await new FakeVwoServer(keepAliveTimeoutMs).start();
    server.settings = settings();
    log = new CaptureLogger();
  });

  afterEach(async () => {
    await app?.close();
    app = undefined;
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
      const booted = await bootVWO(options, overrides);
      app = booted.app;
      return booted;
    },
    start(extra) {
      return this.boot(this.options(extra));
    },
    adopt(adopted) {
      app = adopted;
      return adopted;
    },
    async closeApp() {
      const closing = app;
      app = undefined;
      await closing?.close();
    },
    async headline(b) {
      return (await b.vwo.getFlag('new-checkout', { id: 'user-1' })).getVariable('headline', 'none');
    },
  };
}
