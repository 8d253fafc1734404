import { EventUrls, resolveCollectionHost, SingleEventTarget, singleEventHeaders } from '../../lib/events/event-endpoints';
import { resolveRetryPolicy, retryDelayMs } from '../../lib/network/retry-policy';
import { originOf } from '../../lib/network/vwo-hosts';

const sdk = { name: 'nestjs-vwo', version: '9.9.9' };
const event = (ua: string, ip: string, visitorHeaders = true): SingleEventTarget => ({
  name: 'vwo_variationShown',
  userAgent: ua,
  ipAddress: ip,
  visitorHeaders,
});

describe('collection host (docs/events.md)', () => {
  it('defaults to dev.visualwebsiteoptimizer.com', () => {
    expect(resolveCollectionHost({})).toEqual({ origin: 'https://dev.visualwebsiteoptimizer.com', viaGateway: false });
  });

  it('uses proxyUrl (path dropped, scheme-less gets https://)', () => {
    expect(resolveCollectionHost({ proxyUrl: 'http://127.0.0.1:8080/some/path' }).origin).toBe('http://127.0.0.1:8080');
    expect(resolveCollectionHost({ proxyUrl: 'proxy.example.com' }).origin).toBe('https://proxy.example.com');
  });

  it('uses the gateway with protocol and port when the URL has none', () => {
    const host = resolveCollectionHost({ gatewayService: { url: 'gw.example.com', protocol: 'http', port: 8000 } });
    expect(host).toEqual({ origin: 'http://gw.example.com:8000', viaGateway: true });
    expect(originOf('https://gw.example.com:9000', 'http', 8000)).toBe('https://gw.example.com:9000');
  });

  it('keeps the proxy as host when both are set, still in gateway mode', () => {
    const host = resolveCollectionHost({ proxyUrl: 'http://p:1', gatewayService: { url: 'http://g:2' } });
    expect(host).toEqual({ origin: 'http://p:1', viaGateway: true });
  });
});

describe('EventUrls (docs/events.md)', () => {
  const urls = (viaGateway: boolean) =>
    new EventUrls({ origin: 'http://h:1', viaGateway }, '123456', 'KEY', sdk, () => 0.5, () => 1700000000123);

  it('builds /events/t with the query in VWO order, UA encoded', () => {
    const url = urls(false).single(event('Mozilla/5.0 (X11; Linux)', '1.2.3.4'), 'eu01');
    expect(url).toBe(
      'http://h:1/eu01/events/t?en=vwo_variationShown&a=123456&eTime=1700000000123&random=0.5&p=FS' +
        '&visitor_ua=Mozilla%2F5.0%20(X11%3B%20Linux)&visitor_ip=1.2.3.4&sn=nestjs-vwo&sv=9.9.9&env=KEY',
    );
  });

  it('sends empty visitor_ua/visitor_ip when unknown (not the literal "undefined")', () => {
    expect(urls(false).single(event('', ''))).toContain('&visitor_ua=&visitor_ip=&');
  });

  it('drops the collection prefix from /events/t behind a gateway, keeps it for batches', () => {
    expect(urls(true).single(event('', ''), 'eu01')).toMatch(/^http:\/\/h:1\/events\/t\?/);
    expect(urls(true).batch('eu01')).toBe('http://h:1/eu01/server-side/batch-events-v2?a=123456&env=KEY&sn=nestjs-vwo&sv=9.9.9');
    expect(urls(false).batch()).toBe('http://h:1/server-side/batch-events-v2?a=123456&env=KEY&sn=nestjs-vwo&sv=9.9.9');
  });

  it('adds visitor headers only to visitor events with values', () => {
    expect(singleEventHeaders(event('UA', '1.2.3.4'))).toEqual({
      'Content-Type': 'application/json',
      'X-Device-User-Agent': 'UA',
      'VWO-X-Forwarded-For': '1.2.3.4',
    });
    expect(singleEventHeaders(event('UA', '1.2.3.4', false))).toEqual({ 'Content-Type': 'application/json' });
    expect(singleEventHeaders(event('', ''))).toEqual({ 'Content-Type': 'application/json' });
  });

  it('replaces what a header cannot carry (past U+00FF, controls) by "?", one per code point; Latin-1 stays', () => {
    const headers = singleEventHeaders(event('Mozilla/5.0 ☃ \u{1F600} é\u0001', '1.2.3.4\n'));
    expect(headers['X-Device-User-Agent']).toBe('Mozilla/5.0 ? ? é?');
    expect(headers['VWO-X-Forwarded-For']).toBe('1.2.3.4?');
  });
});

describe('retry policy (docs/events.md)', () => {
  it('defaults to 3 retries at 2, 4, 8 s', () => {
    const p = resolveRetryPolicy(undefined);
    expect([0, 1, 2].map((n) => retryDelayMs(p, n))).toEqual([2000, 4000, 8000]);
    expect(p.maxRetries).toBe(3);
    expect(p.shouldRetry).toBe(true);
  });

  it('fills missing fields with the defaults, accepts fractional seconds', () => {
    // Out-of-range values never get here: the module options' validation refuses them at boot.
    const p = resolveRetryPolicy({ maxRetries: undefined, initialDelay: 0.01, backoffMultiplier: 3 });
    expect(p.maxRetries).toBe(3);
    expect([0, 1].map((n) => retryDelayMs(p, n))).toEqual([10, 30]);
  });
});
