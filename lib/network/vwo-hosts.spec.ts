import { originOf, vwoBaseUrl } from './vwo-hosts';

describe('vwo hosts (docs/events.md)', () => {
  it('defaults to VWO', () => expect(vwoBaseUrl({})).toBe('https://dev.visualwebsiteoptimizer.com'));
  it('prefers the proxy, dropping its path', () => {
    expect(vwoBaseUrl({ proxyUrl: 'http://127.0.0.1:8080/some/prefix', gatewayService: { url: 'https://g.example.com' } })).toBe('http://127.0.0.1:8080');
  });
  it('uses the gateway with its port and protocol, also without a scheme', () => {
    expect(vwoBaseUrl({ gatewayService: { url: 'gateway.example.com', port: 8000 } })).toBe('https://gateway.example.com:8000');
    expect(originOf('gateway.example.com', 'http')).toBe('http://gateway.example.com');
    expect(originOf('https://g.example.com:9000/x', undefined, 1)).toBe('https://g.example.com:9000');
  });
});
