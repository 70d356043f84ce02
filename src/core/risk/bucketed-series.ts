import type { MetricPoint } from '../ports/store.js';
import { addSample, combine, emptySummary, summaryPoints, type DrawdownSummary } from './drawdown-buckets.js';

export interface Bucket {
  start: number;
  summary: DrawdownSummary;
}

/**
 * One value series kept as drawdown summaries of fixed time buckets (`span` ms, aligned to the epoch),
 * so its exact max drawdown over a window costs a handful of points however many samples it holds.
 * A window [from, to] covers every bucket that overlaps it: the look-back reaches to the start of the
 * bucket holding `from` (up to one span more than asked; never less, so no fall inside the window is
 * missed).
 */
export class BucketedSeries {
  /** Oldest first; the last one is usually still filling. */
  private buckets: Bucket[] = [];
  /** Combined summary of buckets [first, last] (by start), valid while `version` is unchanged. */
  private cache: { first: number; last: number; version: number; summary: DrawdownSummary } | undefined;
  /** Bumped whenever a bucket other than the last changes. */
  private version = 0;

  constructor(readonly span: number) {}

  bucketStart(ts: number): number {
    return Math.floor(ts / this.span) * this.span;
  }

  /** Adds a sample; returns the bucket it closed when it opened a new one. */
  add(ts: number, value: number): Bucket | undefined {
    if (!Number.isFinite(value)) return undefined;
    const start = this.bucketStart(ts);
    const last = this.buckets.at(-1);
    if (!last || start > last.start) {
      const bucket = { start, summary: emptySummary() };
      addSample(bucket.summary, value);
      this.buckets.push(bucket);
      return last;
    }
    if (start === last.start) {
      addSample(last.summary, value);
      return undefined;
    }
    // Out of order (a clock set back): fold it into its bucket; the in-bucket order is then approximate.
    this.version++;
    const i = this.buckets.findIndex((b) => b.start >= start);
    if (this.buckets[i]?.start === start) addSample(this.buckets[i]!.summary, value);
    else {
      const bucket = { start, summary: emptySummary() };
      addSample(bucket.summary, value);
      this.buckets.splice(i, 0, bucket);
    }
    return undefined;
  }

  /** Puts a stored (closed) bucket in place; for seeding, before any `add`. */
  load(start: number, summary: DrawdownSummary): void {
    this.version++;
    const i = this.buckets.findIndex((b) => b.start >= start);
    if (i === -1) this.buckets.push({ start, summary: { ...summary } });
    else if (this.buckets[i]!.start === start) this.buckets[i] = { start, summary: combine(this.buckets[i]!.summary, summary) };
    else this.buckets.splice(i, 0, { start, summary: { ...summary } });
  }

  /** Start of the newest bucket, if any. */
  lastStart(): number | undefined {
    return this.buckets.at(-1)?.start;
  }

  /** Drops buckets that end at or before `before`. */
  prune(before: number): void {
    let n = 0;
    while (n < this.buckets.length && this.buckets[n]!.start + this.span <= before) n++;
    if (n > 0) this.buckets.splice(0, n);
  }

  /** Points whose max drawdown equals that of the samples in the buckets overlapping [from, to]. */
  points(from: number, to: number): MetricPoint[] {
    const b = this.buckets;
    let i0 = 0;
    while (i0 < b.length && b[i0]!.start + this.span <= from) i0++;
    let i1 = b.length - 1;
    while (i1 >= i0 && b[i1]!.start > to) i1--;
    if (i1 < i0) return [];
    const lastBucket = b[i1]!;
    if (i1 === i0) return summaryPoints(lastBucket.summary, lastBucket.start);
    return [...summaryPoints(this.combined(i0, i1 - 1), b[i0]!.start), ...summaryPoints(lastBucket.summary, lastBucket.start)];
  }

  private combined(i0: number, i1: number): DrawdownSummary {
    const first = this.buckets[i0]!.start;
    const last = this.buckets[i1]!.start;
    const c = this.cache;
    if (c && c.first === first && c.last === last && c.version === this.version) return c.summary;
    let summary = emptySummary();
    for (let i = i0; i <= i1; i++) summary = combine(summary, this.buckets[i]!.summary);
    this.cache = { first, last, version: this.version, summary };
    return summary;
  }
}
