import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/core/clock.js';
import { Cooldown } from '../../src/discord/cooldown.js';
import { CircuitBreaker } from '../../src/venues/http/circuit-breaker.js';
import { RateLimiter } from '../../src/venues/http/rate-limiter.js';
import { TtlCache } from '../../src/venues/http/ttl-cache.js';

const H = 3_600_000;

/*
 * Everything that measures a wait from a stored timestamp, after the wall clock went back an hour:
 * none of them may wait the hour on top of its own interval (a venue left unsynced, a user locked out,
 * prices served from a stale cache).
 */
describe('waits measured on the wall clock, when it goes back 1 h', () => {
  it('circuit breaker: an open circuit lets a probe through instead of staying open for the hour', () => {
    const clock = new FakeClock();
    const breaker = new CircuitBreaker({ failureThreshold: 1, coolDownMs: 30_000 }, clock);
    breaker.onFailure();
    expect(breaker.state).toBe('open');
    clock.advance(-H);
    expect(breaker.state).toBe('half-open');
    expect(breaker.retryInMs()).toBe(0);
    expect(breaker.admit()).toBe('go');
    breaker.onSuccess();
    expect(breaker.state).toBe('closed');
  });

  it('rate limiter: a venue block (Retry-After 30 s) and the token bucket move with the clock', async () => {
    const clock = new FakeClock();
    const waits: number[] = [];
    const limiter = new RateLimiter({ weight: 10, windowMs: 10_000 }, clock, async (ms) => void waits.push(ms));
    limiter.blockUntil(clock.now() + 30_000);
    clock.advance(-H);
    await limiter.acquire(1);
    expect(waits).toEqual([30_000]);
    clock.advance(30_000);
    for (let i = 0; i < 10; i++) await limiter.acquire(1);
    clock.advance(10_000); // a full window later the bucket is full again, as without the jump
    waits.length = 0;
    for (let i = 0; i < 10; i++) await limiter.acquire(1);
    expect(waits).toEqual([]);
  });

  it('TTL cache: an entry stored "in the future" is stale, not served for the hour', async () => {
    const clock = new FakeClock();
    const cache = new TtlCache<number>(5_000, clock);
    let loads = 0;
    const load = async (): Promise<number> => ++loads;
    expect(await cache.get('k', load)).toBe(1);
    clock.advance(-H);
    expect(await cache.get('k', load)).toBe(2);
    expect(await cache.get('k', load)).toBe(2);
  });

  it('command cooldown: nobody waits more than the cooldown', () => {
    const clock = new FakeClock();
    const cooldown = new Cooldown(60_000, clock);
    expect(cooldown.take('u')).toBe(0);
    clock.advance(-H);
    expect(cooldown.take('u')).toBe(0);
    clock.advance(1_000);
    expect(cooldown.take('u')).toBe(59_000);
  });
});
