import { afterEach, describe, expect, it } from 'vitest';
import { computeRisk } from '../../src/core/risk/compute-risk.js';
import { METRIC, PORTFOLIO_SCOPE, toMetricSamples } from '../../src/core/risk/history.js';
import { MemoryRiskHistory } from '../../src/core/risk/memory-history.js';
import type { RiskHistory } from '../../src/core/risk/ports.js';
import type { MetricPoint, MetricsStore } from '../../src/core/ports/store.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { account, DAY, HOUR, LEVELS, pos, snapshot, T0 } from './fixtures.js';

const STEP = 15_000;
let stores: SqliteStore[] = [];
afterEach(async () => {
  for (const s of stores) await s.close();
  stores = [];
});
const open = (): SqliteStore => {
  const s = SqliteStore.open(':memory:');
  stores.push(s);
  return s;
};

/**
 * The store-backed reference: every series read from the metrics store with `range` over [from, to],
 * then served in memory, filtered to the span asked for.
 */
async function readStoreHistory(metrics: MetricsStore, accounts: readonly string[], symbols: readonly string[], from: number, to: number): Promise<RiskHistory> {
  const read = async (metric: string, scopes: readonly string[]): Promise<Map<string, MetricPoint[]>> =>
    new Map(await Promise.all(scopes.map(async (scope) => [scope, await metrics.range(metric, scope, from, to)] as const)));
  const equity = await read(METRIC.equity, accounts);
  const portfolio = (await read(METRIC.portfolioEquity, [PORTFOLIO_SCOPE])).get(PORTFOLIO_SCOPE) ?? [];
  const marks = await read(METRIC.mark, symbols);
  const within = (points: readonly MetricPoint[], f: number, t: number): MetricPoint[] => points.filter((p) => p.ts >= f && p.ts <= t);
  return {
    accountEquitySeries: (account, f, t) => within(equity.get(account) ?? [], f, t),
    portfolioEquitySeries: (f, t) => within(portfolio, f, t),
    priceSeries: (symbol, f, t) => within(marks.get(symbol) ?? [], f, t),
  };
}

/** Equity of a1 at tick i: a slow rise, a 12 % dip in hour 20, recovery. BTC wobbles. */
const equityAt = (i: number): number => 1_000 + i * 0.01 - (i >= 20 * 240 && i < 21 * 240 ? 130 : 0);
const markAt = (i: number): number => 100 * (1 + 0.01 * Math.sin(i / 7));

function tickSnapshot(i: number) {
  return snapshot([account('a1', { equity: equityAt(i), available: 500, positions: [pos('BTC', 1, { entryPrice: 100 })] })], { BTC: markAt(i) });
}

