import { execFile } from 'node:child_process';
import { createServer, IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { join } from 'node:path';
import type { AttemptResult, PostRequest } from '../../lib/events/event-http.client';
import { WorkerThreadTransport } from '../../lib/events/worker-thread.transport';
import { ResettingServer } from '../support/resetting-server';

interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  rawHeaders: string[];
  body: string;
  /** Resolves when the request's socket closes. */
  closed: Promise<void>;
}

/** A real HTTP server: /status/N answers N, /echo answers the status in the body's "status", /hang never answers. */
class TestServer {
  readonly seen: Seen[] = [];
  private readonly server: Server = createServer((req, res) => this.handle(req, res)).on('connection', (socket: Socket) =>
    this.socketClosed.set(socket, new Promise((resolve) => socket.once('close', () => resolve()))),
  );
  /** One 'close' listener per socket, however many keep-alive requests it carries. */
  private readonly socketClosed = new WeakMap<Socket, Promise<void>>();
  private waiters: Array<{ count: number; resolve: () => void }> = [];
  url = '';

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  reset(): void {
    this.seen.length = 0;
    this.waiters = [];
  }

  /** Resolves once the server has received `count` requests (bodies included). */
  received(count: number): Promise<void> {
    if (this.seen.length >= count) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ count, resolve }));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    const closed = this.socketClosed.get(req.socket)!;
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      this.seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, rawHeaders: req.rawHeaders, body, closed });
      this.waiters = this.waiters.filter((w) => (this.seen.length >= w.count ? (w.resolve(), false) : true));
      this.answer(req.url ?? '', body, res);
    });
  }

  private answer(url: string, body: string, res: ServerResponse): void {
    if (url.startsWith('/hang')) return;
    if (url.startsWith('/redirect')) return void res.writeHead(302, { Location: '/status/200' }).end();
    const path = url.split('?')[0];
    const status = path.startsWith('/echo') ? (JSON.parse(body) as { status: number }).status : Number(path.split('/')[2]);
    res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify({ some: 'answer', padding: 'x'.repeat(2000) }));
  }
}

/** The timeout of posts that hang: what a post that is not ended promptly would wait for. */
const HANGS_FOR_MS = 60_000;
/**
 * "At once" / "closes its socket": far below HANGS_FOR_MS, generous for a busy 2-core CI machine (a worker
 * thread's messages and exit wait for a free core there).
 */
const PROMPTLY_MS = 5_000;
/**
 * The probe child is killed after this long: below its hanging post's 60 s timeout (what would keep it alive),
 * far above what starting it under a TypeScript loader takes on a busy machine.
 */
const PROBE_KILLED_AFTER_MS = 45_000;

/** A deadline to race against; unref'd, so one left pending after the race keeps nothing alive. */
const sleep = (ms: number): Promise<'late'> => new Promise((resolve) => setTimeout(() => resolve('late'), ms).unref());

function errorOf(result: AttemptResult): string {
  if (!('error' in result)) throw new Error(`expected an error, got status ${result.status}`);
  expect(result.error).toBeInstanceOf(Error);
  return result.error.message;
}

