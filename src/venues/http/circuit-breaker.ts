import type { Clock } from '../../core/clock.js';

export type CircuitState = 'closed' | 'open' | 'half-open';

export interface CircuitBreakerOptions {
  /** Consecutive venue failures that open the circuit. */
  failureThreshold: number;
  /** How long the circuit stays open before one probe call is let through. */
  coolDownMs: number;
}

export const DEFAULT_BREAKER: CircuitBreakerOptions = { failureThreshold: 5, coolDownMs: 30_000 };

/** `go`: call now. `open`: fail fast. A promise: wait for the probe; true means go, false fail fast. */
export type Admission = 'go' | 'open' | Promise<boolean>;

/**
 * Closed → open after N consecutive failures → half-open after the cool-down. In half-open exactly one
 * call (the probe) goes out; calls arriving meanwhile wait for its outcome instead of failing, so an
 * account whose sync needs two requests is not failed by its own second request. State that follows
 * from time is computed from the injected clock on read, not by timers.
 */
export class CircuitBreaker {
  private failures = 0;
  private openedAt: number | undefined;
  private probe: { promise: Promise<boolean>; settle: (ok: boolean) => void } | undefined;

  constructor(
    private readonly opts: CircuitBreakerOptions,
    private readonly clock: Clock,
  ) {}

  get state(): CircuitState {
    if (this.openedAt === undefined) return 'closed';
    return this.retryInMs() === 0 ? 'half-open' : 'open';
  }

  /** Ms until a probe is allowed (0 when calls may go through). */
  retryInMs(): number {
    if (this.openedAt === undefined) return 0;
    const elapsed = this.clock.now() - this.openedAt;
    // Opened "in the future": the wall clock went back. Probe now rather than stay open for the jump.
    if (elapsed < 0) return 0;
    return Math.max(0, this.opts.coolDownMs - elapsed);
  }

  admit(): Admission {
    const s = this.state;
    if (s === 'closed') return 'go';
    if (s === 'open') return 'open';
    if (this.probe) return this.probe.promise;
    let settle: (ok: boolean) => void = () => undefined;
    const promise = new Promise<boolean>((resolve) => {
      settle = resolve;
    });
    this.probe = { promise, settle };
    return 'go';
  }

  onSuccess(): void {
    this.failures = 0;
    this.openedAt = undefined;
    this.endProbe(true);
  }

  onFailure(): void {
    this.failures += 1;
    if (this.probe || this.failures >= this.opts.failureThreshold) {
      this.openedAt = this.clock.now();
      this.endProbe(false);
    }
  }

  private endProbe(ok: boolean): void {
    const p = this.probe;
    this.probe = undefined;
    p?.settle(ok);
  }
}
