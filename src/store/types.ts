import type { AlertStore, AuditStore, OutboxStore, SilenceStore } from './alert-types.js';

/**
 * Storage ports. The core depends on these interfaces only; `sqlite/` implements them with
 * better-sqlite3, and another backend (PostgreSQL for several replicas) can implement them later.
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

export interface MetricsStore {
  append(samples: readonly MetricSample[]): void;
  /** Points of one series in [from, to], oldest first (raw and downsampled rows merged). */
  range(metric: string, scope: string, from: number, to: number): MetricPoint[];
  /**
   * Retention: raw rows older than `rawBefore` are folded into hourly averages (min/max kept),
   * hourly rows older than `downsampledBefore` are deleted. Returns rows removed.
   */
  compact(rawBefore: number, downsampledBefore: number): number;
  count(): number;
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
  load(metric: string, span: number, from: number): DrawdownBucketRow[];
  /** Inserts or replaces rows, in one transaction. */
  save(rows: readonly DrawdownBucketRow[]): void;
  /** Deletes rows that start before `before`; returns how many. */
  prune(before: number): number;
}

/** Small durable key/value markers: last summary sent, command-definition hash, … */
export interface KvStore {
  get(key: string): string | undefined;
  set(key: string, value: string): void;
}

export interface Store {
  readonly metrics: MetricsStore;
  /** Drawdown bucket summaries; without it the risk history rebuilds them from `metrics` at start-up. */
  readonly drawdownBuckets?: DrawdownBucketStore;
  readonly kv: KvStore;
  /** Alert lifecycle rows and which messages carry them (src/store/alert-types.ts). */
  readonly alerts: AlertStore;
  readonly silences: SilenceStore;
  readonly audit: AuditStore;
  /** Notifications stored before they are sent. */
  readonly outbox: OutboxStore;
  /** Runs `fn` in one transaction. */
  transaction<T>(fn: () => T): T;
  close(): void;
}
