import { expect } from 'vitest';
import type { MetricPoint, MetricSample } from '../../../src/core/ports/store.js';
import { HOUR, T0, type Contract } from './types.js';

const STEP = 15_000;
const sample = (ts: number, value: number, scope = 'x', metric = 'm'): MetricSample => ({ ts, metric, scope, value });

/** The tick of test/store/metrics-store.test.ts: an equity and a utilization sample per account. */
const tick = (i: number, accounts: number): MetricSample[] =>
  Array.from({ length: accounts }, (_, a) => [
    { ts: T0 + i * STEP, metric: 'equity', scope: `acct-${a}`, value: 1_000 + a + i / 3 },
    { ts: T0 + i * STEP, metric: 'utilization', scope: `acct-${a}`, value: 0.1 * (a % 7) },
  ]).flat();

/**
 * What /history did in memory before the stores thinned (src/core/queries/history.ts): every point when
 * there are at most `slices`, else the last point of each of `slices` equal slices of [from, to].
 */
function thinned(points: readonly MetricPoint[], from: number, to: number, slices: number): MetricPoint[] {
  if (points.length <= slices) return [...points];
  const width = Math.max(1, to - from) / slices;
  const last = new Map<number, MetricPoint>();
  for (const p of points) last.set(Math.min(slices - 1, Math.max(0, Math.floor((p.ts - from) / width))), p);
  return [...last.entries()].sort((a, b) => a[0] - b[0]).map(([, p]) => p);
}

