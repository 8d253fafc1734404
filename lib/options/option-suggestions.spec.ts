import { suggestOption } from './option-suggestions';

describe('suggestOption', () => {
  const known = ['sdkKey', 'accountId', 'pollInterval', 'gatewayService', 'batchEventData', 'logger'];

  it.each([
    ['sdk_key', 'sdkKey'],
    ['poll_interval', 'pollInterval'],
    ['batch_event_data', 'batchEventData'],
    ['SDKKEY', 'sdkKey'],
    ['acountId', 'accountId'],
    ['loger', 'logger'],
  ])('%s → %s', (key, expected) => expect(suggestOption(key, known)).toBe(expected));

  it('suggests nothing for an unrelated key', () => {
    expect(suggestOption('colour', known)).toBeUndefined();
  });
});
