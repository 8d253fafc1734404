import { redactSdkKey } from '../logger/mask-sdk-key';
import { OutageLog } from '../logger/outage-log';
import type { VWOLogger } from '../logger/vwo-logger.interface';
import { abortableSleep } from './abortable-sleep';
import { RetryPolicy, retryDelayMs } from '../network/retry-policy';
import { VWORequestError } from './vwo-request.error';

export interface PostRequest {
  url: string;
  /** JSON text, or its UTF-8 bytes (batch bodies). */
  body: string | Buffer;
  /** Never changed once given: a transport may reuse what it derived from the same object. */
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
  /** Set when ok is false; never carries the SDK key. */
  error?: VWORequestError;
}

/**
 * POSTs event requests with VWO's policy (docs/events.md): success is HTTP 200 exactly, 400 is final, anything
 * else (other statuses, network errors, timeouts) is retried with exponential backoff. Unlike VWO's
 * client, a timed-out attempt is aborted, so a late answer cannot start a duplicate send. Failures are
 * logged once per outage (every attempt at debug level), and a failed request ends in a VWORequestError.
 */
export class EventHttpClient {
  private readonly outage: OutageLog;

  constructor(
    private readonly transport: EventTransport,
    private readonly policy: RetryPolicy,
    private readonly timeoutMs: number,
    private readonly logger: VWOLogger,
    /** Aborting it (shutdown) cancels pending attempts and backoff waits. */
    private readonly stop: AbortSignal,
    /** Masked in every error and log line. */
    private readonly sdkKey?: string,
  ) {
    this.outage = new OutageLog(logger, 'Event requests to VWO');
  }

  async post(request: PostRequest): Promise<PostOutcome> {
    const maxRetries = this.policy.shouldRetry ? this.policy.maxRetries : 0;
    // Errors and log lines are built only on failure: an Error captures a stack trace, about 15 µs.
    let last: AttemptResult | undefined;
    for (let attempt = 0; attempt <= maxRetries; attempt++) {
      if (this.stop.aborted) break;
      last = await this.transport.post(request, this.timeoutMs, this.stop);
      if ('status' in last && last.status === 200) {
        this.outage.success();
        return { ok: true, status: 200, attempts: attempt + 1 };
      }
      if ('status' in last && last.status === 400) {
        // VWO refused the payload itself: not an outage, and final.
        this.logger.error(`Request for ${pathOf(request.url)} was rejected with status 400; not retried.`);
        return { ok: false, status: 400, attempts: attempt + 1, error: this.error(request.url, last, attempt + 1) };
      }
      if (attempt === maxRetries || this.stop.aborted) return this.failed(request.url, last, attempt + 1);
      const delay = retryDelayMs(this.policy, attempt);
      const retrying = `Request failed for ${pathOf(request.url)}. Error: ${this.messageOf(last)}. Retrying in ${delay / 1000} seconds, attempt ${attempt + 1} of ${maxRetries}`;
      this.outage.failure('unavailable', `${retrying}; further failures are logged at debug level until a request succeeds`, retrying);
      if (!(await abortableSleep(delay, this.stop))) return this.failed(request.url, last, attempt + 1);
    }
    return this.failed(request.url, last ?? { error: new Error('request not sent') }, 0);
  }

  private failed(url: string, last: AttemptResult, attempts: number): PostOutcome {
    const error = this.error(url, last, attempts);
    const line = `Network call for ${pathOf(url)} failed after ${Math.max(attempts - 1, 0)} retry attempt(s). Got Error: ${error.message}`;
    this.outage.failure('unavailable', `${line}; further failures are logged at debug level until a request succeeds`, line);
    return { ok: false, status: error.status, attempts, error };
  }

  /** Our own error: the transport's (an AxiosError) carries the request, SDK key included. */
  private error(url: string, last: AttemptResult, attempts: number): VWORequestError {
    const status = 'status' in last ? last.status : undefined;
    return new VWORequestError(this.messageOf(last), status, attempts, redactSdkKey(url, this.sdkKey));
  }

  private messageOf(result: AttemptResult): string {
    const message = 'error' in result ? result.error.message || result.error.name : `Status Code: ${result.status}`;
    return redactSdkKey(message, this.sdkKey);
  }
}

/** Logs name the path only: the query carries the SDK key. */
function pathOf(url: string): string {
  const start = url.indexOf('/', url.indexOf('//') + 2);
  const end = url.indexOf('?');
  return url.slice(start, end < 0 ? undefined : end);
}
