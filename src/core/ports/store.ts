import type { AlertStore, AuditStore, OutboxStore, SilenceStore } from './alerts.js';

/**
 * Storage ports. The core depends on these interfaces only; `src/store/sqlite` implements them (one
 * process; better-sqlite3 on Node 20, node:sqlite from 22.16: `sqlite/driver.ts`), `src/store/postgres`
 * with node-postgres (several replicas). Every method is async: a networked database answers later, and
 * a failure is a rejected promise the caller handles.
 */

/** One persisted metric sample: a numeric series keyed by (metric, scope). */
export interface MetricSample {
  ts: number;
  /** e.g. `utilization`, `equity`, `upnl`, `deviation`, `netDelta`, `portfolio.equity`. */
  metric: string;
  /** account id, canonical symbol, or `portfolio`. */
  scope: string;
  value: number;
}

export interface MetricPoint {
  ts: number;
  value: number;
}

/** A series thinned by `MetricsStore.rangeSampled`. */
export interface SampledRange {
  points: MetricPoint[];
  /**
   * Points in the window before thinning, counted only as far as needed: at most `points` (the
   * argument) is their exact number, and `points` here holds them all; more means more than that (the
   * answer is thinned) without counting every one.
   */
  samples: number;
}

/** Width of each of `slices` equal slices of [from, to] (at least 1 ms of window), as SQL gets it too. */
export function sliceWidth(from: number, to: number, slices: number): number {
  return Math.max(1, to - from) / slices;
}

/** The slice of [from, to] that `ts` falls in, 0 … slices − 1 (the end belongs to the last slice). */
export function sliceOf(ts: number, from: number, to: number, slices: number): number {
  return Math.min(slices - 1, Math.max(0, Math.floor((ts - from) / sliceWidth(from, to, slices))));
}

/**
 * The last whole millisecond of each of `slices` slices of [from, to], as `sliceOf` assigns them (the
 * last slice ends at `to`). A slice no millisecond falls in (a window shorter than `slices` ms) ends
 * where the one before it ends. A store finds each slice's last sample with one seek at its end.
 */
export function sliceEnds(from: number, to: number, slices: number): number[] {
  const width = sliceWidth(from, to, slices);
  const ends = new Array<number>(slices);
  for (let i = 0; i + 1 < slices; i++) {
    // The first millisecond of slice i + 1 is near from + (i + 1) × width; the float division in
    // sliceOf decides, so step to the exact one.
    let next = Math.ceil(from + (i + 1) * width);
    while (sliceOf(next - 1, from, to, slices) > i) next--;
    while (sliceOf(next, from, to, slices) <= i) next++;
    ends[i] = next - 1;
  }
  ends[slices - 1] = to;
  return ends;
}

export interface MetricsStore {
  append(samples: readonly MetricSample[]): Promise<void>;
  /** Points of one series in [from, to], oldest first (raw and downsampled rows merged). */
  range(metric: string, scope: string, from: number, to: number): Promise<MetricPoint[]>;
  /**
   * One series in [from, to] thinned in the database to at most `points` points: when `range` would
   * give more than `points`, the window is cut into `points` equal slices (slice of `ts`:
   * `sliceOf(ts, from, to, points)`) and each non-empty slice gives its last point in `range` order,
   * oldest first; otherwise every point, as `range` gives them. `samples`: how many points `range`
   * would give, exact up to `points` (above it: more than `points`). Thinning the answer again with the
   * same slices gives what thinning `range` gives. Costs a seek per slice (`sliceEnds`) and a count of
   * at most `points` + 1 rows, whatever the number of samples in the window.
   */
  rangeSampled(metric: string, scope: string, from: number, to: number, points: number): Promise<SampledRange>;
  /**
   * Retention: raw rows older than `rawBefore` are folded into hourly averages (min/max kept),
   * hourly rows older than `downsampledBefore` are deleted. Returns rows removed.
   */
  compact(rawBefore: number, downsampledBefore: number): Promise<number>;
  count(): Promise<number>;
}

/**
 * One time bucket of a value series (an account's or the portfolio's equity), summarised so that the
 * exact max drawdown over a run of buckets follows from the summaries (src/core/risk/drawdown-buckets.ts).
 */
export interface DrawdownBucketRow {
  metric: string;
  scope: string;
  /** Bucket start (a multiple of `span` since the epoch) and length, ms. */
  start: number;
  span: number;
  /** Samples folded in. */
  n: number;
  max: number;
  min: number;
  /** Worst peak-to-trough fall inside the bucket as a fraction of the peak, with that peak and trough. */
  dd: number;
  peak: number;
  trough: number;
}

/** Closed drawdown buckets, so the drawdown window is seeded at start-up without reading raw samples. */
export interface DrawdownBucketStore {
  /** Rows of `metric` with length `span` starting at or after `from`, by scope then start. */
  load(metric: string, span: number, from: number): Promise<DrawdownBucketRow[]>;
  /** Inserts or replaces rows, in one transaction. */
  save(rows: readonly DrawdownBucketRow[]): Promise<void>;
  /** Deletes rows that start before `before`; returns how many. */
  prune(before: number): Promise<number>;
}

/** Small durable key/value markers: last summary sent, command-definition hash, … */
export interface KvStore {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string): Promise<void>;
}

/** The stores one transaction sees; outside a transaction, the same stores on their own. */
export interface StoreScope {
  readonly metrics: MetricsStore;
  /** Drawdown bucket summaries; without it the risk history rebuilds them from `metrics` at start-up. */
  readonly drawdownBuckets?: DrawdownBucketStore;
  readonly kv: KvStore;
  /** Alert lifecycle rows and which messages carry them (src/core/ports/alerts.ts). */
  readonly alerts: AlertStore;
  readonly silences: SilenceStore;
  readonly audit: AuditStore;
  /** Notifications stored before they are sent. */
  readonly outbox: OutboxStore;
}

export interface Store extends StoreScope {
  /** `sqlite:<path>` or `postgres://host/db` (no password): for logs and /status. */
  readonly description: string;
  /**
   * Runs `fn` in one transaction: everything it does through `tx` commits together or not at all.
   * Use `tx`, not the store, inside `fn` (on PostgreSQL the transaction is one pooled connection).
   */
  transaction<T>(fn: (tx: StoreScope) => Promise<T>): Promise<T>;
  /** Resolves when the database answers; rejects with the reason when it does not. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
