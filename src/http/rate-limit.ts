/**
 * At most `limit` requests per client per `windowMs`, in fixed windows on a clock that never jumps
 * (a wall clock stepped back would otherwise hold a client out for as long as the step). Memory is
 * bounded: windows that ended are dropped as the map grows.
 */
export class RateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(private readonly opts: { limit: number; windowMs: number; monotonicNow: () => number; maxClients?: number }) {}

  /** Counts the request; returns the ms to wait when over the limit, else undefined. */
  take(client: string): number | undefined {
    const now = this.opts.monotonicNow();
    let w = this.windows.get(client);
    if (!w || now - w.start >= this.opts.windowMs) {
      if (!w && this.windows.size >= (this.opts.maxClients ?? 10_000)) this.prune(now);
      w = { start: now, count: 0 };
      this.windows.set(client, w);
    }
    w.count++;
    return w.count > this.opts.limit ? Math.max(1, Math.ceil(w.start + this.opts.windowMs - now)) : undefined;
  }

  private prune(now: number): void {
    for (const [k, w] of this.windows) if (now - w.start >= this.opts.windowMs) this.windows.delete(k);
    // Still full: a flood of distinct clients; forget the oldest windows rather than grow without bound.
    const excess = this.windows.size - Math.floor((this.opts.maxClients ?? 10_000) / 2);
    if (excess > 0) for (const k of [...this.windows.keys()].slice(0, excess)) this.windows.delete(k);
  }
}
