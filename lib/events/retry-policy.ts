import type { EventsOptions } from './events-options.interface';

/** Retry policy of event requests (docs/events.md), with delays in ms. */
export interface RetryPolicy {
  shouldRetry: boolean;
  maxRetries: number;
  initialDelayMs: number;
  backoffMultiplier: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  shouldRetry: true,
  maxRetries: 3,
  initialDelayMs: 2000,
  backoffMultiplier: 2,
};

/**
 * Per-field fallback to the defaults (VWO replaces the whole config when one field is bad; keeping the
 * valid fields is less surprising). Fractional initialDelay is allowed, so tests can retry in ms.
 */
export function resolveRetryPolicy(config: EventsOptions['retryConfig']): RetryPolicy {
  const d = DEFAULT_RETRY_POLICY;
  const c = config ?? {};
  const isNum = (v: unknown, min: number): v is number => typeof v === 'number' && Number.isFinite(v) && v >= min;
  return {
    shouldRetry: typeof c.shouldRetry === 'boolean' ? c.shouldRetry : d.shouldRetry,
    maxRetries: isNum(c.maxRetries, 0) ? Math.floor(c.maxRetries) : d.maxRetries,
    initialDelayMs: isNum(c.initialDelay, 0) ? c.initialDelay * 1000 : d.initialDelayMs,
    backoffMultiplier: isNum(c.backoffMultiplier, 1) ? c.backoffMultiplier : d.backoffMultiplier,
  };
}

/** Delay before retry n (0-based): initialDelay × multiplier^n. */
export function retryDelayMs(policy: RetryPolicy, retryIndex: number): number {
  return policy.initialDelayMs * policy.backoffMultiplier ** retryIndex;
}