export function metricsContract({ use, it }: Contract): void {
  it('appends samples and reads one series in [from, to], oldest first, non-finite values dropped', async () => {
    const { store } = use();
    expect(await store.metrics.count()).toBe(0);
    await store.metrics.append([
      sample(T0 + 15_000, 101.5, 'a', 'equity'), sample(T0, 100, 'a', 'equity'), sample(T0, 200, 'b', 'equity'), sample(T0, 0.5, 'a', 'utilization'),
      sample(T0 + 30_000, Number.NaN, 'a', 'equity'), sample(T0 + 30_000, Number.POSITIVE_INFINITY, 'a', 'equity'),
    ]);
    await store.metrics.append([sample(T0 + 45_000, 99.25, 'a', 'equity')]);
    await store.metrics.append([]);
    expect(await store.metrics.range('equity', 'a', T0, T0 + 45_000)).toEqual([
      { ts: T0, value: 100 }, { ts: T0 + 15_000, value: 101.5 }, { ts: T0 + 45_000, value: 99.25 },
    ]);
    expect(await store.metrics.range('equity', 'a', T0 + 15_000, T0 + 15_000)).toEqual([{ ts: T0 + 15_000, value: 101.5 }]);
    expect(await store.metrics.range('equity', 'a', T0 + 1, T0 + 14_999)).toEqual([]);
    expect(await store.metrics.range('equity', 'b', 0, T0)).toEqual([{ ts: T0, value: 200 }]);
    expect(await store.metrics.range('equity', 'c', 0, T0 + HOUR)).toEqual([]);
    expect(await store.metrics.range('upnl', 'a', 0, T0 + HOUR)).toEqual([]);
    expect(await store.metrics.count()).toBe(5);
  });

  it('keeps samples with the same timestamp in append order', async () => {
    const { store } = use();
    await store.metrics.append([sample(T0, 3)]);
    await store.metrics.append([sample(T0, 1), sample(T0, 2)]);
    expect((await store.metrics.range('m', 'x', T0, T0)).map((p) => p.value)).toEqual([3, 1, 2]);
  });

  it('appends a batch of 25,000 samples whole', async () => {
    const { store } = use();
    const batch = Array.from({ length: 5_000 }, (_, a) => ['equity', 'upnl', 'utilization', 'deviation', 'netDelta'].map((metric, k) => sample(T0 + k, a + k / 8, `acct-${a}`, metric))).flat();
    await store.metrics.append(batch);
    expect(await store.metrics.count()).toBe(25_000);
    expect(await store.metrics.range('netDelta', 'acct-4999', 0, T0 + HOUR)).toEqual([{ ts: T0 + 4, value: 4_999.5 }]);
    expect(await store.metrics.range('equity', 'acct-0', 0, T0 + HOUR)).toEqual([{ ts: T0, value: 0 }]);
  });

  it('compacts samples older than the hour of rawBefore into hourly rows and keeps the rest raw', async () => {
    const opened = use();
    const { store } = opened;
    for (let i = 0; i < 2 * 240; i++) await store.metrics.append(tick(i, 2));
    expect(await store.metrics.compact(T0 + HOUR + 1, 0)).toBe(240 * 4);
    expect(await store.metrics.count()).toBe(240 * 4 + 4);
    const points = await store.metrics.range('equity', 'acct-1', T0, T0 + 2 * HOUR);
    expect(points).toHaveLength(241);
    expect(points[0]!.ts).toBe(T0);
    expect(points[0]!.value).toBeCloseTo(1_001 + 239 / 6, 9);
    expect(points.slice(1)).toEqual(Array.from({ length: 240 }, (_, k) => ({ ts: T0 + HOUR + k * STEP, value: 1_001 + (240 + k) / 3 })));
    if (!opened.hourlyRows) return;
    const hourly = await opened.hourlyRows();
    expect(hourly.map(({ metric, scope, ts, n }) => ({ metric, scope, ts, n }))).toEqual([
      { metric: 'equity', scope: 'acct-0', ts: T0, n: 240 },
      { metric: 'equity', scope: 'acct-1', ts: T0, n: 240 },
      { metric: 'utilization', scope: 'acct-0', ts: T0, n: 240 },
      { metric: 'utilization', scope: 'acct-1', ts: T0, n: 240 },
    ]);
    expect(hourly[1]!.avg).toBeCloseTo(1_001 + 239 / 6, 9);
    expect([hourly[1]!.min, hourly[1]!.max]).toEqual([1_001, 1_001 + 239 / 3]);
    expect([hourly[2]!.avg, hourly[2]!.min, hourly[2]!.max]).toEqual([0, 0, 0]);
  });

  it('downsamples exactly: average, min and max per hour, merged with an hour folded before; retention drops old hours', async () => {
    const opened = use();
    const { store } = opened;
    await store.metrics.append([sample(T0 + 1_000, 1), sample(T0 + 2_000, 2), sample(T0 + 3_000, 3), sample(T0 + HOUR + 5, 10), sample(T0 + 2 * HOUR, 4)]);
    expect(await store.metrics.compact(T0 + 2 * HOUR, 0)).toBe(4);
    expect(await store.metrics.range('m', 'x', T0, T0 + 3 * HOUR)).toEqual([{ ts: T0, value: 2 }, { ts: T0 + HOUR, value: 10 }, { ts: T0 + 2 * HOUR, value: 4 }]);
    expect(await opened.hourlyRows?.()).toEqual(opened.hourlyRows && [
      { metric: 'm', scope: 'x', ts: T0, avg: 2, min: 1, max: 3, n: 3 },
      { metric: 'm', scope: 'x', ts: T0 + HOUR, avg: 10, min: 10, max: 10, n: 1 },
    ]);

    // Late samples of a folded hour: raw beside the hourly row (hourly first at the same ts) until the next compaction.
    await store.metrics.append([sample(T0 + 500, 10), sample(T0, 7)]);
    expect(await store.metrics.range('m', 'x', T0, T0 + 1_000)).toEqual([{ ts: T0, value: 2 }, { ts: T0, value: 7 }, { ts: T0 + 500, value: 10 }]);
    expect(await store.metrics.count()).toBe(5);
    // rawBefore is rounded down to the hour: the sample at T0 + 2h stays raw.
    expect(await store.metrics.compact(T0 + 3 * HOUR - 1, 0)).toBe(2);
    expect(await store.metrics.range('m', 'x', T0, T0 + 3 * HOUR)).toEqual([{ ts: T0, value: 4.6 }, { ts: T0 + HOUR, value: 10 }, { ts: T0 + 2 * HOUR, value: 4 }]);
    expect((await opened.hourlyRows?.())?.[0]).toEqual(opened.hourlyRows && { metric: 'm', scope: 'x', ts: T0, avg: 4.6, min: 1, max: 10, n: 5 });

    expect(await store.metrics.compact(T0 + 2 * HOUR, T0 + HOUR)).toBe(1);
    expect(await store.metrics.range('m', 'x', 0, T0 + 3 * HOUR)).toEqual([{ ts: T0 + HOUR, value: 10 }, { ts: T0 + 2 * HOUR, value: 4 }]);
    expect(await store.metrics.count()).toBe(2);
    expect(await store.metrics.compact(T0 + 2 * HOUR, T0 + HOUR)).toBe(0);
  });

  it('an append inside a transaction that rolls back leaves no sample behind', async () => {
    const { store } = use();
    await store.metrics.append([sample(T0, 1)]);
    await expect(
      store.transaction(async (tx) => {
        await tx.metrics.append([sample(T0 + 1, 2), sample(T0 + 1, 5, 'new-series')]);
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    expect(await store.metrics.count()).toBe(1);
    expect(await store.metrics.range('m', 'x', 0, T0 + HOUR)).toEqual([{ ts: T0, value: 1 }]);
    expect(await store.metrics.range('m', 'new-series', 0, T0 + HOUR)).toEqual([]);
    // Later appends (and the moves of staged samples they trigger) still see only committed samples.
    for (let i = 0; i < 40; i++) await store.metrics.append([sample(T0 + 2 + i, 3, 'other')]);
    expect(await store.metrics.range('m', 'x', 0, T0 + HOUR)).toEqual([{ ts: T0, value: 1 }]);
    expect(await store.metrics.range('m', 'new-series', 0, T0 + HOUR)).toEqual([]);
    expect(await store.metrics.count()).toBe(41);
  });

  it('rangeSampled thins in the database exactly as range and thinning in memory do', async () => {
    const { store } = use();
    const m = store.metrics;
    const OLD = T0 - 3 * 24 * HOUR;
    // Three hours of 7-min samples long ago (folded into hourly averages below), then a raw sample at an
    // hour start already folded (same ts: the hourly row first), then 13-s samples with repeats.
    await m.append(Array.from({ length: 26 }, (_, k) => sample(OLD + k * 7 * 60_000, 1_000 + 10 * k)));
    await m.compact(T0 - 24 * HOUR, 0);
    await m.append([sample(OLD + HOUR, -1)]);
    for (let k = 0; k < 400; k++) {
      const ts = T0 + k * 13_000;
      // Every 9th sample twice, same ts (append order kept); a few values negative.
      await m.append(k % 9 === 0 ? [sample(ts, k), sample(ts, -k)] : [sample(ts, Math.sin(k) * 50)]);
    }
    await m.append([sample(T0 + 2 * HOUR, 7, 'other')]);
    // Read before `range` (SQLite: the series' staged samples are moved first).
    // 445 samples: more than the 2 slices (counted only as far as that shows).
    const two = await m.rangeSampled('m', 'x', T0, T0 + 400 * 13_000, 2);
    expect(two.points).toEqual([{ ts: T0 + 199 * 13_000, value: Math.sin(199) * 50 }, { ts: T0 + 399 * 13_000, value: Math.sin(399) * 50 }]);
    expect(two.samples).toBeGreaterThan(2);
    const hourly = await m.range('m', 'x', OLD, OLD + 3 * HOUR);
    expect(hourly.slice(0, 3).map((p) => p.ts)).toEqual([OLD, OLD + HOUR, OLD + HOUR]);
    expect(hourly[2]!.value).toBe(-1);
    const windows: [number, number][] = [
      [OLD, T0 + 2 * HOUR], [OLD + HOUR, OLD + HOUR], [T0, T0 + 400 * 13_000], [T0 + 1, T0 + 97 * 13_000 + 5], [T0 - HOUR, T0 + HOUR], [T0 + 3 * HOUR, T0 + 4 * HOUR],
    ];
    for (const [from, to] of windows) {
      const all = await m.range('m', 'x', from, to);
      for (const slices of [1, 2, 3, 7, 10, 64, 100, 399, 444, 500, 1_000]) {
        const got = await m.rangeSampled('m', 'x', from, to, slices);
        // Exact up to `slices`; above, only "more" (a store may count further than slices + 1).
        expect({ from, to, slices, points: got.points, samples: Math.min(got.samples, slices + 1) }).toEqual({ from, to, slices, points: thinned(all, from, to, slices), samples: Math.min(all.length, slices + 1) });
        expect(got.points.length).toBeLessThanOrEqual(slices);
      }
    }
    expect(await m.rangeSampled('m', 'nothing', OLD, T0 + 4 * HOUR, 10)).toEqual({ points: [], samples: 0 });
    expect(await m.rangeSampled('nothing', 'x', OLD, T0 + 4 * HOUR, 10)).toEqual({ points: [], samples: 0 });
    expect(await m.rangeSampled('m', 'other', OLD, T0 + 4 * HOUR, 10)).toEqual({ points: [{ ts: T0 + 2 * HOUR, value: 7 }], samples: 1 });
  });

  it('rangeSampled over a day of 15-s samples: the last sample of each slice (a seek per slice), hourly rows older than the raw ones; counted only as far as the slices', async () => {
    const { store } = use();
    const m = store.metrics;
    const DAY = 24 * HOUR;
    const first = T0 - DAY;
    // Two hours of samples two days before, folded into hourly rows; then a day of 15-s ticks of two
    // series (written a tick at a time, as the bot writes them), the tick at a 500-slice end twice.
    await m.append(Array.from({ length: 480 }, (_, k) => sample(first - DAY + k * STEP, k)));
    await m.compact(first - HOUR, 0);
    const twice = first + 23 * STEP;
    for (let k = 0; k <= DAY / STEP; k += 40) {
      const batch: MetricSample[] = [];
      for (let j = k; j < Math.min(k + 40, DAY / STEP + 1); j++) {
        batch.push(sample(first + j * STEP, Math.cos(j)), sample(first + j * STEP, -j, 'y'));
        if (first + j * STEP === twice) batch.push(sample(twice, 42));
      }
      await m.append(batch);
    }
    const windows: [number, number, number][] = [[first, T0, 500], [first, T0, 100], [first, T0, 7], [first - 2 * DAY, T0, 500], [first + 7_000, T0 - 7 * HOUR - 3, 500], [T0 - 1, T0, 1_000]];
    for (const [from, to, slices] of windows) {
      const all = await m.range('m', 'x', from, to);
      const got = await m.rangeSampled('m', 'x', from, to, slices);
      expect({ from, to, slices, points: got.points, samples: Math.min(got.samples, slices + 1) }).toEqual({ from, to, slices, points: thinned(all, from, to, slices), samples: Math.min(all.length, slices + 1) });
    }
    const day = await m.rangeSampled('m', 'x', first, T0, 500);
    expect(day.points).toHaveLength(500);
    // 172.8-s slices: the first ends at 172,799 ms (tick 11); the tick at first + 23 × 15 s ends the second, its repeat last.
    expect(day.points.slice(0, 2)).toEqual([{ ts: first + 11 * STEP, value: Math.cos(11) }, { ts: twice, value: 42 }]);
    expect(day.points.at(-1)).toEqual({ ts: T0, value: Math.cos(DAY / STEP) });
    // Beyond the raw samples: the two hourly averages (of 0 … 239 and 240 … 479), then the raw slices.
    const older = await m.rangeSampled('m', 'x', first - 2 * DAY, T0, 500);
    expect(older.points.slice(0, 2)).toEqual([{ ts: first - DAY, value: 119.5 }, { ts: first - DAY + HOUR, value: 359.5 }]);
  });
}
