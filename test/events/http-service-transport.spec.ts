import { HttpService } from '@nestjs/axios';
import axios, { type AxiosInstance } from 'axios';
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { AttemptResult, PostRequest } from '../../lib/events/event-http.client';
import { HttpServiceTransport } from '../../lib/events/http-service.transport';
import { batchHeaders, singleEventHeaders } from '../../lib/events/event-endpoints';

/** A server that records each request's raw bytes (header block and body) and answers 200, or never (`/hang`). */
class RawServer {
  readonly requests: string[] = [];
  private readonly sockets = new Set<Socket>();
  private readonly server: Server = createServer((socket) => {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    let pending = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      for (;;) {
        const end = pending.indexOf('\r\n\r\n');
        if (end < 0) return;
        const head = pending.subarray(0, end).toString('latin1');
        const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? 0);
        if (pending.length < end + 4 + length) return;
        const raw = pending.subarray(0, end + 4 + length).toString('latin1');
        pending = pending.subarray(end + 4 + length);
        this.requests.push(raw);
        if (!head.startsWith('POST /hang')) socket.write('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}');
      }
    });
  });
  url = '';

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** An axios that goes through its own machinery: a request interceptor that changes nothing. */
function interceptedAxios(seen: string[] = []): AxiosInstance {
  const instance = axios.create();
  instance.interceptors.request.use((config) => {
    seen.push(String(config.url));
    return config;
  });
  return instance;
}

