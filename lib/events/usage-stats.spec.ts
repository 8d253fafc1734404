import { usageStatsMeta } from './usage-stats';

describe('usageStatsMeta (vwoMeta of vwo_sdkUsageStats)', () => {
  const logger = { debug() {}, info() {}, warn() {}, error() {} };

  it('has only the account, the SDK key and the Node version when no option is set', () => {
    expect(usageStatsMeta({ accountId: '1', sdkKey: 'k' }, false)).toEqual({ a: '1', env: 'k', lv: process.version });
  });

  it('flags each option in use, in VWO order', () => {
    const meta = usageStatsMeta(
      {
        accountId: 1,
        sdkKey: 'k',
        integrations: { callback: () => undefined },
        logger: { level: 'WARN', transport: logger },
        storage: { get: () => null, set: async () => undefined },
        gatewayService: { url: 'https://gw.example.com' },
        pollInterval: 5000,
        shouldWaitForTrackingCalls: true,
      },
      true,
    );
    expect(Object.entries(meta)).toEqual([
      ['a', 1], ['env', 'k'], ['ig', 1], ['eb', 1], ['cl', 1], ['ss', 1], ['ll', 3], ['gs', 1], ['pi', 5000], ['swtc', 1], ['lv', process.version],
    ]);
  });

  it('a logger object of the app is a custom logger without a level; storage false is no storage', () => {
    expect(usageStatsMeta({ accountId: 1, sdkKey: 'k', logger, storage: false }, false)).toEqual({ a: 1, env: 'k', cl: 1, lv: process.version });
    expect(usageStatsMeta({ accountId: 1, sdkKey: 'k', logger: { level: 'TRACE' } }, false).ll).toBe(0);
  });
});
