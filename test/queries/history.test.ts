import { afterEach, describe, expect, it } from 'vitest';
import { parseSince } from '../../commands/history.js';
import type { MetricSample } from '../../src/core/ports/store.js';
import { historySeries, readHistory } from '../../src/core/queries/history.js';
import { METRIC, PORTFOLIO_SCOPE } from '../../src/core/risk/history.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';

const HOUR = 3_600_000;
const MIN = 60_000;
const T0 = Date.UTC(2026, 0, 10, 8);

let store: SqliteStore | undefined;
afterEach(async () => {
  await store?.close();
  store = undefined;
});

/** acc-1 every 15 min for 2 h (k = 0..8): equity 10,000 − 100 k, utilization 0.5 + 0.01 k, drawdown 0.01 k. */
async function seeded(): Promise<SqliteStore> {
  store = SqliteStore.open(':memory:');
  const samples: MetricSample[] = [];
  for (let k = 0; k <= 8; k++) {
    const ts = T0 + k * 15 * MIN;
    samples.push(
      { ts, metric: METRIC.equity, scope: 'acc-1', value: 10_000 - 100 * k },
      { ts, metric: METRIC.utilization, scope: 'acc-1', value: 0.5 + 0.01 * k },
      { ts, metric: METRIC.leverage, scope: 'acc-1', value: 2 },
      { ts, metric: METRIC.upnl, scope: 'acc-1', value: -50 * k },
      { ts, metric: METRIC.drawdown, scope: 'acc-1', value: 0.01 * k },
      { ts, metric: METRIC.portfolioEquity, scope: PORTFOLIO_SCOPE, value: 30_000 - 100 * k },
      { ts, metric: METRIC.deviation, scope: 'BTC', value: 0.02 * k },
      { ts, metric: METRIC.netDelta, scope: 'BTC', value: 0.1 },
    );
  }
  await store.metrics.append(samples);
  return store;
}

