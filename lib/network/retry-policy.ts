/** Retries of settings fetches and event sends (docs/events.md). */
export interface VWORetryConfig {
  /** @default true */
  shouldRetry?: boolean;
  /** Retries after the first attempt. @default 3 */
  maxRetries?: number;
  /** Seconds before the first retry (fractions accepted). @default 2 */
  initialDelay?: number;
  /** Each retry waits this many times longer than the previous one. @default 2 */
  backoffMultiplier?: number;
}

/** VWO's retry policy (docs/events.md): the one place its defaults are written. */
export const DEFAULT_RETRY_CONFIG: Readonly<Required<VWORetryConfig>> = Object.freeze({
  shouldRetry: true,
  maxRetries: 3,
  initialDelay: 2,
  backoffMultiplier: 2,
});

/** A retry policy with delays in ms. */
export interface RetryPolicy {
  shouldRetry: boolean;
  maxRetries: number;
  initialDelayMs: number;
  backoffMultiplier: number;
}

/**
 * The policy of a retry config: missing fields take the defaults. The values themselves were checked when
 * the module options were validated; fractional initialDelay is allowed, so tests can retry in ms.
 */
export function resolveRetryPolicy(config: VWORetryConfig | undefined): RetryPolicy {
  const merged = { ...DEFAULT_RETRY_CONFIG, ...withoutUndefined(config) };
  return {
    shouldRetry: merged.shouldRetry,
    maxRetries: merged.maxRetries,
    initialDelayMs: merged.initialDelay * 1000,
    backoffMultiplier: merged.backoffMultiplier,
  };
}

/** Delay before retry n (0-based): initialDelay × multiplier^n. */
export function retryDelayMs(policy: RetryPolicy, retryIndex: number): number {
  return policy.initialDelayMs * policy.backoffMultiplier ** retryIndex;
}

function withoutUndefined(config: VWORetryConfig | undefined): VWORetryConfig {
  if (!config) return {};
  return Object.fromEntries(Object.entries(config).filter(([, value]) => value !== undefined)) as VWORetryConfig;
}
