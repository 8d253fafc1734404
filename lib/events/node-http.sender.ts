import { Agent as HttpAgent, ClientRequest, IncomingMessage, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { AttemptResult, PostRequest } from './event-http.client';
import { AXIOS_ACCEPT, AXIOS_ACCEPT_ENCODING } from './plain-axios';

/** Header values axios would rewrite (it strips these characters and trims spaces and tabs): those go through axios. */
const REWRITTEN_BY_AXIOS = /[^\t\x20-\x7e\x80-\xff]|^[\t ]|[\t ]$/;

interface Target {
  url: string;
  https: boolean;
  /** The URL has a user name or password. */
  credentials: boolean;
  options: { protocol: string; hostname: string; port: string; path: string };
}

/**
 * One POST with Node's HTTP client, written as axios writes it (same headers, same order, same body, no
 * redirects followed, the whole attempt under one timeout, its timeout error worded as axios words it), for
 * HttpServiceTransport when axios would add nothing (plain-axios.ts). Cancelled requests are destroyed
 * with one listener per stop signal, not one per request.
 */
export class NodeHttpSender {
  /** Requests still running, with what settles each. */
  private readonly inFlight = new Map<ClientRequest, (result: AttemptResult) => void>();
  private readonly watched = new WeakSet<AbortSignal>();
  /** The batch URL is the same text request after request: parsed once. */
  private lastTarget?: Target;

  constructor(
    private readonly httpAgent: HttpAgent,
    private readonly httpsAgent: HttpsAgent,
  ) {}

  /**
   * The request's headers as axios sends them, or undefined when axios would change something: a header value,
   * or the URL's credentials (axios sends them as Basic authorization in place of ours).
   */
  headersFor(request: PostRequest): Record<string, string | number> | undefined {
    if (this.target(request.url)?.credentials !== false) return undefined;
    const headers: Record<string, string | number> = { Accept: AXIOS_ACCEPT };
    for (const name in request.headers) {
      const value = request.headers[name];
      if (REWRITTEN_BY_AXIOS.test(value)) return undefined;
      headers[name] = value;
    }
    headers['Content-Length'] = typeof request.body === 'string' ? Buffer.byteLength(request.body) : request.body.length;
    headers['Accept-Encoding'] = AXIOS_ACCEPT_ENCODING;
    return headers;
  }

  post(request: PostRequest, headers: Record<string, string | number>, timeoutMs: number, signal: AbortSignal): Promise<AttemptResult> {
    if (signal.aborted) return Promise.resolve({ error: canceled() });
    this.watch(signal);
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      let req: ClientRequest | undefined;
      let settled = false;
      const settle = (result: AttemptResult): void => {
        if (settled) return;
        settled = true;
        if (timer) clearTimeout(timer);
        if (req) this.inFlight.delete(req);
        resolve(result);
      };
      try {
        const target = this.target(request.url);
        if (!target) return settle({ error: new Error(`Unsupported URL ${request.url}`) });
        const options = { ...target.options, method: 'POST', headers, agent: target.https ? this.httpsAgent : this.httpAgent };
        req = (target.https ? httpsRequest : httpRequest)(options);
      } catch (err) {
        return settle({ error: asError(err) });
      }
      const sent = req;
      this.inFlight.set(sent, settle);
      if (timeoutMs > 0 && Number.isFinite(timeoutMs)) {
        timer = setTimeout(() => {
          settle({ error: new Error(`timeout of ${timeoutMs}ms exceeded`) });
          sent.destroy();
        }, timeoutMs);
      }
      let answered = false;
      sent.on('response', (res: IncomingMessage) => {
        answered = true;
        // Only the status counts, but the body is read to its end so the socket is reused.
        const done = (): void => settle(res.complete ? { status: res.statusCode ?? 0 } : { error: new Error('aborted') });
        res.on('end', done);
        res.on('close', done);
        res.on('error', (err) => settle({ error: err }));
        res.resume();
      });
      sent.on('error', (err) => settle({ error: err }));
      // Destroyed before an answer without an error of its own: cancelled (shutdown).
      sent.on('close', () => {
        if (!answered) settle({ error: canceled() });
      });
      // A string body would carry the header block with it, encoded as UTF-8; axios sends bytes, so the
      // headers go out as Latin-1 (what Node's HTTP client writes them as).
      sent.end(typeof request.body === 'string' ? Buffer.from(request.body, 'utf8') : request.body);
    });
  }

  /** The parsed URL; undefined when it is not an http(s) URL (axios then reports the problem). */
  private target(url: string): Target | undefined {
    const last = this.lastTarget;
    if (last && last.url === url) return last;
    if (!URL.canParse(url)) return undefined;
    const parsed = new URL(url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return undefined;
    const target: Target = {
      url,
      https: parsed.protocol === 'https:',
      credentials: parsed.username !== '' || parsed.password !== '',
      options: { protocol: parsed.protocol, hostname: parsed.hostname.replace(/^\[|\]$/g, ''), port: parsed.port, path: parsed.pathname + parsed.search },
    };
    this.lastTarget = target;
    return target;
  }

  /** On abort (shutdown), every request still running is destroyed and its post resolves with an error. */
  private watch(signal: AbortSignal): void {
    if (this.watched.has(signal)) return;
    this.watched.add(signal);
    signal.addEventListener(
      'abort',
      () => {
        for (const [req, settle] of [...this.inFlight]) {
          settle({ error: canceled() });
          req.destroy();
        }
      },
      { once: true },
    );
  }
}

function canceled(): Error {
  return new Error('canceled');
}

function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}
