import type { HttpService } from '@nestjs/axios';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { AttemptResult, EventTransport, PostRequest } from './event-http.client';
import type { VWOAgentRequestOptions } from '../network/vwo-http-agents';

/** Sockets per origin: requests beyond it wait in the agent (unbatched sends can be many). */
const MAX_SOCKETS = 32;
const passThrough = <T>(data: T): T => data;

/**
 * One attempt of an event request through the app's HttpService (so axios interceptors, proxy settings and
 * tracing apply), tuned for throughput: the body is already JSON (no re-serialisation), VWO's answer is not
 * parsed (only its status counts), and sockets are kept alive (idle ones never keep the process alive).
 */
export class HttpServiceTransport implements EventTransport {
  private readonly httpAgent: HttpAgent;
  private readonly httpsAgent: HttpsAgent;
  /** Whether the agents are this transport's own (closed with it) or the module's `httpsAgentConfig` ones. */
  private readonly ownAgents: boolean;

  constructor(
    private readonly http: HttpService,
    agents: VWOAgentRequestOptions = {},
  ) {
    this.ownAgents = !agents.httpAgent;
    this.httpAgent = agents.httpAgent ?? new HttpAgent({ keepAlive: true, maxSockets: MAX_SOCKETS });
    this.httpsAgent = agents.httpsAgent ?? new HttpsAgent({ keepAlive: true, maxSockets: MAX_SOCKETS });
  }

  async post(request: PostRequest, timeoutMs: number, signal: AbortSignal): Promise<AttemptResult> {
    try {
      const response = await this.http.axiosRef.post<string>(request.url, request.body, {
        // VWO's own client sends no User-Agent; axios would add its own.
        headers: { ...request.headers, 'User-Agent': false },
        timeout: timeoutMs,
        signal,
        httpAgent: this.httpAgent,
        httpsAgent: this.httpsAgent,
        transformRequest: passThrough,
        transformResponse: passThrough,
        responseType: 'text',
        validateStatus: () => true,
        maxRedirects: 0,
      });
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
}
