import type { INestApplication } from '@nestjs/common';
import type { StoredRecord } from '../../lib/engine/types';
import type { VWOStorage } from '../../lib/storage/vwo-storage.interface';
import { VWO_METRICS } from '../../lib/telemetry';
import { VWOService } from '../../lib/vwo.service';
import { fakeVwoBed } from '../support/fake-vwo-bed';
import { OtelTestKit, eventually } from './support/otel-test-kit';
import { createTelemetryTestApp, telemetrySettings } from './support/telemetry-test-app';

const kit = new OtelTestKit().register();
afterAll(() => kit.shutdown());

let app: INestApplication | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

describe('vwo.settings.* metrics', () => {
  const bed = fakeVwoBed({ settings: telemetrySettings });

  it('counts fetches by outcome, and the settings age grows during an outage', async () => {
    const fetches = (outcome: string) => kit.sum(VWO_METRICS.settingsFetches, { 'vwo.outcome': outcome });
    const [updatedBefore, failedBefore, unchangedBefore] = [await fetches('updated'), await fetches('failed'), await fetches('unchanged')];
    app = await createTelemetryTestApp('express', {
      sdkKey: 'telemetry-settings-sdk-key-01234',
      settings: undefined,
      proxyUrl: bed.server.url,
      waitForSettings: 2000,
      retryConfig: { shouldRetry: false },
    });
    const vwo = app.get(VWOService);
    expect(vwo.isReady()).toBe(true);
    expect(await fetches('updated')).toBe(updatedBefore + 1);

    // VWO's settings host goes down: every fetch fails and the age only grows.
    bed.server.on(/\/server-side\//, { status: 503 });
    await expect(vwo.updateSettings(undefined, false)).resolves.toBe(false);
    expect(await fetches('failed')).toBe(failedBefore + 1);
    const early = (await kit.gauge(VWO_METRICS.settingsAge))!;
    expect(early).toBeGreaterThanOrEqual(0);
    const later = await eventually(() => kit.gauge(VWO_METRICS.settingsAge), (age) => age! >= early + 0.2);
    await expect(vwo.updateSettings(undefined, false)).resolves.toBe(false);
    expect(await fetches('failed')).toBe(failedBefore + 2);
    expect(await kit.gauge(VWO_METRICS.settingsAge)).toBeGreaterThanOrEqual(later!);

    // Back: the same document arrives unchanged and the age starts again from zero.
    bed.server.reset();
    await expect(vwo.updateSettings(undefined, false)).resolves.toBe(true);
    expect(await fetches('unchanged')).toBe(unchangedBefore + 1);
    expect(await kit.gauge(VWO_METRICS.settingsAge)).toBeLessThan(later!);
  });
});

describe('vwo.storage.* metrics', () => {
  const errors = (operation: string) => kit.sum(VWO_METRICS.storageErrors, { 'vwo.operation': operation });

  it('counts reads that throw (a key whose read failed is then not written)', async () => {
    const failing: VWOStorage = {
      get: () => {
        throw new Error('storage down');
      },
      set: () => Promise.reject(new Error('storage down')),
    };
    const [reads, writes] = [await errors('read'), await errors('write')];
    app = await createTelemetryTestApp('express', { storage: failing });
    const flag = await app.get(VWOService).getFlag('banner', { id: 'storage-user' });
    expect(flag.isEnabled()).toBe(true);
    expect(await errors('read')).toBe(reads + 1);
    // A key whose read failed is never written; a user of a fresh feature is.
    await app.get(VWOService).getFlag('checkout', { id: 'storage-user' });
    expect(await errors('read')).toBe(reads + 2);
    expect(await errors('write')).toBe(writes);
  });

  it('counts writes that reject, and reads past storageTimeout', async () => {
    let hang = false;
    const slow: VWOStorage = {
      get: () => (hang ? new Promise<StoredRecord | null>(() => undefined) : Promise.resolve(null)),
      set: () => Promise.reject(new Error('read-only replica')),
    };
    const [timeouts, writes] = [await kit.sum(VWO_METRICS.storageTimeouts), await errors('write')];
    app = await createTelemetryTestApp('express', { storage: slow, storageTimeout: 20 });
    const vwo = app.get(VWOService);
    await vwo.getFlag('banner', { id: 'writer' });
    expect(await eventually(() => errors('write'), (n) => n === writes + 1)).toBe(writes + 1);
    hang = true;
    await vwo.getFlag('banner', { id: 'waiter' });
    expect(await kit.sum(VWO_METRICS.storageTimeouts)).toBe(timeouts + 1);
  });
});
