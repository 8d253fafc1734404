import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { VWO_OPTIONS } from '../vwo.internal-constants';

/**
 * The keep-alive agents of every request to VWO (settings, events, gateway), as VWO's SDK configures them.
 * Each field left out takes VWO's default; a value under VWO's minimum is refused.
 */
export interface VWOHttpsAgentConfig {
  /** Keep sockets open between requests. @default true */
  keepAlive?: boolean;
  /** Sockets per host, at least 50. @default 100 */
  maxSockets?: number;
  /** Idle sockets kept per host, at least 10. @default 20 */
  maxFreeSockets?: number;
  /** Milliseconds a socket may stay idle, at least 30000. @default 60000 */
  timeout?: number;
}

/** VWO's keep-alive agent settings, used for the fields `httpsAgentConfig` leaves out. */
export const DEFAULT_HTTPS_AGENT_CONFIG: Readonly<Required<VWOHttpsAgentConfig>> = Object.freeze({
  keepAlive: true,
  maxSockets: 100,
  maxFreeSockets: 20,
  timeout: 60_000,
});

/** The lowest value VWO's SDK accepts for each numeric field (it replaces a lower one by the default; we refuse it). */
export const MIN_HTTPS_AGENT_CONFIG = Object.freeze({ maxSockets: 50, maxFreeSockets: 10, timeout: 30_000 });

/**
 * The TCP keep-alive delay axios' HTTP adapter sets on the socket of every request (`setKeepAlive(true, 60000)`).
 * Agents use the same delay: with Node's default (1 s), each request would reset it twice, each time with
 * several system calls (once from axios, once from the agent when the socket goes back to the pool).
 */
export const AXIOS_KEEP_ALIVE_MS = 60_000;

/** The request options (axios' `httpAgent` / `httpsAgent`) that make a request use these agents. */
export interface VWOAgentRequestOptions {
  httpAgent?: HttpAgent;
  httpsAgent?: HttpsAgent;
}

/**
 * The agents of `httpsAgentConfig`, one pair per VWOModule instance, shared by every request it makes
 * (settings, events, gateway). Without the option there are none and each client keeps its own default.
 * Closed at application shutdown, after the last events were flushed (beforeApplicationShutdown).
 */
@Injectable()
export class VWOHttpAgents implements OnApplicationShutdown {
  /** The resolved agent settings, or undefined without `httpsAgentConfig`. */
  readonly config?: Readonly<Required<VWOHttpsAgentConfig>>;
  /** Spread into a request's options: empty without `httpsAgentConfig`. */
  readonly requestOptions: Readonly<VWOAgentRequestOptions>;

  constructor(@Inject(VWO_OPTIONS) options: { readonly httpsAgentConfig?: VWOHttpsAgentConfig }) {
    const given = options.httpsAgentConfig;
    if (!given) {
      this.requestOptions = Object.freeze({});
      return;
    }
    const config = (this.config = Object.freeze({ ...DEFAULT_HTTPS_AGENT_CONFIG, ...withoutUndefined(given) }));
    const agentOptions = { ...config, keepAliveMsecs: AXIOS_KEEP_ALIVE_MS };
    this.requestOptions = Object.freeze({ httpAgent: new HttpAgent(agentOptions), httpsAgent: new HttpsAgent(agentOptions) });
  }

  onApplicationShutdown(): void {
    this.requestOptions.httpAgent?.destroy();
    this.requestOptions.httpsAgent?.destroy();
  }
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