describe('WorkerThreadTransport', () => {
  const server = new TestServer();
  let transport: WorkerThreadTransport;
  /** A signal that never aborts, fresh per test as the transport keeps one listener on each signal it saw. */
  let never: AbortSignal;
  const request = (path: string, body = '{}', headers: Record<string, string> = { 'Content-Type': 'application/json' }): PostRequest => ({
    url: `${server.url}${path}`,
    body,
    headers,
  });

  beforeAll(() => server.start());
  afterAll(() => server.stop());
  beforeEach(() => {
    server.reset();
    transport = new WorkerThreadTransport();
    never = new AbortController().signal;
  });
  afterEach(() => transport.destroy());

  it('sends method, path, headers and body exactly, with Content-Length and no User-Agent', async () => {
    const body = JSON.stringify({ d: { visitor: 'é✓ü', n: 1 } });
    const headers = { 'Content-Type': 'application/json', 'X-Custom-Header': 'Value With Case', accept: 'text/plain' };
    const result = await transport.post(request('/status/200?a=1&b=x%20y', body, headers), 5_000, never);

    expect(result).toEqual({ status: 200 });
    expect(server.seen).toHaveLength(1);
    const seen = server.seen[0];
    expect(seen.method).toBe('POST');
    expect(seen.url).toBe('/status/200?a=1&b=x%20y');
    expect(seen.body).toBe(body);
    expect(seen.headers['user-agent']).toBeUndefined();
    const raw = new Map<string, string>();
    for (let i = 0; i < seen.rawHeaders.length; i += 2) raw.set(seen.rawHeaders[i], seen.rawHeaders[i + 1]);
    expect(raw.get('Content-Type')).toBe('application/json');
    expect(raw.get('X-Custom-Header')).toBe('Value With Case');
    expect(raw.get('accept')).toBe('text/plain');
    expect(raw.get('Content-Length')).toBe(String(Buffer.byteLength(body)));
    expect(Buffer.byteLength(body)).toBeGreaterThan(body.length);
  });

  it.each([200, 400, 500])('passes status %i back', async (status) => {
    expect(await transport.post(request(`/status/${status}`), 5_000, never)).toEqual({ status });
  });

  it('does not follow redirects', async () => {
    expect(await transport.post(request('/redirect'), 5_000, never)).toEqual({ status: 302 });
    expect(server.seen.map((s) => s.url)).toEqual(['/redirect']);
  });

  it('resolves a connection the server resets with an error', async () => {
    const down = await ResettingServer.start();
    try {
      const result = await transport.post({ url: `${down.url}/x`, body: '{}', headers: {} }, 5_000, never);
      expect(errorOf(result)).toMatch(/ECONNRESET|socket hang up/);
      expect(down.resets).toBe(1);
    } finally {
      await down.stop();
    }
  });

  it('resolves a malformed request with an error and keeps the worker working', async () => {
    expect(errorOf(await transport.post({ url: 'not a url', body: '{}', headers: {} }, 5_000, never))).toMatch(/URL/i);
    expect(errorOf(await transport.post({ url: 'ftp://127.0.0.1/x', body: '{}', headers: {} }, 5_000, never))).toMatch(/protocol/);
    const worker = transport.activeWorker;
    expect(await transport.post(request('/status/200'), 5_000, never)).toEqual({ status: 200 });
    expect(transport.activeWorker).toBe(worker);
  });

  it('times out a hanging request after about timeoutMs and closes its socket', async () => {
    // The worker is up first, so that the timeout measures the request, not the worker starting on a busy machine.
    expect(await transport.post(request('/status/200'), 5_000, never)).toEqual({ status: 200 });
    server.reset();
    const timeoutMs = 1_500;
    const started = Date.now();
    const result = await transport.post(request('/hang'), timeoutMs, never);
    const elapsed = Date.now() - started;

    expect(errorOf(result)).toBe(`timed out after ${timeoutMs} ms`);
    expect(elapsed).toBeGreaterThanOrEqual(timeoutMs - 10);
    expect(elapsed).toBeLessThan(timeoutMs + PROMPTLY_MS);
    expect(server.seen).toHaveLength(1);
    await expect(Promise.race([server.seen[0].closed.then(() => 'closed'), sleep(PROMPTLY_MS)])).resolves.toBe('closed');
  });

  it('resolves at once when the signal aborts, closes the socket, and leaves posts on other signals alone', async () => {
    const controller = new AbortController();
    const other = new AbortController();
    const aborted = transport.post(request('/hang/1'), HANGS_FOR_MS, controller.signal);
    const untouched = transport.post(request('/hang/2'), HANGS_FOR_MS, other.signal);
    let untouchedSettled = false;
    void untouched.then(() => (untouchedSettled = true));
    await server.received(2);

    controller.abort();
    const result = await Promise.race([aborted, sleep(PROMPTLY_MS)]);
    expect(result).not.toBe('late');
    expect(errorOf(result as AttemptResult)).toBe('aborted');
    const hung = server.seen.find((s) => s.url === '/hang/1');
    await expect(Promise.race([hung!.closed.then(() => 'closed'), sleep(PROMPTLY_MS)])).resolves.toBe('closed');
    // By the time the aborted post's socket has closed, the other post is still waiting on its own signal.
    expect(untouchedSettled).toBe(false);
    expect(server.seen.filter((s) => s.url === '/hang/2')).toHaveLength(1);

    other.abort();
    expect(errorOf(await untouched)).toBe('aborted');
  });

  it('does not send when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    expect(errorOf(await transport.post(request('/status/200'), 5_000, controller.signal))).toBe('aborted');
    expect(transport.activeWorker).toBeUndefined();
    expect(server.seen).toHaveLength(0);
  });

  it('listens once to a signal shared by many posts', async () => {
    const controller = new AbortController();
    const listen = jest.spyOn(controller.signal, 'addEventListener');
    const results = await Promise.all(Array.from({ length: 20 }, () => transport.post(request('/status/200'), 5_000, controller.signal)));
    expect(results.every((r) => 'status' in r && r.status === 200)).toBe(true);
    expect(listen).toHaveBeenCalledTimes(1);
  });

  it('answers 500 concurrent posts, each with its own status', async () => {
    const count = 500;
    const statusOf = (i: number): number => 200 + (i % 7);
    const results = await Promise.all(
      Array.from({ length: count }, (_, i) => transport.post(request(`/echo/${i}`, JSON.stringify({ status: statusOf(i) })), 20_000, never)),
    );
    expect(results).toEqual(Array.from({ length: count }, (_, i) => ({ status: statusOf(i) })));
    expect(server.seen).toHaveLength(count);
  });

  it('fails pending posts when the worker dies, and the next post starts a new worker', async () => {
    const pending = [1, 2, 3].map((i) => transport.post(request(`/hang/${i}`), HANGS_FOR_MS, never));
    await server.received(3);
    const first = transport.activeWorker;
    expect(first).toBeDefined();

    await first!.terminate();
    const results = await Promise.race([Promise.all(pending), sleep(PROMPTLY_MS)]);
    expect(results).not.toBe('late');
    for (const result of results as AttemptResult[]) expect(errorOf(result)).toMatch(/event worker exited/);

    expect(await transport.post(request('/status/200'), 5_000, never)).toEqual({ status: 200 });
    expect(transport.activeWorker).toBeDefined();
    expect(transport.activeWorker).not.toBe(first);
  });

  it('destroy() fails pending posts, and a later post still works', async () => {
    const pending = transport.post(request('/hang'), HANGS_FOR_MS, never);
    await server.received(1);
    transport.destroy();
    expect(transport.activeWorker).toBeUndefined();
    expect(errorOf(await pending)).toBe('transport destroyed');
    await expect(Promise.race([server.seen[0].closed.then(() => 'closed'), sleep(PROMPTLY_MS)])).resolves.toBe('closed');
    expect(await transport.post(request('/status/200'), 5_000, never)).toEqual({ status: 200 });
  });

  it('lets a process that used it, without destroy(), exit by itself even with a request in flight', async () => {
    const probe = join(__dirname, 'support', 'worker-transport-probe.ts');
    const out = await new Promise<string>((resolve, reject) =>
      execFile(
        process.execPath,
        ['-r', '@swc-node/register', probe, String(server.port)],
        { cwd: join(__dirname, '..', '..'), timeout: PROBE_KILLED_AFTER_MS },
        (err, stdout, stderr) => (err ? reject(new Error(`${err.message}\n${stdout}\n${stderr}`)) : resolve(stdout)),
      ),
    );
    expect(out).toContain('first={"status":200}');
    expect(out).toContain('app done');
    expect(out).toContain('exited');
    expect(out).not.toContain('hang settled');
    expect(server.seen.map((s) => s.url)).toEqual(['/status/200', '/hang']);
  }, PROBE_KILLED_AFTER_MS + 15_000);
});
