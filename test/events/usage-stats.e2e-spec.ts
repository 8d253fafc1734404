/** `vwo_sdkUsageStats` on the wire: once per start when the settings name VWO's usage-stats account, and the opt-out. */
import { SDK_INFO } from '../../lib/sdk-info';
import { getUUID } from '../../lib/events/visitor-id';
import { VWOMemoryStorage } from '../../lib/storage/memory-storage';
import type { VWOModuleOptions } from '../../lib/options/vwo-module-options.interface';
import type { RecordedRequest } from '../support/fake-vwo-server';
import { fakeVwoBed } from '../support/fake-vwo-bed';
import type { BootedApp } from '../module/helpers/boot';
import { CaptureLogger } from '../module/helpers/capture-logger';
import { shopSettings } from '../module/helpers/shop-settings.fixture';
import { batchedEnvelopes } from './support/events-test-kit';

const SDK_KEY = 'test-sdk-key-0123456789abcdef';
const USAGE_ACCOUNT = 999999;
const USAGE_VISITOR = getUUID(`123456_${SDK_KEY}`, String(USAGE_ACCOUNT));

describe('vwo_sdkUsageStats', () => {
  const bed = fakeVwoBed();

  const start = (extra: VWOModuleOptions, usageStatsAccountId: number | null = USAGE_ACCOUNT): Promise<BootedApp> => {
    bed.server.settings = usageStatsAccountId === null ? shopSettings() : { ...shopSettings(), usageStatsAccountId };
    return bed.start(extra);
  };
  const usageSingles = (): RecordedRequest[] => bed.server.requestsTo('/events/t').filter((r) => r.query.get('en') === 'vwo_sdkUsageStats');
  const batchedNames = async ({ vwo }: BootedApp): Promise<string[]> => {
    await vwo.flushEvents();
    return batchedEnvelopes(bed.server.requestsTo('/server-side/batch-events-v2')).map((e) => e.d.event.name as string);
  };

  it('is sent once, alone, to the usage-stats account, describing the options in use (batching off)', async () => {
    const { vwo } = await start({
      isBatchingDisabled: true,
      pollInterval: 60_000,
      integrations: { callback: () => undefined },
      storage: new VWOMemoryStorage(),
      logger: { level: 'DEBUG', transport: new CaptureLogger() },
    });
    await bed.server.waitFor(() => usageSingles().length === 1);
    const [req] = usageSingles();
    expect([...req.query.keys()]).toEqual(['en', 'a', 'eTime', 'random', 'p', 'visitor_ua', 'visitor_ip', 'sn', 'sv']);
    expect(req.query.get('a')).toBe(String(USAGE_ACCOUNT));
    expect(req.rawQuery).toContain('&visitor_ua=null&visitor_ip=null&');
    expect(req.headers['x-device-user-agent']).toBeUndefined();
    const d = (req.json as { d: Record<string, any> }).d;
    expect(Object.keys(d)).toEqual(['msgId', 'visId', 'sessionId', 'visitor_ua', 'visitor_ip', 'event']);
    expect(d.visId).toBe(USAGE_VISITOR);
    expect(d.msgId).toMatch(new RegExp(`^${USAGE_VISITOR}-\\d{13}$`));
    expect([d.visitor_ua, d.visitor_ip]).toEqual(['', '']);
    expect(d.event.name).toBe('vwo_sdkUsageStats');
    expect(d.event.props).toEqual({
      vwo_sdkName: SDK_INFO.name,
      vwo_sdkVersion: SDK_INFO.version,
      product: 'fme',
      vwoMeta: { a: 123456, env: SDK_KEY, ig: 1, cl: 1, ss: 1, ll: 1, pi: 60_000, lv: process.version },
    });
    expect(Object.keys(d.event.props.vwoMeta)).toEqual(['a', 'env', 'ig', 'cl', 'ss', 'll', 'pi', 'lv']);

    // Later settings (a poll, updateSettings) do not send it again.
    expect(await vwo.updateSettings()).toBe(true);
    await vwo.flushEvents();
    expect(usageSingles()).toHaveLength(1);
  });

  it('is queued after vwo_fmeSdkInit when batching, with eb set', async () => {
    const booted = await start({});
    expect(await batchedNames(booted)).toEqual(['vwo_fmeSdkInit', 'vwo_sdkUsageStats']);
    const usage = batchedEnvelopes(bed.server.requestsTo('/server-side/batch-events-v2'))[1].d;
    expect(usage.event.props.vwoMeta).toEqual({ a: 123456, env: SDK_KEY, eb: 1, lv: process.version });
    expect(usage.visitor).toBeUndefined();
  });

  it('isUsageStatsDisabled turns it off', async () => {
    expect(await batchedNames(await start({ isUsageStatsDisabled: true }))).toEqual(['vwo_fmeSdkInit']);
  });

  it('is not sent when the settings do not name a usage-stats account', async () => {
    expect(await batchedNames(await start({}, null))).toEqual(['vwo_fmeSdkInit']);
  });
});
