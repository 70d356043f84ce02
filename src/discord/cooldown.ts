import type { Clock } from '../core/clock.js';

/** Entries older than the cooldown are dropped once the map grows past this. */
const PRUNE_AT = 1_000;

/**
 * A per-key cooldown (key = Discord user id): one accepted use per `ms`. Refused attempts do not
 * extend the wait. Time comes from the injected clock.
 */
export class Cooldown {
  private readonly last = new Map<string, number>();

  constructor(
    private readonly ms: number,
    private readonly clock: Clock,
  ) {}

  /** Records a use and returns 0, or returns how long (ms) the key still has to wait. */
  take(key: string): number {
    if (this.ms <= 0) return 0;
    const now = this.clock.now();
    const prev = this.last.get(key);
    // A use "in the future" means the wall clock went back: never make anyone wait longer than the cooldown.
    if (prev !== undefined && now >= prev && now - prev < this.ms) return this.ms - (now - prev);
    this.last.set(key, now);
    if (this.last.size > PRUNE_AT) this.prune(now);
    return 0;
  }

  private prune(now: number): void {
    for (const [k, t] of this.last) if (now - t >= this.ms) this.last.delete(k);
  }
}
