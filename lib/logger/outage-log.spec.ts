import { OutageLog } from './outage-log';

function recorder() {
  const lines: Array<{ level: string; message: string }> = [];
  const at = (level: string) => (message: string) => void lines.push({ level, message });
  return { lines, logger: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') } };
}

describe('OutageLog', () => {
  afterEach(() => jest.useRealTimers());

  it('logs the first failure of each kind, counts the rest at debug, reminds every interval and sums up at the end', () => {
    jest.useFakeTimers({ now: 0 });
    const { lines, logger } = recorder();
    const outage = new OutageLog(logger, 'Settings requests', 60_000);
    outage.failure('unavailable', 'first: HTTP 500', 'attempt: HTTP 500');
    for (let i = 0; i < 50; i++) {
      jest.setSystemTime(i * 1000);
      outage.failure('unavailable', 'never logged', 'attempt: HTTP 500');
    }
    outage.failure('auth', 'now 401: key likely wrong', 'attempt: HTTP 401');
    jest.setSystemTime(61_000);
    outage.failure('auth', 'never logged', 'attempt: HTTP 401');
    jest.setSystemTime(62_000);
    outage.success();
    outage.success();

    expect(lines.filter((l) => l.level === 'error').map((l) => l.message)).toEqual(['first: HTTP 500', 'now 401: key likely wrong']);
    expect(lines.filter((l) => l.level === 'warn').map((l) => l.message)).toEqual([
      'Settings requests still failing: 53 failed attempts in 61.0 s; last: attempt: HTTP 401',
    ]);
    expect(lines.filter((l) => l.level === 'debug')).toHaveLength(50);
    expect(lines.filter((l) => l.level === 'info').map((l) => l.message)).toEqual(['Settings requests succeed again after 53 failed attempt(s) over 62.0 s']);

    // A new outage starts over: its first failure is an error again.
    outage.failure('unavailable', 'again: HTTP 502', 'attempt: HTTP 502');
    expect(lines.at(-1)).toEqual({ level: 'error', message: 'again: HTTP 502' });
  });
});
