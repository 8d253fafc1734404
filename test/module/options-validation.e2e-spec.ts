import { Injectable, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { VWOModule } from '../../lib/vwo.module';
import type { VWOModuleOptions } from '../../lib/options/vwo-module-options.interface';
import { VWOService } from '../../lib/vwo.service';
import { shopSettings } from './helpers/shop-settings.fixture';

const valid = { sdkKey: 'test-sdk-key-0123456789abcdef', accountId: 123456, settings: shopSettings(), waitForSettings: 0 };

/** Boots the module with raw (possibly wrong) options and resolves the boot error message. */
async function bootError(options: unknown): Promise<string> {
  try {
    const moduleRef = await Test.createTestingModule({ imports: [VWOModule.forRoot(options as VWOModuleOptions)] }).compile();
    const app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    await app.close();
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('boot succeeded');
}

describe('VWOModule options validation (boot errors)', () => {
  it.each<[string, unknown, RegExp]>([
    ['sdk_key from the Python docs', { sdk_key: 'k', accountId: 1 }, /sdk_key: unknown option; did you mean "sdkKey"\?/],
    ['poll_interval from the Python docs', { ...valid, poll_interval: 5000 }, /poll_interval: unknown option; did you mean "pollInterval"\?/],
    ['account_id', { sdkKey: 'k', account_id: 1 }, /account_id: unknown option; did you mean "accountId"\?/],
    ['gateway_service', { ...valid, gateway_service: { url: 'https://g' } }, /gateway_service: unknown option; did you mean "gatewayService"\?/],
    ['a misspelt key', { ...valid, pollIntreval: 5000 }, /pollIntreval: unknown option; did you mean "pollInterval"\?/],
    ['an unrelated unknown key', { ...valid, colour: 'red' }, /colour: unknown option; known options are sdkKey, accountId, pollInterval/],
    ['a missing sdkKey', { accountId: 123 }, /sdkKey: is required: a string, the SDK key/],
    ['a missing accountId', { sdkKey: 'k' }, /accountId: is required: your VWO account id/],
    ['sdkKey of the wrong type', { sdkKey: 42, accountId: 1 }, /sdkKey: is required: a string/],
    ['an empty sdkKey', { sdkKey: '', accountId: 1 }, /sdkKey: must not be empty/],
    ['accountId of the wrong type', { sdkKey: 'k', accountId: { id: 1 } }, /accountId: is required: your VWO account id, a positive integer or a numeric string/],
    ['accountId of letters', { sdkKey: 'k', accountId: 'abc' }, /accountId: is required: your VWO account id, a positive integer or a numeric string/],
    ['accountId with a space', { sdkKey: 'k', accountId: '12 345' }, /accountId: is required: your VWO account id/],
    ['accountId 0', { sdkKey: 'k', accountId: 0 }, /accountId: is required: your VWO account id/],
    ['a fractional accountId', { sdkKey: 'k', accountId: 12.5 }, /accountId: is required: your VWO account id/],
    ['pollInterval below 1000', { ...valid, pollInterval: 500 }, /pollInterval: must be an integer number of milliseconds >= 1000 \(between settings fetches\), e\.g\. 60000/],
    ['pollInterval as a string', { ...valid, pollInterval: '60000' }, /pollInterval: must be an integer number of milliseconds >= 1000/],
    ['an unknown log level', { ...valid, logger: { level: 'VERBOSE' } }, /logger\.level: must be one of TRACE, DEBUG, INFO, WARN, ERROR/],
    ['an unknown logger key', { ...valid, logger: { levl: 'INFO' } }, /logger\.levl: unknown option; did you mean "level"\?/],
    ['a transport without methods', { ...valid, logger: { transport: {} } }, /logger\.transport: must be an object with debug, info, warn and error methods/],
    ['a storage without get/set', { ...valid, storage: { read: () => null } }, /storage: must be a storage instance \(get and set methods\), a storage class/],
    ['storage: true', { ...valid, storage: true }, /storage: must be a storage instance/],
    ['a gateway without url', { ...valid, gatewayService: { port: 8000 } }, /gatewayService\.url: is required: the gateway URL/],
    ['a gateway that is a string', { ...valid, gatewayService: 'https://g' }, /gatewayService: must be an object/],
    ['a proxyUrl without scheme', { ...valid, proxyUrl: 'proxy.example.com' }, /proxyUrl: must be a URL with its scheme/],
    ['a non-function callback', { ...valid, integrations: { callback: 'x' } }, /integrations\.callback: must be a function \(properties\) => void/],
    ['settings that are not an object', { ...valid, settings: '{}' }, /settings: must be a settings document/],
    ['eventsPerRequest above 5000', { ...valid, batchEventData: { eventsPerRequest: 6000 } }, /batchEventData\.eventsPerRequest: must be an integer between 1 and 5000/],
    ['requestTimeInterval of 0', { ...valid, batchEventData: { requestTimeInterval: 0 } }, /batchEventData\.requestTimeInterval: must be a positive number of seconds/],
    ['isBatchingDisabled as a string', { ...valid, isBatchingDisabled: 'yes' }, /isBatchingDisabled: must be true or false/],
    ['propagateContext as a string', { ...valid, propagateContext: 'off' }, /propagateContext: must be true or false/],
    ['a negative maxRetries', { ...valid, retryConfig: { maxRetries: -1 } }, /retryConfig\.maxRetries: must be an integer >= 0/],
    ['shouldRetry as a string', { ...valid, retryConfig: { shouldRetry: 'no' } }, /retryConfig\.shouldRetry: must be true or false/],
    ['a backoffMultiplier below 1', { ...valid, retryConfig: { backoffMultiplier: 0.5 } }, /retryConfig\.backoffMultiplier: must be a number >= 1/],
    ['a zero maxQueueSize', { ...valid, maxQueueSize: 0 }, /maxQueueSize: must be an integer >= 1/],
    ['an unknown eventTransport', { ...valid, eventTransport: 'worker' }, /eventTransport: must be 'httpService' \(the default\) or 'workerThread'/],
    ['a negative shutdownTimeout', { ...valid, shutdownTimeout: -5 }, /shutdownTimeout: must be an integer number of milliseconds >= 0/],
    ['a zero settingsTimeout', { ...valid, settingsTimeout: 0 }, /settingsTimeout: must be an integer number of milliseconds >= 1/],
    ['a fractional storageTimeout', { ...valid, storageTimeout: 1.5 }, /storageTimeout: must be an integer number of milliseconds >= 1/],
    ['waitForSettings as a boolean', { ...valid, waitForSettings: true }, /waitForSettings: must be an integer number of milliseconds >= 0/],
    ['a userContext that is not a function', { ...valid, userContext: {} }, /userContext: must be a function/],
    ['an empty userIdHeader', { ...valid, userIdHeader: '' }, /userIdHeader: must be a header name/],
    ['a flagDisabled status of 200', { ...valid, flagDisabled: { status: 200 } }, /flagDisabled\.status: must be an HTTP status code between 400 and 599/],
  ])('%s stops boot with a message naming the option and the fix', async (_name, options, expected) => {
    const message = await bootError(options);
    expect(message).toMatch(/^Invalid VWOModule options:/);
    expect(message).toMatch(expected);
  });

  it('lists every problem in one message', async () => {
    const message = await bootError({ sdk_key: 'k', poll_interval: 10, accountId: 'x', logger: { level: 'LOUD' } });
    expect(message.split('\n').filter((line) => line.startsWith('  - '))).toHaveLength(5);
    expect(message).toMatch(/accountId: is required: your VWO account id/);
    expect(message).toMatch(/sdk_key: unknown option; did you mean "sdkKey"\?/);
    expect(message).toMatch(/sdkKey: is required/);
    expect(message).toMatch(/poll_interval: unknown option; did you mean "pollInterval"\?/);
    expect(message).toMatch(/logger\.level: must be one of/);
  });

  it('rejects an invalid settings document given as the `settings` option', async () => {
    const message = await bootError({ settings: { version: 1, accountId: 1, campaigns: 'nope' } });
    expect(message).toMatch(/settings: not a valid settings document: .*campaigns/);
  });

  it('accepts valid options with forRootAsync (useFactory + inject) and runs offline on `settings`', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        VWOModule.forRootAsync({
          useFactory: async () => ({ settings: shopSettings(), logger: { level: 'ERROR' as const } }),
        }),
      ],
    }).compile();
    const app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    const vwo = app.get(VWOService);
    expect(vwo.isReady()).toBe(true);
    expect((await vwo.getFlag('new-checkout', { id: 'u1' })).isEnabled()).toBe(true);
    await app.close();
  });

  it('accepts accountId as a numeric string', async () => {
    const moduleRef = await Test.createTestingModule({ imports: [VWOModule.forRoot({ ...valid, accountId: '123456' })] }).compile();
    const app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    expect(app.get(VWOService).isReady()).toBe(true);
    await app.close();
  });

  it('refuses isGlobal returned by a forRootAsync factory (too late to apply), naming where it goes', async () => {
    const attempt = Test.createTestingModule({
      imports: [VWOModule.forRootAsync({ useFactory: () => ({ ...valid, isGlobal: false }) as VWOModuleOptions })],
    }).compile();
    await expect(attempt).rejects.toThrow(/isGlobal: cannot be returned by the forRootAsync factory .*pass it to forRootAsync itself: VWOModule\.forRootAsync\(\{ isGlobal: false/);
  });

  it('honours isGlobal given to forRootAsync itself', async () => {
    @Injectable()
    class NeedsVWO {
      constructor(readonly vwo: VWOService) {}
    }
    @Module({ providers: [NeedsVWO] })
    class ElsewhereModule {}
    const imports = (isGlobal: boolean) => [VWOModule.forRootAsync({ isGlobal, useFactory: () => valid }), ElsewhereModule];
    await expect(Test.createTestingModule({ imports: imports(false) }).compile()).rejects.toThrow(/NeedsVWO/);
    const moduleRef = await Test.createTestingModule({ imports: imports(true) }).compile();
    expect(moduleRef.get(NeedsVWO).vwo).toBeInstanceOf(VWOService);
    await moduleRef.close();
  });

  it('validates options returned by an async factory too', async () => {
    const attempt = Test.createTestingModule({
      imports: [VWOModule.forRootAsync({ useFactory: () => ({ sdkKey: 'k', accountId: 1, poll_interval: 1 }) as VWOModuleOptions })],
    }).compile();
    await expect(attempt).rejects.toThrow(/poll_interval: unknown option; did you mean "pollInterval"\?/);
  });
});