describe('MemoryRiskHistory', () => {
  const cfg = { thresholds: LEVELS };

  it('gives the drawdown and VaR the store-backed history gives, over a day and a half of ticks', async () => {
    const s = open();
    const memory = new MemoryRiskHistory({ metrics: s.metrics, buckets: s.drawdownBuckets, drawdownWindowMs: DAY, varWindowMs: DAY });
    for (let i = 0; i < 36 * 240; i++) {
      // On the hour, the window [now − 24 h, now] starts on a bucket boundary: both must agree exactly.
      const now = T0 + i * STEP;
      const snap = tickSnapshot(i);
      // As the tick does before computing risk (a no-op once the series are loaded).
      await memory.preload(['a1'], ['BTC'], now);
      const a = computeRisk(snap, memory, cfg, now);
      if (i % 240 === 0 || i === 36 * 240 - 1) {
        const store = await readStoreHistory(s.metrics, ['a1'], ['BTC'], now - DAY, now);
        const b = computeRisk(snap, store, cfg, now);
        expect(a.accounts[0]?.maxDrawdown).toBe(b.accounts[0]?.maxDrawdown);
        expect(a.portfolio.maxDrawdown).toBe(b.portfolio.maxDrawdown);
        expect(a.portfolio.var95).toBe(b.portfolio.var95);
      }
      const samples = toMetricSamples(a, snap);
      await s.metrics.append(samples);
      await memory.record(samples);
    }
    // The dip (hour 20) is within the last 24 h at hour 36: ~12 %.
    expect(computeRisk(tickSnapshot(36 * 240), memory, cfg, T0 + 36 * 240 * STEP).accounts[0]?.maxDrawdown).toBeGreaterThan(0.11);
  });

  it('seeds at start-up from stored buckets plus the samples after them, as if it had run all along', async () => {
    const s = open();
    const live = new MemoryRiskHistory({ metrics: s.metrics, buckets: s.drawdownBuckets, drawdownWindowMs: DAY, varWindowMs: DAY });
    const ticks = 26 * 240 + 100; // ends mid-hour: the last bucket is not stored yet
    for (let i = 0; i < ticks; i++) {
      const now = T0 + i * STEP;
      await live.preload(['a1'], ['BTC'], now);
      const r = computeRisk(tickSnapshot(i), live, cfg, now);
      const samples = toMetricSamples(r, tickSnapshot(i));
      await s.metrics.append(samples);
      await live.record(samples);
    }
    const stored = s.db.prepare('SELECT COUNT(*) AS n FROM metrics_drawdown_buckets').get() as { n: number };
    expect(stored.n).toBeGreaterThan(0);
    const restarted = new MemoryRiskHistory({ metrics: s.metrics, buckets: s.drawdownBuckets, drawdownWindowMs: DAY, varWindowMs: DAY });
    const now = T0 + ticks * STEP;
    const from = now - DAY;
    await restarted.preload(['a1'], ['BTC'], now);
    expect(restarted.accountEquitySeries('a1', from, now)).toEqual(live.accountEquitySeries('a1', from, now));
    expect(restarted.portfolioEquitySeries(from, now)).toEqual(live.portfolioEquitySeries(from, now));
    expect(restarted.priceSeries('BTC', from, now)).toEqual(live.priceSeries('BTC', from, now));

    // Without stored buckets (a database from before them) it rebuilds the window from the samples.
    s.db.prepare('DELETE FROM metrics_drawdown_buckets').run();
    const rebuilt = new MemoryRiskHistory({ metrics: s.metrics, buckets: s.drawdownBuckets, drawdownWindowMs: DAY, varWindowMs: DAY });
    await rebuilt.preload(['a1'], ['BTC'], now);
    const dd = (h: MemoryRiskHistory) => computeRisk(tickSnapshot(ticks), h, cfg, now).accounts[0]?.maxDrawdown;
    expect(dd(rebuilt)).toBe(dd(live));
  });

  it('keeps bounded memory: drawdown buckets and price samples of the windows only', async () => {
    const s = open();
    const h = new MemoryRiskHistory({ metrics: s.metrics, drawdownWindowMs: 2 * HOUR, varWindowMs: HOUR });
    expect(h.span).toBe(5 * 60_000);
    for (let i = 0; i < 6 * 240; i++) {
      const now = T0 + i * STEP;
      await h.preload(['a1'], ['BTC'], now);
      h.accountEquitySeries('a1', now - 2 * HOUR, now);
      h.priceSeries('BTC', now - HOUR, now);
      await h.record([
        { ts: now, metric: METRIC.equity, scope: 'a1', value: equityAt(i) },
        { ts: now, metric: METRIC.mark, scope: 'BTC', value: markAt(i) },
        { ts: now, metric: METRIC.portfolioEquity, scope: PORTFOLIO_SCOPE, value: equityAt(i) },
      ]);
    }
    const now = T0 + 6 * 240 * STEP;
    // One hour of 15 s marks (+ at most 1/8 of it not yet dropped).
    expect(h.priceSeries('BTC', 0, now).length).toBeLessThanOrEqual(240 + 30 + 1);
    expect(h.accountEquitySeries('a1', 0, now).length).toBeLessThanOrEqual(8);
  });
});
