import type { MetricPoint } from '../ports/store.js';

/**
 * What the max drawdown of a run of samples needs to know about it: its max and min, and its own worst
 * fall (with the peak and trough of that fall). Summaries of consecutive runs combine exactly:
 *
 *   dd(A then B) = max(dd(A), dd(B), fall(max(A), min(B)))
 *
 * because any peak-to-trough pair that crosses from A into B falls no further than A's highest point to
 * B's lowest (the fall grows with the peak and shrinks with the trough), and that pair is itself a
 * peak-before-trough pair. So a window of hourly buckets gives the exact max drawdown of its samples.
 * Definitions follow `maxDrawdown` (drawdown.ts): fraction of the peak, troughs below 0 count as 0,
 * peaks ≤ 0 give no drawdown, non-finite samples are skipped.
 */
export interface DrawdownSummary {
  n: number;
  max: number;
  min: number;
  dd: number;
  peak: number;
  trough: number;
}

/** The fall from `peak` to `value` as a fraction of the peak (maxDrawdown's measure). */
export function fall(peak: number, value: number): number {
  return peak > 0 ? (peak - Math.max(value, 0)) / peak : 0;
}

export function emptySummary(): DrawdownSummary {
  return { n: 0, max: -Infinity, min: Infinity, dd: 0, peak: 0, trough: 0 };
}

/** Folds one more (later) sample into `s`, in place. */
export function addSample(s: DrawdownSummary, value: number): void {
  if (!Number.isFinite(value)) return;
  s.n += 1;
  // The running peak of a run is its max so far.
  if (value > s.max) s.max = value;
  else {
    const d = fall(s.max, value);
    if (d > s.dd) {
      s.dd = d;
      s.peak = s.max;
      s.trough = value;
    }
  }
  if (value < s.min) s.min = value;
}

/** The summary of `a` followed by `b`. */
export function combine(a: DrawdownSummary, b: DrawdownSummary): DrawdownSummary {
  if (a.n === 0) return { ...b };
  if (b.n === 0) return { ...a };
  const out: DrawdownSummary = { n: a.n + b.n, max: Math.max(a.max, b.max), min: Math.min(a.min, b.min), dd: a.dd, peak: a.peak, trough: a.trough };
  if (b.dd > out.dd) {
    out.dd = b.dd;
    out.peak = b.peak;
    out.trough = b.trough;
  }
  const cross = fall(a.max, b.min);
  if (cross > out.dd) {
    out.dd = cross;
    out.peak = a.max;
    out.trough = b.min;
  }
  return out;
}

/**
 * A few points, all stamped `ts`, whose maxDrawdown is the summary's, and which combine with points
 * before and after them as the samples would: the min first (the lowest point any earlier peak can
 * fall to), then the worst fall, then the max (the highest peak later points can fall from).
 */
export function summaryPoints(s: DrawdownSummary, ts: number): MetricPoint[] {
  if (s.n === 0) return [];
  const values = s.dd > 0 ? [s.min, s.peak, s.trough, s.max] : [s.min, s.max];
  return values.map((value) => ({ ts, value }));
}
