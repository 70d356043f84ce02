import { describe, expect, it } from 'vitest';
import { computeAccountMetrics } from '../../src/core/risk/account-metrics.js';
import { computeDeltas } from '../../src/core/risk/net-delta.js';
import { computePortfolio } from '../../src/core/risk/portfolio.js';
import type { AccountMetrics } from '../../src/core/risk/types.js';
import { dailyVolatility } from '../../src/core/risk/volatility.js';
import type { MetricPoint } from '../../src/core/ports/store.js';
import { account, HOUR, DAY, LEVELS, pos, sameForAll, snapshot, T0 } from './fixtures.js';

const pts = (values: number[], stepMs: number): MetricPoint[] => values.map((value, i) => ({ ts: T0 + i * stepMs, value }));

/*
 * a1: equity 10 000, available 2 500 → used 7 500 (u 0.75); BTC +0.2 @ 50 000 → gross 10 000
 * a2: equity 30 000, available 3 000 → used 27 000 (u 0.90); BTC −0.1 → gross 5 000
 * a3: equity 0, available 0 → used 0
 * Weighted utilization = (7 500 + 27 000 + 0) / (10 000 + 30 000 + 0) = 34 500 / 40 000 = 0.8625
 * (the plain mean of 0.75 and 0.90 would be 0.825). Leverage = 15 000 / 40 000 = 0.375.
 * BTC net = 0.1, hedge 0.2 → deviation 0.5; netUsd = 0.1 × 50 000 = 5 000.
 */
function book() {
  const s = snapshot(
    [
      account('a1', { equity: 10_000, available: 2_500, positions: [pos('BTC', 0.2, { entryPrice: 50_000 })] }),
      account('a2', { equity: 30_000, available: 3_000, positions: [pos('BTC', -0.1, { entryPrice: 50_000 })] }),
      account('a3', { equity: 0, available: 0 }),
    ],
    { BTC: 50_000 },
  );
  const accounts = s.accounts.map((a) => computeAccountMetrics(a, s.prices, { thresholds: sameForAll })).filter((m): m is AccountMetrics => m !== undefined);
  return { s, accounts, deltas: computeDeltas(s, { targets: {} }) };
}

describe('computePortfolio', () => {
  it('totals and weighted utilization', () => {
    const { accounts, deltas } = book();
    const p = computePortfolio(accounts, deltas, { levels: LEVELS });
    expect(p).toMatchObject({ totalEquity: 40_000, totalAvailable: 5_500, totalUsed: 34_500, utilization: 0.8625, grossNotional: 15_000, leverage: 0.375 });
    expect(p.totalUnrealizedPnl).toBe(0);
    expect(p.deltas[0]).toMatchObject({ symbol: 'BTC', deviation: 0.5 });
    // a2 at 0.90 is medium, portfolio 0.8625 medium, but BTC deviation 0.5 > maxDeviation 0.10 → high
    expect(p.riskLevel).toBe('high');
    // With a loose deviation budget for BTC, the utilization levels decide: medium
    expect(computePortfolio(accounts, deltas, { levels: LEVELS, symbols: { BTC: { tolerance: 0.6, maxDeviation: 0.9 } } }).riskLevel).toBe('medium');
  });

  it('var95 = 1.645 × σ_daily × |netUsd| from a hand-computable price series', () => {
    /*
     * BTC marks 50 000 → 50 500 → 50 000, 12 h apart: r = [ln 1.01, −ln 1.01], mean 0,
     * sample σ = √((r² + r²) / 1) = √2 · ln 1.01; 2 returns over 24 h → 2 samples/day,
     * σ_daily = √2 · ln 1.01 · √2 = 2 · ln 1.01 = 0.019900662
     * var95 = 1.645 × 0.019900662 × |5 000| = 163.682943
     */
    const { accounts, deltas } = book();
    const p = computePortfolio(accounts, deltas, { levels: LEVELS, priceHistory: () => pts([50_000, 50_500, 50_000], 12 * HOUR) });
    expect(p.deltas[0]?.sigmaDaily).toBeCloseTo(2 * Math.log(1.01), 12);
    expect(p.var95).toBeCloseTo(163.682943, 5);
    expect(p.deltas[0]?.var95).toBeCloseTo(163.682943, 5);
    expect(p.varAvailable).toBe(true);
  });

  it('var95 is 0 and flagged unavailable with fewer than 2 returns', () => {
    const { accounts, deltas } = book();
    const p = computePortfolio(accounts, deltas, { levels: LEVELS, priceHistory: () => pts([50_000, 50_500], HOUR) });
    expect(p.var95).toBe(0);
    expect(p.varAvailable).toBe(false);
  });

  it('drawdown of total equity, with the current total appended to the history', () => {
    const { accounts, deltas } = book();
    // total equity now 40 000; history peaks at 50 000 → (50 000 − 40 000) / 50 000 = 0.2
    const p = computePortfolio(accounts, deltas, { levels: LEVELS, equityHistory: pts([45_000, 50_000, 42_000], HOUR) });
    expect(p.maxDrawdown).toBeCloseTo(0.2, 12);
  });
});

describe('dailyVolatility', () => {
  it('removes the mean: a steady trend has σ 0', () => {
    // 100 → 110 → 121, one day apart: r = [ln 1.1, ln 1.1], sample σ = 0
    expect(dailyVolatility(pts([100, 110, 121], DAY))).toEqual({ sigma: expect.closeTo(0, 12), returns: 2, available: true });
  });

  it('scales by the mean spacing: 4 returns of ±ln 1.02 every 6 h', () => {
    // r = [a, −a, a, −a], a = ln 1.02; sample var = 4a² / 3; 4 samples/day → σ² = 16a² / 3, σ = 4 × 0.0198026 / 1.7320508 = 0.0457322
    const a = Math.log(1.02);
    const v = dailyVolatility(pts([100, 102, 100, 102, 100], 6 * HOUR));
    expect(v.sigma).toBeCloseTo((4 * a) / Math.sqrt(3), 12);
    expect(v.sigma).toBeCloseTo(0.0457322, 6);
  });

  it('skips non-positive prices and repeated timestamps', () => {
    const v = dailyVolatility([
      { ts: T0, value: 50_000 },
      { ts: T0, value: 99 },
      { ts: T0 + 6 * HOUR, value: 0 },
      { ts: T0 + 12 * HOUR, value: 50_500 },
      { ts: T0 + DAY, value: 50_000 },
    ]);
    expect(v.sigma).toBeCloseTo(2 * Math.log(1.01), 12);
    expect(dailyVolatility([]).available).toBe(false);
  });
});
