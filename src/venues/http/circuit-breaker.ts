import type { Clock } from '../../core/clock.js';

export type CircuitState = 'closed' | 'open' | 'half-open';

export interface CircuitBreakerOptions {
  /** Consecutive venue failures that open the circuit. */
  failureThreshold: number;
  /** How long the circuit stays open before one probe call is let through. */
  coolDownMs: number;
}

export const DEFAULT_BREAKER: CircuitBreakerOptions = { failureThreshold: 5, coolDownMs: 30_000 };

/**
 * Closed → open after N consecutive failures → half-open after the cool-down, when exactly one probe
 * goes through: success closes, failure re-opens. State that follows from time is computed from the
 * injected clock on read, not by timers.
 */
export class CircuitBreaker {
  private failures = 0;
  private openedAt: number | undefined;
  private probeInFlight = false;

  constructor(
    private readonly opts: CircuitBreakerOptions,
    private readonly clock: Clock,
  ) {}

  get state(): CircuitState {
    if (this.openedAt === undefined) return 'closed';
    return this.clock.now() - this.openedAt >= this.opts.coolDownMs ? 'half-open' : 'open';
  }

  /** Ms until a probe is allowed (0 when calls may go through). */
  retryInMs(): number {
    if (this.openedAt === undefined) return 0;
    return Math.max(0, this.openedAt + this.opts.coolDownMs - this.clock.now());
  }

  /** True when a call may go ahead; in half-open only the first caller (the probe) gets true. */
  tryAcquire(): boolean {
    const s = this.state;
    if (s === 'closed') return true;
    if (s === 'open' || this.probeInFlight) return false;
    this.probeInFlight = true;
    return true;
  }

  onSuccess(): void {
    this.failures = 0;
    this.openedAt = undefined;
    this.probeInFlight = false;
  }

  onFailure(): void {
    this.failures += 1;
    if (this.probeInFlight || this.failures >= this.opts.failureThreshold) {
      this.openedAt = this.clock.now();
      this.probeInFlight = false;
    }
  }
}
