import { describe, expect, it } from 'vitest';
import { BucketedSeries } from '../../src/core/risk/bucketed-series.js';
import { addSample, combine, emptySummary, summaryPoints } from '../../src/core/risk/drawdown-buckets.js';
import { maxDrawdown } from '../../src/core/risk/drawdown.js';
import { HOUR, T0 } from './fixtures.js';

/** A deterministic pseudo-random walk (mulberry32), with dips below zero now and then. */
function walk(seed: number, n: number): number[] {
  let a = seed >>> 0;
  const rnd = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out: number[] = [];
  let v = 100;
  for (let i = 0; i < n; i++) {
    v += (rnd() - 0.5) * 8;
    out.push(rnd() < 0.01 ? -5 : v);
  }
  return out;
}

const STEP = 15_000;
const PER_HOUR = HOUR / STEP;

describe('drawdown bucket summaries', () => {
  it('combine gives the max drawdown of the joined runs, exactly', () => {
    for (let seed = 1; seed <= 30; seed++) {
      const values = walk(seed, 400);
      const cut = 1 + (seed * 37) % 398;
      const a = emptySummary();
      const b = emptySummary();
      values.slice(0, cut).forEach((v) => addSample(a, v));
      values.slice(cut).forEach((v) => addSample(b, v));
      expect(combine(a, b).dd).toBe(maxDrawdown(values));
      expect(maxDrawdown(summaryPoints(combine(a, b), T0).map((p) => p.value))).toBe(maxDrawdown(values));
    }
  });

  it('the points stand in for the samples between other points: [100, 120, 90, 110, 80] → 1/3', () => {
    const s = emptySummary();
    [120, 90, 110].forEach((v) => addSample(s, v));
    const pts = summaryPoints(s, T0).map((p) => p.value);
    expect(pts).toEqual([90, 120, 90, 120]);
    expect(maxDrawdown([100, ...pts, 80])).toBeCloseTo(1 / 3, 15);
    expect(maxDrawdown([100, ...pts, 80])).toBe(maxDrawdown([100, 120, 90, 110, 80]));
  });
});

describe('BucketedSeries', () => {
  it('gives the exact max drawdown of a day of 15 s samples from hourly buckets', () => {
    for (let seed = 1; seed <= 5; seed++) {
      const values = walk(seed, 30 * PER_HOUR);
      const series = new BucketedSeries(HOUR);
      values.forEach((v, i) => series.add(T0 + i * STEP, v));
      const to = T0 + (values.length - 1) * STEP;
      const from = to - 24 * HOUR;
      // The window reaches back to the start of the hour holding `from`.
      const first = Math.floor((from - T0) / HOUR) * PER_HOUR;
      const pts = series.points(from, to);
      expect(pts.length).toBeLessThanOrEqual(8);
      expect(maxDrawdown(pts.map((p) => p.value))).toBe(maxDrawdown(values.slice(first)));
    }
  });

  it('reports the bucket that closes, and keeps answers right as buckets close and are pruned', () => {
    const series = new BucketedSeries(HOUR);
    expect(series.add(T0, 100)).toBeUndefined();
    expect(series.add(T0 + HOUR - 1, 80)).toBeUndefined();
    const closed = series.add(T0 + HOUR, 90);
    expect(closed).toMatchObject({ start: T0, summary: { n: 2, max: 100, min: 80, dd: 0.2 } });
    expect(maxDrawdown(series.points(T0, T0 + HOUR).map((p) => p.value))).toBeCloseTo(0.2, 15);
    // From the second hour on, the first is out of the window.
    expect(maxDrawdown(series.points(T0 + HOUR, T0 + 2 * HOUR).map((p) => p.value))).toBe(0);
    series.add(T0 + 2 * HOUR, 45);
    expect(maxDrawdown(series.points(T0 + HOUR, T0 + 2 * HOUR).map((p) => p.value))).toBeCloseTo(0.5, 15);
    series.prune(T0 + HOUR + 1); // drops the first hour only
    expect(maxDrawdown(series.points(T0, T0 + 2 * HOUR).map((p) => p.value))).toBeCloseTo(0.5, 15);
  });

  it('loads stored buckets and continues from them', () => {
    const values = walk(9, 5 * PER_HOUR);
    const live = new BucketedSeries(HOUR);
    const closed = values.map((v, i) => live.add(T0 + i * STEP, v)).filter((b) => b !== undefined);
    const seeded = new BucketedSeries(HOUR);
    for (const b of closed) seeded.load(b.start, b.summary);
    values.forEach((v, i) => {
      if (T0 + i * STEP >= T0 + 4 * HOUR) seeded.add(T0 + i * STEP, v);
    });
    const to = T0 + 5 * HOUR;
    expect(seeded.points(T0, to)).toEqual(live.points(T0, to));
  });
});
