import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** One request the fake VWO server received, as the tests assert on it. */
export interface RecordedRequest {
  method: string;
  path: string;
  /** Raw query string, in the order sent (VWO cares about parameter order). */
  rawQuery: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: string;
  json?: unknown;
  receivedAt: number;
  /** The client's port: requests on one kept-alive connection share it. */
  remotePort?: number;
}

/** What to answer for one request: a status and body, or a hang (never answer). */
export interface FakeResponse {
  status?: number;
  body?: unknown;
  contentType?: string;
  /** Delay before answering, ms. */
  delayMs?: number;
  /** Never answer (the client must time out). */
  hang?: boolean;
  /** Answer once this settles: the test, not a clock, decides when VWO answers. */
  after?: Promise<unknown>;
}

export type Responder = (req: RecordedRequest) => FakeResponse | undefined;

/**
 * A real HTTP server on 127.0.0.1 that plays VWO's settings and events hosts. Every request is
 * recorded; answers come from per-path responders (first match), else settings for
 * `/server-side/*` and 200 for everything else.
 */
export class FakeVwoServer {
  readonly requests: RecordedRequest[] = [];
  settings: unknown = {};
  private server?: Server;
  private responders: Array<{ match: (path: string) => boolean; respond: Responder }> = [];
  private readonly hanging = new Set<ServerResponse>();
  private waiters: Array<() => void> = [];
  /** While set, every connection is reset as it arrives (see goDown). */
  private down = false;

  /** `keepAliveTimeoutMs`: how long an idle client connection stays open (short by default, so tests end quickly). */
  constructor(private readonly keepAliveTimeoutMs = 100) {}

  get url(): string {
    const { port } = this.server!.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  get port(): number {
    return (this.server!.address() as AddressInfo).port;
  }

  /** Starts listening; pass a port to come back on the same address after stop(). */
  async start(port = 0): Promise<this> {
    this.server = createServer((req, res) => this.handle(req, res));
    this.server.on('connection', (socket: Socket) => {
      if (this.down) socket.resetAndDestroy();
    });
    this.server.keepAliveTimeout = this.keepAliveTimeoutMs;
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(port, '127.0.0.1', () => resolve());
    });
    return this;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    for (const res of this.hanging) res.destroy();
    this.hanging.clear();
    const server = this.server;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /**
   * VWO down: from now on every connection is reset as it arrives (open ones too), until comeBack(). The server
   * keeps its port, unlike stop() and start(port), where another process may take the port in between.
   */
  goDown(): void {
    this.down = true;
    for (const res of this.hanging) res.destroy();
    this.hanging.clear();
    this.server!.closeAllConnections();
  }

  /** VWO back up after goDown(): new connections are answered again. */
  comeBack(): void {
    this.down = false;
  }

  /** Answer requests whose path matches with this responder (checked before earlier ones). */
  on(match: string | RegExp | ((path: string) => boolean), respond: Responder | FakeResponse): this {
    const test =
      typeof match === 'string' ? (p: string) => p === match : match instanceof RegExp ? (p: string) => match.test(p) : match;
    const fn: Responder = typeof respond === 'function' ? respond : () => respond;
    this.responders.unshift({ match: test, respond: fn });
    return this;
  }

  /** Answer the next `statuses.length` matching requests with these statuses, then fall through. */
  sequence(match: string | RegExp, statuses: number[]): this {
    const queue = [...statuses];
    return this.on(match, () => (queue.length ? { status: queue.shift() } : undefined));
  }

  reset(): void {
    this.responders = [];
    this.requests.length = 0;
  }

  requestsTo(pathPart: string | RegExp): RecordedRequest[] {
    return this.requests.filter((r) => (typeof pathPart === 'string' ? r.path.includes(pathPart) : pathPart.test(r.path)));
  }

  /** Resolves once `predicate` holds over the recorded requests (checked on every request), or rejects after timeoutMs. */
  waitFor(predicate: (requests: RecordedRequest[]) => boolean, timeoutMs = 5000): Promise<void> {
    if (predicate(this.requests)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== check);
        reject(new Error(`FakeVwoServer.waitFor timed out after ${timeoutMs} ms (${this.requests.length} requests seen)`));
      }, timeoutMs);
      const check = () => {
        if (!predicate(this.requests)) return;
        clearTimeout(timer);
        this.waiters = this.waiters.filter((w) => w !== check);
        resolve();
      };
      this.waiters.push(check);
    });
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const [path, rawQuery = ''] = (req.url ?? '/').split('?', 2) as [string, string?];
      const body = Buffer.concat(chunks).toString('utf8');
      let json: unknown;
      try {
        json = body ? JSON.parse(body) : undefined;
      } catch {
        json = undefined;
      }
      const recorded: RecordedRequest = {
        method: req.method ?? 'GET',
        path,
        rawQuery,
        query: new URLSearchParams(rawQuery),
        headers: req.headers,
        body,
        json,
        receivedAt: Date.now(),
        remotePort: req.socket.remotePort,
      };
      this.requests.push(recorded);
      for (const w of [...this.waiters]) w();
      this.reply(res, this.pick(recorded));
    });
  }

  private pick(req: RecordedRequest): FakeResponse {
    for (const r of this.responders) {
      if (!r.match(req.path)) continue;
      const answer = r.respond(req);
      if (answer) return answer;
    }
    if (req.path.startsWith('/server-side/')) return { status: 200, body: this.settings };
    return { status: 200, body: {} };
  }

  private reply(res: ServerResponse, answer: FakeResponse): void {
    if (answer.hang) {
      this.hanging.add(res);
      res.on('close', () => this.hanging.delete(res));
      return;
    }
    const send = () => {
      const payload = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body ?? {});
      res.writeHead(answer.status ?? 200, { 'Content-Type': answer.contentType ?? 'application/json' });
      res.end(payload);
    };
    const sendIfOpen = () => void (res.destroyed ? undefined : send());
    if (answer.after) void answer.after.then(sendIfOpen, sendIfOpen);
    else if (answer.delayMs) setTimeout(send, answer.delayMs).unref();
    else send();
  }
}
