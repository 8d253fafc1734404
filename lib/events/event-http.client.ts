import type { VWOLogger } from '../logger/vwo-logger.interface';
import { abortableSleep } from './abortable-sleep';
import { RetryPolicy, retryDelayMs } from './retry-policy';

export interface PostRequest {
  url: string;
  /** JSON text, or its UTF-8 bytes (batch bodies). */
  body: string | Buffer;
  headers: Record<string, string>;
}

/** An HTTP status, or why there is none (network error, timeout, abort). */
export type AttemptResult = { status: number } | { error: Error };

/** Makes one attempt of a request (HttpServiceTransport in production). */
export interface EventTransport {
  post(request: PostRequest, timeoutMs: number, signal: AbortSignal): Promise<AttemptResult>;
}

export interface PostOutcome {
  ok: boolean;
  status?: number;
  attempts: number;
  error?: Error;
}

/**
 * POSTs event requests with VWO's policy (§6.1): success is HTTP 200 exactly, 400 is final, anything
 * else (other statuses, network errors, timeouts) is retried with exponential backoff. Unlike VWO's
 * client, a timed-out attempt is aborted, so a late answer cannot start a duplicate send.
 */
export class EventHttpClient {
  constructor(
    private readonly transport: EventTransport,
    private readonly policy: RetryPolicy,
    private readonly timeoutMs: number,
    private readonly logger: VWOLogger,
    /** Aborting it (shutdown) cancels pending attempts and backoff waits. */
    private readonly stop: AbortSignal,
  ) {}

  async post(request: PostRequest): Promise<PostOutcome> {
    const path = pathOf(request.url);
    const maxRetries = this.policy.shouldRetry ? this.policy.maxRetries : 0;
    // Built only when needed: an Error captures a stack trace, about 15 µs, once per request otherwise.
    let last: AttemptResult | undefined;
    for (let attempt = 0; attempt <= maxRetries; attempt++) {
      if (this.stop.aborted) break;
      last = await this.transport.post(request, this.timeoutMs, this.stop);
      if ('status' in last && (last.status === 200 || last.status === 400)) {
        if (last.status === 400) this.logger.error(`Request for ${path} was rejected with status 400; not retried.`);
        return { ok: last.status === 200, status: last.status, attempts: attempt + 1, error: failure(last) };
      }
      if (attempt === maxRetries || this.stop.aborted) return this.failed(path, last, attempt + 1);
      const delay = retryDelayMs(this.policy, attempt);
      this.logger.error(
        `Request failed for ${path}. Error: ${failure(last)?.message}. Retrying in ${delay / 1000} seconds, attempt ${attempt + 1} of ${maxRetries}`,
      );
      if (!(await abortableSleep(delay, this.stop))) return this.failed(path, last, attempt + 1);
    }
    return this.failed(path, last ?? { error: new Error('not sent') }, 0);
  }

  private failed(path: string, last: AttemptResult, attempts: number): PostOutcome {
    const error = failure(last) ?? new Error('request not sent');
    this.logger.error(`Network call for ${path} failed after ${Math.max(attempts - 1, 0)} retry attempt(s). Got Error: ${error.message}`);
    return { ok: false, status: 'status' in last ? last.status : undefined, attempts, error };
  }
}

function failure(result: AttemptResult): Error | undefined {
  if ('error' in result) return result.error;
  return result.status === 200 ? undefined : new Error(`Status Code: ${result.status}`);
}

/** Logs name the path only: the query carries the SDK key. */
function pathOf(url: string): string {
  const start = url.indexOf('/', url.indexOf('//') + 2);
  const end = url.indexOf('?');
  return url.slice(start, end < 0 ? undefined : end);
}
