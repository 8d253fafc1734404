import { Logger } from '@nestjs/common';
import { createVWOLogger } from './create-vwo-logger';
import { maskSdkKey, redactSdkKey } from './mask-sdk-key';
import { VWODefaultLogger } from './vwo-default.logger';
import type { VWOLogger } from './vwo-logger.interface';

describe('VWODefaultLogger', () => {
  afterEach(() => jest.restoreAllMocks());

  it('writes through Nest Logger with the prefix as context, at ERROR and above by default', () => {
    const error = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const log = jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    const logger = createVWOLogger(undefined) as VWODefaultLogger;
    logger.info('hidden');
    logger.error('shown');
    expect(log).not.toHaveBeenCalled();
    expect(error).toHaveBeenCalledWith('shown');
    expect((error.mock.contexts[0] as unknown as { context: string }).context).toBe('VWO-SDK');
  });

  it('filters by level and routes to a custom transport; a throwing transport is contained', () => {
    const seen: string[] = [];
    const transport: VWOLogger = {
      debug: (m) => seen.push(`debug:${m}`),
      info: (m) => seen.push(`info:${m}`),
      warn: (m) => seen.push(`warn:${m}`),
      error: () => {
        throw new Error('transport down');
      },
    };
    const logger = createVWOLogger({ level: 'INFO', prefix: 'SHOP', transport });
    logger.debug('d');
    logger.info('i');
    logger.warn('w');
    expect(() => logger.error('e')).not.toThrow();
    expect(seen).toEqual(['info:i', 'warn:w']);
  });

  it('uses a logger instance as is', () => {
    const instance: VWOLogger = { debug: jest.fn(), info: jest.fn(), warn: jest.fn(), error: jest.fn() };
    expect(createVWOLogger(instance)).toBe(instance);
  });
});

describe('maskSdkKey', () => {
  it('never returns the key, only its ends', () => {
    const key = 'abcd1234efgh5678ijkl';
    expect(maskSdkKey(key)).toBe('abcd****kl');
    expect(maskSdkKey('short')).toBe('****');
    expect(maskSdkKey(undefined)).toBe('<none>');
    expect(redactSdkKey(`GET /x?i=${key}&a=1`, key)).toBe('GET /x?i=abcd****kl&a=1');
  });
});
