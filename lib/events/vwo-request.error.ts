/**
 * A request to VWO failed for good (its retries included). This is what reaches user code, e.g. as the
 * first argument of `batchEventData.flushCallback`, instead of the HTTP client's own error: that one
 * carries the request's configuration, whose URL (`env=`) and `Authorization` header hold the SDK key.
 * Here the URL is masked and nothing else of the request is kept.
 * @publicApi
 */
export class VWORequestError extends Error {
  constructor(
    message: string,
    /** HTTP status of the last attempt; undefined when none came (network error, timeout, abort). */
    readonly status: number | undefined,
    /** Attempts made, the first one included. */
    readonly attempts: number,
    /** The request's URL with the SDK key masked. */
    readonly url: string,
  ) {
    super(message);
    this.name = 'VWORequestError';
  }
}
