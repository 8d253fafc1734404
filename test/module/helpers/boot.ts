import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { VWOModule } from '../../../lib/vwo.module';
import type { VWOModuleOptions } from '../../../lib/options/vwo-module-options.interface';
import { VWOService } from '../../../lib/vwo.service';

export interface BootedApp {
  app: INestApplication;
  vwo: VWOService;
  /** Milliseconds app.init() took. */
  bootMs: number;
}

/** A provider of the module replaced by a value (internal tuning, e.g. VWO_SETTINGS_RECOVERY, or a class's instance). */
export interface ProviderOverride {
  provide: string | symbol | (abstract new (...args: never[]) => unknown);
  useValue: unknown;
}

/** Boots a real Nest application with VWOModule.forRoot(options) (no HTTP listener). */
export async function bootVWO(options: VWOModuleOptions, overrides: readonly ProviderOverride[] = []): Promise<BootedApp> {
  const builder = Test.createTestingModule({ imports: [VWOModule.forRoot(options)] });
  for (const { provide, useValue } of overrides) builder.overrideProvider(provide).useValue(useValue);
  const moduleRef = await builder.compile();
  const app = moduleRef.createNestApplication({ logger: false });
  const started = Date.now();
  await app.init();
  return { app, vwo: app.get(VWOService), bootMs: Date.now() - started };
}

/**
 * Options pointing settings and events at the fake server, without retries. The bounds are generous for a busy
 * machine: boot returns as soon as settings arrive or a fetch fails, so only a hanging server makes a test wait
 * them out (such tests set their own).
 */
export function fakeServerOptions(url: string, extra: VWOModuleOptions = {}): VWOModuleOptions {
  return {
    sdkKey: 'test-sdk-key-0123456789abcdef',
    accountId: 123456,
    proxyUrl: url,
    retryConfig: { shouldRetry: false },
    settingsTimeout: 5_000,
    waitForSettings: 10_000,
    ...extra,
  };
}
