import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../../src/core/clock.js';
import { backoffDelay, DEFAULT_RETRY_POLICY } from '../../../src/venues/http/backoff.js';
import { CircuitBreaker } from '../../../src/venues/http/circuit-breaker.js';
import { RateLimiter } from '../../../src/venues/http/rate-limiter.js';
import { parseRetryAfter } from '../../../src/venues/http/retry-after.js';

describe('parseRetryAfter', () => {
  const now = Date.UTC(2026, 0, 1);
  it('reads delta-seconds and HTTP dates', () => {
    expect(parseRetryAfter('2', now)).toBe(2000);
    expect(parseRetryAfter(['0.5'], now)).toBe(500);
    expect(parseRetryAfter(new Date(now + 7000).toUTCString(), now)).toBe(7000);
    expect(parseRetryAfter(new Date(now - 7000).toUTCString(), now)).toBe(0);
  });
  it('ignores absent or garbage values', () => {
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
  });
});

describe('backoffDelay', () => {
  const policy = { ...DEFAULT_RETRY_POLICY, baseDelayMs: 100, maxDelayMs: 1000 };
  it('doubles per retry, capped, with equal jitter between half and full', () => {
    expect([1, 2, 3, 4, 5].map((r) => backoffDelay(policy, r, () => 1))).toEqual([100, 200, 400, 800, 1000]);
    expect([1, 2, 3].map((r) => backoffDelay(policy, r, () => 0))).toEqual([50, 100, 200]);
  });
});

describe('RateLimiter', () => {
  it('spends weight, then makes callers wait for the refill in arrival order', async () => {
    const clock = new FakeClock(0);
    const waits: number[] = [];
    const limiter = new RateLimiter({ weight: 2400, windowMs: 60_000 }, clock, async (ms) => void waits.push(ms));
    await limiter.acquire(2400);
    await Promise.all([limiter.acquire(20), limiter.acquire(20)]);
    expect(waits).toEqual([500, 1000]); // 40 weight per second
    clock.advance(60_000);
    // The 40 borrowed by the waiters (this sleep does not move the clock) is paid from the refill.
    expect(limiter.available()).toBe(2360);
  });

  it('a venue back-off blocks the bucket until the given time', async () => {
    const clock = new FakeClock(0);
    const waits: number[] = [];
    const limiter = new RateLimiter({ weight: 10, windowMs: 1000 }, clock, async (ms) => void waits.push(ms));
    limiter.blockUntil(3000);
    await limiter.acquire(1);
    expect(waits).toEqual([3000]);
  });

  it('gives the weight back when the waiting caller is aborted', async () => {
    const clock = new FakeClock(0);
    const limiter = new RateLimiter({ weight: 10, windowMs: 1000 }, clock, async (_ms, signal) => signal?.throwIfAborted());
    await limiter.acquire(10);
    await expect(limiter.acquire(5, AbortSignal.abort(new Error('deadline')))).rejects.toThrow('deadline');
    expect(limiter.available()).toBe(0);
  });
});

describe('CircuitBreaker', () => {
  it('closed → open after N failures → half-open after the cool-down → closed on a good probe', async () => {
    const clock = new FakeClock(0);
    const b = new CircuitBreaker({ failureThreshold: 3, coolDownMs: 10_000 }, clock);
    b.onFailure();
    b.onFailure();
    b.onSuccess(); // consecutive only
    b.onFailure();
    b.onFailure();
    expect(b.state).toBe('closed');
    b.onFailure();
    expect([b.state, b.admit(), b.retryInMs()]).toEqual(['open', 'open', 10_000]);
    clock.advance(10_000);
    expect(b.state).toBe('half-open');
    expect(b.admit()).toBe('go'); // the probe
    const waiter = b.admit();
    expect(waiter).toBeInstanceOf(Promise);
    b.onSuccess();
    await expect(waiter).resolves.toBe(true);
    expect(b.state).toBe('closed');
  });

  it('a failed probe re-opens and releases waiters with "no"', async () => {
    const clock = new FakeClock(0);
    const b = new CircuitBreaker({ failureThreshold: 1, coolDownMs: 5000 }, clock);
    b.onFailure();
    clock.advance(5000);
    expect(b.admit()).toBe('go');
    const waiter = b.admit();
    b.onFailure();
    await expect(waiter).resolves.toBe(false);
    expect([b.state, b.retryInMs()]).toEqual(['open', 5000]);
  });
});
