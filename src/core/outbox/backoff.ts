import { randomBytes } from 'node:crypto';

export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 1000, maxMs: 300_000 };

/**
 * Delay before retry number `attempt` (1 = first retry): exponential, capped, with "equal jitter"
 * (half fixed, half random) so a burst of failures does not retry in lock-step yet never retries at
 * once. `random` returns [0, 1); inject it for deterministic tests.
 */
export function backoffDelay(attempt: number, policy: BackoffPolicy, random: () => number): number {
  const exp = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, Math.min(attempt - 1, 30)));
  return Math.round(exp / 2 + (exp / 2) * random());
}

/** Delay honouring the transport's Retry-After when it asks for longer than our backoff. */
export function retryDelay(attempt: number, afterMs: number | undefined, policy: BackoffPolicy, random: () => number): number {
  return Math.max(afterMs ?? 0, backoffDelay(attempt, policy, random));
}

/**
 * An idempotency key: 16 characters (Discord nonces are at most 25), 80 random bits, so keys never
 * repeat across restarts or a wiped database.
 */
export function newIdempotencyKey(): string {
  return `do${randomBytes(10).toString('base64url').slice(0, 16)}`;
}
