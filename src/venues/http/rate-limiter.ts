import type { Clock } from '../../core/clock.js';
import type { Sleep } from './sleep.js';

export interface RateLimit {
  /** Weight allowed per window (Binance REQUEST_WEIGHT 2400 per minute). */
  weight: number;
  windowMs: number;
}

/**
 * Token bucket by request weight. A caller takes its weight at once, even into debt, and then waits
 * for the debt to refill: callers are served in arrival order and a sleep that returns early (tests)
 * cannot make it spin. A 429/418 can block the whole bucket until the venue's Retry-After.
 */
export class RateLimiter {
  private tokens: number;
  private updatedAt: number;
  private blockedUntil = 0;
  private readonly perMs: number;

  constructor(
    readonly limit: RateLimit,
    private readonly clock: Clock,
    private readonly sleep: Sleep,
  ) {
    this.tokens = limit.weight;
    this.updatedAt = clock.now();
    this.perMs = limit.weight / limit.windowMs;
  }

  /** Resolves when `weight` may be spent; rejects with the signal's reason if aborted while waiting. */
  async acquire(weight: number, signal?: AbortSignal): Promise<void> {
    const w = Math.min(Math.max(weight, 0), this.limit.weight);
    this.refill();
    this.tokens -= w;
    const now = this.clock.now();
    const debtWait = this.tokens < 0 ? Math.ceil(-this.tokens / this.perMs) : 0;
    const wait = Math.max(debtWait, this.blockedUntil - now);
    if (wait <= 0) return;
    try {
      await this.sleep(wait, signal);
    } catch (e) {
      this.tokens += w;
      throw e;
    }
  }

  /** The venue told us to back off: nobody on this bucket calls before `until` (epoch ms). */
  blockUntil(until: number): void {
    this.refill();
    this.blockedUntil = Math.max(this.blockedUntil, until);
  }

  /** Tokens available now (may be negative while callers wait). */
  available(): number {
    this.refill();
    return this.tokens;
  }

  private refill(): void {
    const now = this.clock.now();
    if (now < this.updatedAt) {
      // The wall clock went back: move our marks with it, or nothing would refill (and a venue's
      // block would last) for as long as the jump.
      if (this.blockedUntil > 0) this.blockedUntil -= this.updatedAt - now;
      this.updatedAt = now;
    }
    const elapsed = now - this.updatedAt;
    if (elapsed > 0) {
      this.tokens = Math.min(this.limit.weight, this.tokens + elapsed * this.perMs);
      this.updatedAt = now;
    }
  }
}
