import type { DrawdownBucketRow, DrawdownBucketStore, MetricPoint, MetricSample, MetricsStore } from '../ports/store.js';
import type { AccountId, Symbol } from '../types.js';
import { BucketedSeries, type Bucket } from './bucketed-series.js';
import { METRIC, PORTFOLIO_SCOPE } from './history.js';
import type { RiskHistory } from './ports.js';

export interface MemoryRiskHistoryOptions {
  /** Where the samples were persisted; read once per series, when it is first asked for. */
  metrics: MetricsStore;
  /** Closed drawdown buckets: seeded from here, and written here as buckets close. */
  buckets?: DrawdownBucketStore;
  /** `thresholds.drawdown.window`: sets the bucket length (window / 24, whole minutes, at least 1 min). */
  drawdownWindowMs: number;
  /** Price history kept for σ_daily (the VaR window). */
  varWindowMs: number;
}

const MINUTE = 60_000;
const DRAWDOWN_METRICS = new Set<string>([METRIC.equity, METRIC.portfolioEquity]);

/** Bucket length for a drawdown window: ~1/24 of it in whole minutes (1 h for the default 24 h). */
export function drawdownBucketSpan(windowMs: number): number {
  return Math.max(MINUTE, Math.ceil(windowMs / 24 / MINUTE) * MINUTE);
}

/**
 * RiskHistory kept in memory and fed by the tick (`record`, after the samples are persisted), so a tick
 * reads no history from the database:
 *
 * - equity series (each account, the portfolio) as hourly drawdown buckets (bucketed-series.ts): the
 *   series it returns is a few points with the exact max drawdown of the samples, not the samples.
 *   The window reaches back to the start of the bucket holding `from` (at most one bucket, 1 h for a
 *   24 h window, more than asked);
 * - mark prices as the samples of the VaR window (few symbols).
 *
 * A series is loaded by `preload` (the tick calls it before computing risk, the store being async): its
 * closed buckets from the bucket store and the samples after them from the metrics store, so a start-up
 * reads about one bucket of rows per series rather than the whole window. A series that could not be
 * loaded (the database unreachable) reads as empty and is loaded again by the next `preload`. Memory is bounded by the windows: ~26 buckets per equity series, one
 * VaR window of samples per symbol.
 */
export class MemoryRiskHistory implements RiskHistory {
  readonly span: number;
  private readonly equity = new Map<string, BucketedSeries>();
  private readonly prices = new Map<string, MetricPoint[]>();
  /** Stored buckets by metric then scope, loaded once per metric on first use. */
  private readonly stored = new Map<string, Promise<Map<string, DrawdownBucketRow[]>>>();
  private closed: DrawdownBucketRow[] = [];

  constructor(private readonly opts: MemoryRiskHistoryOptions) {
    this.span = drawdownBucketSpan(opts.drawdownWindowMs);
  }

  accountEquitySeries(account: AccountId, from: number, to: number): readonly MetricPoint[] {
    return this.equity.get(key(METRIC.equity, account))?.points(from, to) ?? [];
  }

  portfolioEquitySeries(from: number, to: number): readonly MetricPoint[] {
    return this.equity.get(key(METRIC.portfolioEquity, PORTFOLIO_SCOPE))?.points(from, to) ?? [];
  }

  priceSeries(symbol: Symbol, from: number, to: number): readonly MetricPoint[] {
    const points = this.prices.get(symbol) ?? [];
    return points.slice(lowerBound(points, from), upperBound(points, to));
  }

  /**
   * Loads the series not loaded yet: each account's equity, the portfolio's, each symbol's marks, over
   * the drawdown window (equity) and the VaR window (marks) ending at `now`. A failure (database
   * unreachable) is thrown after the others were tried; those series stay unloaded until the next call.
   */
  async preload(accounts: readonly AccountId[], symbols: readonly Symbol[], now: number): Promise<void> {
    const from = now - this.opts.drawdownWindowMs;
    let failure: unknown;
    const attempt = async (load: () => Promise<void>): Promise<void> => {
      try {
        await load();
      } catch (err) {
        failure ??= err;
      }
    };
    const missing = accounts.filter((a) => !this.equity.has(key(METRIC.equity, a)));
    await eachLimited(missing, PRELOAD_CONCURRENCY, (account) => attempt(() => this.loadDrawdownSeries(METRIC.equity, account, from, now)));
    if (!this.equity.has(key(METRIC.portfolioEquity, PORTFOLIO_SCOPE))) await attempt(() => this.loadDrawdownSeries(METRIC.portfolioEquity, PORTFOLIO_SCOPE, from, now));
    await eachLimited(
      symbols.filter((s) => !this.prices.has(s)),
      PRELOAD_CONCURRENCY,
      (symbol) =>
        attempt(async () => {
          this.prices.set(symbol, await this.opts.metrics.range(METRIC.mark, symbol, now - this.opts.varWindowMs, now));
        }),
    );
    if (failure !== undefined) throw failure;
  }

