import type { HttpService } from '@nestjs/axios';
import type { AxiosRequestConfig } from 'axios';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { AttemptResult, EventTransport, PostRequest } from './event-http.client';
import { AXIOS_KEEP_ALIVE_MS, type VWOAgentRequestOptions } from '../network/vwo-http-agents';

/** Sockets per origin: requests beyond it wait in the agent (unbatched sends can be many). */
const MAX_SOCKETS = 32;
const passThrough = <T>(data: T): T => data;
/** Every status is an answer (EventHttpClient decides); one function, not a closure per request. */
const anyStatus = (): boolean => true;
type RequestHeaders = Record<string, string | false>;

/**
 * One attempt of an event request through the app's HttpService (so axios interceptors, proxy settings and
 * tracing apply), tuned for throughput (docs/events.md, "Requests through HttpService"): `axiosRef.post`
 * (the method apps spy on and mock), the body already JSON (no re-serialisation), VWO's answer not
 * parsed (only its status counts), no redirect handling, headers derived once per header set, and keep-alive
 * sockets whose TCP keep-alive delay is the one axios sets on every request (so no request changes it).
 */
export class HttpServiceTransport implements EventTransport {
  private readonly httpAgent: HttpAgent;
  private readonly httpsAgent: HttpsAgent;
  /** Whether the agents are this transport's own (closed with it) or the module's `httpsAgentConfig` ones. */
  private readonly ownAgents: boolean;
  /** The last header set given and its request headers: batches of one service share one header set. */
  private lastGiven?: Record<string, string>;
  private lastHeaders: Readonly<RequestHeaders> = {};

  constructor(
    private readonly http: HttpService,
    agents: VWOAgentRequestOptions = {},
  ) {
    this.ownAgents = !agents.httpAgent;
    const own = { keepAlive: true, maxSockets: MAX_SOCKETS, keepAliveMsecs: AXIOS_KEEP_ALIVE_MS };
    this.httpAgent = agents.httpAgent ?? new HttpAgent(own);
    this.httpsAgent = agents.httpsAgent ?? new HttpsAgent(own);
  }

  async post(request: PostRequest, timeoutMs: number, signal: AbortSignal): Promise<AttemptResult> {
    const config: AxiosRequestConfig<string | Buffer> = {
      headers: this.headersOf(request.headers),
      timeout: timeoutMs,
      signal,
      httpAgent: this.httpAgent,
      httpsAgent: this.httpsAgent,
      transformRequest: passThrough,
      transformResponse: passThrough,
      responseType: 'text',
      validateStatus: anyStatus,
      maxRedirects: 0,
    };
    try {
      const response = await this.http.axiosRef.post<string>(request.url, request.body, config);
      return { status: response.status };
    } catch (err) {
      return { error: err instanceof Error ? err : new Error(String(err)) };
    }
  }

  /** Closes idle keep-alive sockets (shutdown). */
  destroy(): void {
    if (!this.ownAgents) return;
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }

  /** The caller's headers, without a User-Agent: VWO's own client sends none, and axios would add its own. */
  private headersOf(given: Record<string, string>): Readonly<RequestHeaders> {
    if (given !== this.lastGiven) {
      this.lastHeaders = Object.freeze({ ...given, 'User-Agent': false });
      this.lastGiven = given;
    }
    return this.lastHeaders;
  }
}