describe('readHistory', () => {
  it('an account: its five series, every sample within the limit, newest first', async () => {
    const s = await seeded();
    const r = await readHistory(s.metrics, { account: 'acc-1', symbols: ['BTC'], from: T0, to: T0 + 2 * HOUR, limit: 100 });
    expect(r.series.map((x) => `${x.metric}/${x.scope}:${x.points.length}`)).toEqual(['utilization/acc-1:9', 'equity/acc-1:9', 'leverage/acc-1:9', 'upnl/acc-1:9', 'drawdown/acc-1:9']);
    expect(r.samples).toBe(9);
    expect(r.times[0]).toBe(T0 + 2 * HOUR);
    expect(r.times.at(-1)).toBe(T0);
    // Newest (k = 8): utilization 0.58, equity 9,200, leverage 2, uPnL −400, drawdown 0.08.
    expect(r.values.map((v) => v[0])).toEqual([0.58, 9_200, 2, -400, 0.08]);
    expect(r.values.map((v) => v[8])).toEqual([0.5, 10_000, 2, 0, 0]);
  });

  it('thins to the limit: the last sample of each of `limit` equal slices of the window', async () => {
    const s = await seeded();
    // Window 2 h, limit 4 → 30-min slices: [0,30) holds k=0,1 → 15 min; [30,60) → 45; [60,90) → 75;
    // [90,120] holds 90, 105 and 120 (the end belongs to the last slice) → 120.
    const r = await readHistory(s.metrics, { account: 'acc-1', metric: 'equity', symbols: [], from: T0, to: T0 + 2 * HOUR, limit: 4 });
    expect(r.times.map((t) => (t - T0) / MIN)).toEqual([120, 75, 45, 15]);
    // equity 10,000 − 100 k at k = 8, 5, 3, 1.
    expect(r.values).toEqual([[9_200, 9_500, 9_700, 9_900]]);
    expect(r.samples).toBe(9);
    expect(r.series[0]!.points).toHaveLength(9);
  });

  it('a day of 15-s samples: one read per series gives the chart its slices and the table the last of each run of them', async () => {
    store = SqliteStore.open(':memory:');
    const from = T0 - 24 * HOUR;
    const symbols = Array.from({ length: 20 }, (_, i) => `S${i}`);
    for (let k = 0; k <= 5_760; k += 96) {
      const batch: MetricSample[] = [];
      for (let j = k; j < Math.min(k + 96, 5_761); j++) {
        const ts = from + j * 15_000;
        batch.push({ ts, metric: METRIC.equity, scope: 'acc-1', value: 10_000 + Math.sin(j) }, ...symbols.map((s, i) => ({ ts, metric: METRIC.deviation, scope: s, value: i + j / 1e4 })));
      }
      await store.metrics.append(batch);
    }
    const every = await store.metrics.range(METRIC.equity, 'acc-1', from, T0);
    // What thinning every point to `limit` equal slices gives: the last sample of each, newest first.
    const lastOfEach = (limit: number): number[] => {
      const bySlice = new Map<number, number>();
      for (const p of every) bySlice.set(Math.min(limit - 1, Math.floor(((p.ts - from) * limit) / (T0 - from))), p.ts);
      return [...bySlice.values()].reverse();
    };
    for (const [limit, chart] of [[100, 500], [7, 497], [501, 501], [1_000, 1_000]] as const) {
      const r = await readHistory(store.metrics, { account: 'acc-1', metric: 'equity', symbols: [], from, to: T0, limit });
      // 5,761 samples, more than the read's slices: not all counted.
      expect({ limit, chart: r.series[0]!.points.length, rows: r.times.length, slices: r.slices, samples: r.samples }).toEqual({ limit, chart, rows: limit, slices: limit, samples: undefined });
      expect(r.times).toEqual(lastOfEach(limit));
      expect(r.values[0]).toEqual(r.times.map((t) => 10_000 + Math.sin((t - from) / 15_000)));
    }
    // Twenty symbols share one panel: 100 points each (PANEL_POINTS), the table's own slices.
    const dev = await readHistory(store.metrics, { metric: 'deviation', symbols, from, to: T0, limit: 100 });
    expect(dev.series.map((x) => x.points.length)).toEqual(Array(20).fill(100));
    expect(dev.times).toEqual(lastOfEach(100));
    expect(dev.values[19]!.slice(0, 2)).toEqual([19 + 0.576, 19 + (dev.times[1]! - from) / 15_000 / 1e4]);
  });

  it('the portfolio: its own series; the deviation or net delta per symbol when asked for', async () => {
    const s = await seeded();
    const r = await readHistory(s.metrics, { symbols: ['BTC', 'ETH'], from: T0 + HOUR, to: T0 + 2 * HOUR, limit: 100 });
    expect(r.series.map((x) => `${x.metric}/${x.scope}:${x.points.length}`)).toEqual([
      'utilization/portfolio:0', 'equity/portfolio:5', 'leverage/portfolio:0', 'upnl/portfolio:0', 'drawdown/portfolio:0',
    ]);
    // Newest (k = 8): portfolio equity 30,000 − 800 = 29,200 … the oldest in the window (k = 4) 29,600.
    expect(r.values[1]).toEqual([29_200, 29_300, 29_400, 29_500, 29_600]);
    const dev = await readHistory(s.metrics, { metric: 'deviation', symbols: ['BTC', 'ETH'], from: T0 + HOUR, to: T0 + 2 * HOUR, limit: 100 });
    expect(dev.series.map((x) => `${x.metric}/${x.scope}:${x.points.length}`)).toEqual(['deviation/BTC:5', 'deviation/ETH:0']);
    // BTC deviation 0.02 k at k = 8 … 4; ETH never held.
    expect(dev.values).toEqual([[0.16, 0.14, 0.12, 0.1, 0.08], [undefined, undefined, undefined, undefined, undefined]]);
    const net = await readHistory(s.metrics, { metric: 'netDelta', symbols: ['BTC'], from: T0, to: T0 + 2 * HOUR, limit: 2 });
    expect(net.series.map((x) => x.scope)).toEqual(['BTC']);
    expect(net.values).toEqual([[0.1, 0.1]]);
  });

  it('raw samples, then the hourly averages retention folded them into', async () => {
    store = SqliteStore.open(':memory:');
    // Three days ago, every 15 min for 2 h: equity 10,000 10,100 10,200 10,300 | 10,400 … 10,700.
    const old = T0 - 3 * 24 * HOUR;
    await store.metrics.append(Array.from({ length: 8 }, (_, k) => ({ ts: old + k * 15 * MIN, metric: METRIC.equity, scope: 'acc-1', value: 10_000 + 100 * k })));
    await store.metrics.append([{ ts: T0, metric: METRIC.equity, scope: 'acc-1', value: 9_000 }]);
    await store.metrics.compact(T0 - 24 * HOUR, T0 - 90 * 24 * HOUR);
    const r = await readHistory(store.metrics, { account: 'acc-1', metric: 'equity', symbols: [], from: T0 - 4 * 24 * HOUR, to: T0, limit: 100 });
    // Hour 1: (10,000 + 10,100 + 10,200 + 10,300) / 4 = 10,150 at the hour's start; hour 2: 10,550; then the raw 9,000.
    expect(r.series[0]!.points).toEqual([{ ts: old, value: 10_150 }, { ts: old + HOUR, value: 10_550 }, { ts: T0, value: 9_000 }]);
    expect(r.values).toEqual([[9_000, 10_550, 10_150]]);
  });

  it('which series a request reads', () => {
    expect(historySeries({ account: 'acc-1', metric: 'drawdown', symbols: ['BTC'] })).toEqual([{ metric: 'drawdown', scope: 'acc-1', name: 'drawdown' }]);
    expect(historySeries({ metric: 'leverage', symbols: ['BTC'] })).toEqual([{ metric: 'leverage', scope: 'portfolio', name: 'portfolio.leverage' }]);
    expect(historySeries({ metric: 'deviation', symbols: ['BTC', 'ETH'] }).map((s) => s.scope)).toEqual(['BTC', 'ETH']);
    // Per-symbol metrics have no account series (the command says so before reading).
    expect(historySeries({ account: 'acc-1', metric: 'netDelta', symbols: ['BTC'] })).toEqual([]);
  });
});

describe('parseSince', () => {
  const now = Date.UTC(2026, 11, 5, 12, 30);
  it('a duration back from now', () => {
    expect(parseSince('6h', now)).toBe(now - 6 * HOUR);
    expect(parseSince(' 2d ', now)).toBe(now - 48 * HOUR);
    expect(parseSince('90m', now)).toBe(now - 90 * MIN);
  });
  it('a date (UTC midnight) or an ISO date-time (UTC unless it has an offset)', () => {
    expect(parseSince('2026-12-01', now)).toBe(Date.UTC(2026, 11, 1));
    expect(parseSince('2026-12-01T08:15', now)).toBe(Date.UTC(2026, 11, 1, 8, 15));
    expect(parseSince('2026-12-01T08:15:30Z', now)).toBe(Date.UTC(2026, 11, 1, 8, 15, 30));
    expect(parseSince('2026-12-01T10:15:00+02:00', now)).toBe(Date.UTC(2026, 11, 1, 8, 15));
  });
  it('nothing else', () => {
    for (const bad of ['yesterday', '6', '2026-02-30', '2026-13-01', '01/12/2026', '', '-2d', '2026-12-01T25:00']) expect(parseSince(bad, now)).toBeUndefined();
  });
});
