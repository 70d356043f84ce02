import { DeltaOpsError, ErrorCode } from '../errors.js';

/**
 * The budget of one sync: every venue call of the tick (market data and accounts alike) races it, so a
 * slow venue, whose market-data retries used to run before any account's own timeout started, can hold
 * the tick no longer than this. Real time (a timer), like the per-call timeouts it bounds.
 */
export class TickDeadline {
  /** Resolves (never rejects) when the budget is spent; pending forever once disposed. */
  readonly passed: Promise<void>;
  private fired = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(readonly ms: number) {
    this.passed = new Promise((resolve) => {
      this.timer = setTimeout(() => {
        this.fired = true;
        resolve();
      }, ms);
    });
  }

  get expired(): boolean {
    return this.fired;
  }

  /** The 2001 a call gets when the tick's budget ran out before it finished (or started). */
  error(what: string): DeltaOpsError {
    return new DeltaOpsError(ErrorCode.VenueTimeout, `${what} timed out: the sync's ${this.ms} ms deadline passed`, { retryable: true });
  }

  /** The tick is over; a timer left running would keep the process alive and fire into nothing. */
  dispose(): void {
    clearTimeout(this.timer);
  }
}
