import type { Clock } from '../../core/clock.js';

/**
 * Local clock corrected by the venue's: signed requests stamp `now()` so a drifting host clock does not
 * earn -1021 ("outside of the recvWindow"). The offset is measured against a round trip's midpoint.
 */
export class ServerTime {
  private offsetMs = 0;
  private pending: Promise<void> | undefined;

  constructor(private readonly clock: Clock) {}

  now(): number {
    return Math.round(this.clock.now() + this.offsetMs);
  }

  get offset(): number {
    return this.offsetMs;
  }

  /** Record a server time seen in a response that was requested at `sentAt` and received now. */
  observe(serverTime: number, sentAt: number): void {
    const midpoint = (sentAt + this.clock.now()) / 2;
    this.offsetMs = serverTime - midpoint;
  }

  /** Run `fetchServerTime` (single flight) and record its answer. */
  async sync(fetchServerTime: () => Promise<number>): Promise<void> {
    this.pending ??= (async () => {
      const sentAt = this.clock.now();
      try {
        this.observe(await fetchServerTime(), sentAt);
      } finally {
        this.pending = undefined;
      }
    })();
    return this.pending;
  }
}