  /**
   * Folds persisted samples into the series already loaded (others load from the store when first
   * asked for), and writes the drawdown buckets that closed.
   */
  record(samples: readonly MetricSample[]): Promise<void> {
    let latest = -Infinity;
    for (const s of samples) {
      if (!Number.isFinite(s.value)) continue;
      if (s.ts > latest) latest = s.ts;
      if (DRAWDOWN_METRICS.has(s.metric)) {
        const series = this.equity.get(key(s.metric, s.scope));
        const closed = series?.add(s.ts, s.value);
        if (closed) this.closed.push(toRow(s.metric, s.scope, this.span, closed));
      } else if (s.metric === METRIC.mark) {
        const points = this.prices.get(s.scope);
        if (points) insertPoint(points, { ts: s.ts, value: s.value });
      }
    }
    if (latest === -Infinity) return Promise.resolve();
    this.prune(latest);
    return this.saveClosed(latest);
  }

  /** Writes the buckets that closed; kept for the next call when the store fails. */
  private async saveClosed(latest: number): Promise<void> {
    if (!this.closed.length || !this.opts.buckets) {
      this.closed = [];
      return;
    }
    const rows = this.closed;
    this.closed = [];
    try {
      await this.opts.buckets.save(rows);
    } catch (err) {
      this.closed = [...rows, ...this.closed];
      throw err;
    }
    await this.opts.buckets.prune(latest - this.opts.drawdownWindowMs - 2 * this.span);
  }

  private async loadDrawdownSeries(metric: string, scope: string, from: number, to: number): Promise<void> {
    const k = key(metric, scope);
    const series = new BucketedSeries(this.span);
    const seedFrom = series.bucketStart(from);
    const stored = await this.storedRows(metric, seedFrom);
    for (const row of stored.get(scope) ?? []) {
      if (row.start >= seedFrom && row.start <= to) series.load(row.start, row);
    }
    // Needed once: the series keeps its buckets from now on.
    stored.delete(scope);
    // Samples after the last stored bucket (the one still filling when the process stopped, and any a
    // crash kept from being stored); with no stored buckets, the whole window (e.g. after an upgrade).
    const last = series.lastStart();
    const tailFrom = last === undefined ? seedFrom : last + this.span;
    for (const p of await this.opts.metrics.range(metric, scope, tailFrom, to)) series.add(p.ts, p.value);
    this.equity.set(k, series);
  }

  /** The stored buckets of `metric` by scope, read once for every series that loads side by side. */
  private storedRows(metric: string, from: number): Promise<Map<string, DrawdownBucketRow[]>> {
    let byScope = this.stored.get(metric);
    if (!byScope) {
      byScope = (async () => {
        const out = new Map<string, DrawdownBucketRow[]>();
        for (const row of (await this.opts.buckets?.load(metric, this.span, from)) ?? []) {
          const list = out.get(row.scope);
          if (list) list.push(row);
          else out.set(row.scope, [row]);
        }
        return out;
      })();
      this.stored.set(metric, byScope);
      // A failed read is tried again by the next series that asks.
      void byScope.catch(() => this.stored.delete(metric));
    }
    return byScope;
  }

  private prune(now: number): void {
    const bucketsBefore = now - this.opts.drawdownWindowMs - this.span;
    for (const s of this.equity.values()) s.prune(bucketsBefore);
    const pricesBefore = now - this.opts.varWindowMs;
    for (const points of this.prices.values()) {
      const n = lowerBound(points, pricesBefore);
      // Drop in batches: one splice per ~1/8 of the window, not one per tick.
      if (n > 0 && n * 8 >= points.length) points.splice(0, n);
    }
  }
}

const key = (metric: string, scope: string): string => `${metric}\u0000${scope}`;

/**
 * Series loaded side by side: a database store answers them over its pool of connections instead of
 * one round trip after another (10,000 accounts: 10,000 reads); SQLite runs them in turn anyway.
 */
const PRELOAD_CONCURRENCY = 8;

async function eachLimited<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}

function toRow(metric: string, scope: string, span: number, b: Bucket): DrawdownBucketRow {
  const s = b.summary;
  return { metric, scope, start: b.start, span, n: s.n, max: s.max, min: s.min, dd: s.dd, peak: s.peak, trough: s.trough };
}

/** First index with ts ≥ t. */
function lowerBound(points: readonly MetricPoint[], t: number): number {
  let lo = 0;
  let hi = points.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (points[mid]!.ts < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index with ts > t. */
function upperBound(points: readonly MetricPoint[], t: number): number {
  let lo = 0;
  let hi = points.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (points[mid]!.ts <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Appends, or inserts in ts order after equal timestamps (as the store's ORDER BY ts keeps them). */
function insertPoint(points: MetricPoint[], p: MetricPoint): void {
  if (points.length === 0 || points[points.length - 1]!.ts <= p.ts) points.push(p);
  else points.splice(upperBound(points, p.ts), 0, p);
}