describe('HttpServiceTransport', () => {
  let server: RawServer;
  const transports: HttpServiceTransport[] = [];
  const stop = new AbortController();

  beforeEach(async () => {
    server = new RawServer();
    await server.start();
  });
  afterEach(async () => {
    for (const t of transports.splice(0)) t.destroy();
    await server.stop();
  });

  const transport = (instance: AxiosInstance): HttpServiceTransport => {
    const t = new HttpServiceTransport(new HttpService(instance));
    transports.push(t);
    return t;
  };

  const requests = (): PostRequest[] => [
    { url: `${server.url}/server-side/batch-events-v2?a=1&env=key&sn=sdk&sv=1.0.0`, body: Buffer.from('{"ev":[{"d":{"visId":"ABC"}}]}'), headers: batchHeaders('sdk-key-0123') },
    {
      url: `${server.url}/events/t?en=vwo_syncVisitorProp&a=1&visitor_ua=Mozilla%2F5.0&visitor_ip=10.0.0.1`,
      body: '{"d":{"visId":"ABC","name":"é ✓"}}',
      headers: singleEventHeaders({ name: 'vwo_syncVisitorProp', userAgent: 'Mozilla/5.0 é ✓', ipAddress: '10.0.0.1', visitorHeaders: true }),
    },
  ];

  it("sends every request through the app's HttpService, so its interceptors see each one", async () => {
    const seen: string[] = [];
    const t = transport(interceptedAxios(seen));
    for (const request of requests()) expect(await t.post(request, 5_000, stop.signal)).toEqual({ status: 200 });
    expect(seen).toEqual(requests().map((r) => r.url));
    expect(server.requests).toHaveLength(2);
    expect(server.requests[0]).toMatch(/^POST \/server-side\/batch-events-v2\?a=1&env=key&sn=sdk&sv=1\.0\.0 HTTP\/1\.1\r\n/);
    expect(server.requests[1]).toContain('\r\nX-Device-User-Agent: Mozilla/5.0 é ?\r\n');
  });

  it("is a post on the app's axios, so a test that mocks axiosRef.post sees (and answers) every event request", async () => {
    const instance = axios.create();
    const post = jest.spyOn(instance, 'post').mockResolvedValue({ status: 202 });
    const t = transport(instance);
    for (const request of requests()) expect(await t.post(request, 5_000, stop.signal)).toEqual({ status: 202 });
    expect(post.mock.calls.map(([url, body]) => [url, body])).toEqual(requests().map((r) => [r.url, r.body]));
    expect(server.requests).toHaveLength(0);
  });

  it("a request interceptor sees the method, URL, body and headers, and what it adds is sent", async () => {
    const seen: Array<{ method?: string; url?: string; data: unknown; contentType: unknown; authorization: unknown }> = [];
    const instance = axios.create();
    instance.interceptors.request.use((config) => {
      seen.push({ method: config.method, url: config.url, data: config.data, contentType: config.headers.get('Content-Type'), authorization: config.headers.get('Authorization') });
      config.headers.set('X-Trace-Id', `trace-${seen.length}`);
      return config;
    });
    const t = transport(instance);
    const [batch] = requests();
    // The same request twice: headers derived once from a header set must not carry the first request's changes.
    for (let i = 0; i < 2; i++) expect(await t.post(batch, 5_000, stop.signal)).toEqual({ status: 200 });
    expect(seen).toEqual([1, 2].map(() => ({ method: 'post', url: batch.url, data: batch.body, contentType: 'application/json', authorization: 'sdk-key-0123' })));
    expect(server.requests.map((raw) => /\r\nX-Trace-Id: ([^\r]*)\r\n/.exec(raw)?.[1])).toEqual(['trace-1', 'trace-2']);
    for (const raw of server.requests) {
      expect(raw).not.toMatch(/\r\nUser-Agent:/i);
      expect(raw.endsWith(`\r\n\r\n${batch.body.toString('latin1')}`)).toBe(true);
    }
  });

  it("the app's axios proxy setting applies to event requests", async () => {
    const port = Number(new URL(server.url).port);
    const instance = axios.create({ proxy: { protocol: 'http', host: '127.0.0.1', port } });
    const request = { url: 'http://events.vwo.invalid/server-side/batch-events-v2?a=1', body: Buffer.from('{"ev":[]}'), headers: batchHeaders('k') };
    expect(await transport(instance).post(request, 5_000, stop.signal)).toEqual({ status: 200 });
    expect(server.requests[0]).toMatch(/^POST http:\/\/events\.vwo\.invalid\/server-side\/batch-events-v2\?a=1 HTTP\/1\.1\r\n/);
  });

  it('a URL with credentials goes through axios, which sends them as Basic authorization', async () => {
    const withCredentials = server.url.replace('http://', 'http://user:secret@');
    const request = { url: `${withCredentials}/server-side/batch-events-v2?a=1`, body: Buffer.from('{"ev":[]}'), headers: batchHeaders('sdk-key-0123') };
    expect(await transport(axios.create()).post(request, 5_000, stop.signal)).toEqual({ status: 200 });
    expect(server.requests[0]).toContain(`\r\nAuthorization: Basic ${Buffer.from('user:secret').toString('base64')}\r\n`);
  });

  it('an interceptor added after the transport was built sees the next request', async () => {
    const instance = axios.create();
    const t = transport(instance);
    const [request] = requests();
    expect(await t.post(request, 5_000, stop.signal)).toEqual({ status: 200 });
    const seen: string[] = [];
    instance.interceptors.request.use((config) => {
      seen.push(String(config.url));
      return config;
    });
    expect(await t.post(request, 5_000, stop.signal)).toEqual({ status: 200 });
    expect(seen).toEqual([request.url]);
  });

  it('an attempt that gets no answer times out', async () => {
    const result = await transport(axios.create()).post({ url: `${server.url}/hang`, body: '{}', headers: batchHeaders('k') }, 100, stop.signal);
    expect(errorOf(result)).toBe('timeout of 100ms exceeded');
  });

  it('aborting the stop signal cancels requests in flight', async () => {
    const controller = new AbortController();
    const t = transport(axios.create());
    const pending = [1, 2].map(() => t.post({ url: `${server.url}/hang`, body: '{}', headers: batchHeaders('k') }, 60_000, controller.signal));
    while (server.requests.length < 2) await new Promise((resolve) => setTimeout(resolve, 5));
    controller.abort();
    for (const result of await Promise.all(pending)) expect(errorOf(result)).toBe('canceled');
    expect(errorOf(await t.post(requests()[0], 60_000, controller.signal))).toBe('canceled');
  });

  it('a refused connection is an error, not a status', async () => {
    const url = server.url;
    await server.stop();
    server = new RawServer();
    await server.start();
    const result = await transport(axios.create()).post({ url: `${url}/x`, body: '{}', headers: batchHeaders('k') }, 5_000, stop.signal);
    expect(errorOf(result)).toMatch(/ECONNREFUSED/);
  });
});

function errorOf(result: AttemptResult): string {
  if (!('error' in result)) throw new Error(`expected an error, got status ${result.status}`);
  return result.error.message;
}
