import type { Random } from './sleep.js';

export interface RetryPolicy {
  /** Total attempts including the first (1 = no retry). */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** A Retry-After longer than this is not waited for in-call; the error goes back to the caller. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 3,
  baseDelayMs: 250,
  maxDelayMs: 4000,
  maxRetryAfterMs: 10_000,
};

/**
 * Delay before retry number `retry` (1-based): exponential with "equal jitter", so retries of many
 * accounts spread out yet never collapse to zero. With random() = 1 it is exactly base × 2^(retry−1).
 */
export function backoffDelay(policy: RetryPolicy, retry: number, random: Random): number {
  const exp = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  return Math.round(exp / 2 + (exp / 2) * random());
}
