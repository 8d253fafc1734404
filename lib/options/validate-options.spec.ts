import { resolveVWOOptions } from './resolve-options';
import { validateVWOOptions } from './validate-options';
import { VWOOptionsError } from '../vwo-options.error';

describe('validateVWOOptions / resolveVWOOptions', () => {
  it('rejects options that are not an object', () => {
    expect(() => validateVWOOptions('sdk-key')).toThrow(VWOOptionsError);
    expect(() => validateVWOOptions(null)).toThrow(/options must be an object/);
  });

  it('reports one message per option', () => {
    expect(() => validateVWOOptions({ accountId: 1 })).toThrow(/^Invalid VWOModule options:\n  - sdkKey: is required[^\n]*$/);
  });

  it('applies the defaults', () => {
    const options = resolveVWOOptions({ sdkKey: 'k', accountId: 7 });
    expect(options).toMatchObject({
      sdkKey: 'k',
      accountId: 7,
      offline: false,
      storageTimeout: 100,
      settingsTimeout: 5000,
      waitForSettings: 5000,
      shutdownTimeout: 5000,
      userIdHeader: 'x-vwo-user-id',
      retryConfig: { shouldRetry: true, maxRetries: 3, initialDelay: 2, backoffMultiplier: 2 },
    });
  });

  it('runs offline without sdkKey when settings are given, taking the accountId from them', () => {
    const options = resolveVWOOptions({ settings: { accountId: 42, version: 1, campaigns: [] }, retryConfig: { maxRetries: 1 } });
    expect(options.offline).toBe(true);
    expect(options.accountId).toBe(42);
    expect(options.retryConfig).toEqual({ shouldRetry: true, maxRetries: 1, initialDelay: 2, backoffMultiplier: 2 });
  });

  it('keeps class instances and functions as given', () => {
    const storage = { get: () => null, set: () => undefined };
    const callback = () => undefined;
    const options = resolveVWOOptions({ sdkKey: 'k', accountId: 1, storage, integrations: { callback } });
    expect(options.storage).toBe(storage);
    expect(options.integrations?.callback).toBe(callback);
  });
});

describe('options of VWO SDK that do not apply here', () => {
  it.each([
    ['clientStorage', /clientStorage: not supported: is browser-only in VWO's SDK .*use `storage`/],
    ['browserConfig', /browserConfig: not supported: is browser-only/],
    ['vwoBuilder', /vwoBuilder: not supported: is an internal test hook/],
    ['segmentation', /segmentation: not supported: changes no decision in VWO's Node SDK/],
    ['edgeConfig', /edgeConfig: not supported: is for edge runtimes.*shouldWaitForTrackingCalls/],
    ['network', /network: not supported: replaces VWO's HTTP client.*HttpService/],
    ['_vwo_meta', /_vwo_meta: not supported: only marks VWO's own usage statistics/],
  ])('refuses %s and says why', (key, message) => {
    expect(() => validateVWOOptions({ sdkKey: 'k', accountId: 1, [key]: {} })).toThrow(message);
  });

  it('still treats other unknown keys as typos', () => {
    expect(() => validateVWOOptions({ sdkKey: 'k', accountId: 1, pollIntervall: 5000 })).toThrow(/pollIntervall: unknown option; did you mean "pollInterval"/);
  });
});
