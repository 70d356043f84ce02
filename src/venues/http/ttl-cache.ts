import type { Clock } from '../../core/clock.js';

/**
 * Memo with a time-to-live and single flight: concurrent callers of the same key share one request.
 * Used for venue-wide data that many accounts or calls need within one tick (Rasa open interest,
 * Binance premium index, funding intervals). Failures are not cached.
 */
export class TtlCache<T> {
  private readonly entries = new Map<string, { at: number; value: T }>();
  private readonly inFlight = new Map<string, Promise<T>>();

  constructor(
    private readonly ttlMs: number,
    private readonly clock: Clock,
  ) {}

  async get(key: string, load: () => Promise<T>): Promise<T> {
    const hit = this.entries.get(key);
    const age = hit ? this.clock.now() - hit.at : Number.NaN;
    // A negative age means the wall clock went back: the entry's age is unknown, so it is stale.
    if (hit && age >= 0 && age < this.ttlMs) return hit.value;
    const pending = this.inFlight.get(key);
    if (pending) return pending;
    const p = load().then(
      (value) => {
        this.entries.set(key, { at: this.clock.now(), value });
        this.inFlight.delete(key);
        return value;
      },
      (e: unknown) => {
        this.inFlight.delete(key);
        throw e;
      },
    );
    this.inFlight.set(key, p);
    return p;
  }
}
