import { describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/schema.js';
import { computeRisk, type RiskConfig, type RiskHistory } from '../../src/core/risk/compute-risk.js';
import { emptyRiskHistory } from '../../src/core/risk/ports.js';
import type { MetricPoint } from '../../src/core/ports/store.js';
import { account, DAY, HOUR, LEVELS, pos, snapshot, T0 } from './fixtures.js';

const NOW = T0 + 10 * DAY;

/** A history held in arrays that records the windows it was asked for. */
class ArrayHistory implements RiskHistory {
  readonly asked: string[] = [];
  constructor(
    private readonly equity: Record<string, MetricPoint[]>,
    private readonly portfolio: MetricPoint[],
    private readonly prices: Record<string, MetricPoint[]>,
  ) {}
  accountEquitySeries(account: string, from: number, to: number): MetricPoint[] {
    this.asked.push(`equity ${account} ${to - from}`);
    return (this.equity[account] ?? []).filter((p) => p.ts >= from && p.ts <= to);
  }
  portfolioEquitySeries(from: number, to: number): MetricPoint[] {
    this.asked.push(`portfolio ${to - from}`);
    return this.portfolio.filter((p) => p.ts >= from && p.ts <= to);
  }
  priceSeries(symbol: string, from: number, to: number): MetricPoint[] {
    this.asked.push(`price ${symbol} ${to - from}`);
    return (this.prices[symbol] ?? []).filter((p) => p.ts >= from && p.ts <= to);
  }
}

/*
 * a1 (ok):     equity 1 000, available 800 → u 0.20; BTC +1 @ mark 100
 * a2 (failed): equity 1 000, available 100 → u 0.90 (stale, still counted); BTC −1
 * a3 (never):  no state → unavailable
 * BTC: net 0, deviation 0 → var 0 even without history. Portfolio u = (200 + 900) / 2 000 = 0.55.
 * a1 equity history in the window peaks at 1 250 → drawdown (1 250 − 1 000) / 1 250 = 0.2 → high;
 * a point of 5 000 two days ago is outside the 1-day window and does not count.
 */
const snap = snapshot(
  [
    account('a1', { equity: 1_000, available: 800, positions: [pos('BTC', 1, { entryPrice: 100 })] }),
    account('a2', { equity: 1_000, available: 100, positions: [pos('BTC', -1, { entryPrice: 100 })] }, { status: 'failed' }),
    account('a3', undefined),
  ],
  { BTC: 100 },
);

const cfg: RiskConfig = { thresholds: LEVELS, symbols: { BTC: { target: 0 } } };

describe('computeRisk', () => {
  it('builds the report from snapshot and history, with the configured windows', () => {
    const history = new ArrayHistory(
      { a1: [{ ts: NOW - 2 * DAY, value: 5_000 }, { ts: NOW - 3 * HOUR, value: 1_250 }], a2: [] },
      [{ ts: NOW - HOUR, value: 3_000 }],
      {},
    );
    const r = computeRisk(snap, history, cfg, NOW);
    expect(r.computedAt).toBe(NOW);
    expect(r.unavailableAccounts).toEqual(['a3']);
    expect(r.accounts.map((a) => [a.account, a.utilization, a.stale, a.riskLevel])).toEqual([
      ['a1', 0.2, false, 'high'],
      ['a2', 0.9, true, 'medium'],
    ]);
    expect(r.accounts[0]?.maxDrawdown).toBeCloseTo(0.2, 12);
    // Portfolio history says 3 000 an hour ago, but a3 has no data yet: 2 000 now is not a fall of 1/3.
    expect(r.portfolio).toMatchObject({ totalEquity: 2_000, utilization: 0.55, maxDrawdown: 0, var95: 0, varAvailable: true, riskLevel: 'high' });
    expect(r.portfolio.deltas).toMatchObject([{ symbol: 'BTC', net: 0, deviation: 0, staleAccounts: ['a2'] }]);
    // no history query for the account without state, none for a symbol with no net exposure
    expect(history.asked).toEqual([`equity a1 ${DAY}`, `equity a2 ${DAY}`, `portfolio ${DAY}`]);
  });

  it('counts the current total in the portfolio drawdown once every account has data', () => {
    const complete = snapshot(snap.accounts.slice(0, 2), { BTC: 100 });
    const history = new ArrayHistory({}, [{ ts: NOW - HOUR, value: 2_500 }], {});
    // (2 500 − 2 000) / 2 500 = 0.2
    expect(computeRisk(complete, history, cfg, NOW).portfolio.maxDrawdown).toBeCloseTo(0.2, 12);
  });

  it('applies account overrides to the levels and reads price history over varWindow', () => {
    const lopsided = snapshot([account('a1', { equity: 1_000, available: 100, positions: [pos('ETH', 2, { entryPrice: 10 })] })], { ETH: 10 });
    const history = new ArrayHistory({}, [], { ETH: [10, 11, 10].map((value, i) => ({ ts: NOW - 2 * DAY + i * DAY, value })) });
    const r = computeRisk(lopsided, history, { ...cfg, overrides: [{ account: 'a1', utilization: { warn: 0.95 } }], varWindow: 3 * DAY }, NOW);
    expect(r.accounts[0]?.riskLevel).toBe('low'); // u 0.9 under the overridden WARN 0.95
    // ETH net 2 with no counter-hedge → deviation 1 → portfolio high.
    // σ_daily: r = [ln 1.1, −ln 1.1], one day apart → σ = √2 · ln 1.1; var = 1.645 × σ × 20
    expect(r.portfolio.var95).toBeCloseTo(1.645 * Math.SQRT2 * Math.log(1.1) * 20, 9);
    expect(r.portfolio.riskLevel).toBe('high');
    expect(history.asked).toContain(`price ETH ${3 * DAY}`);
  });

  it('accepts the config sections as parsed by the schema, and works with no history', () => {
    const file = configSchema.parse({ accounts: [{ id: 'a1', venue: 'paper', paper: { equity: 1, available: 1 } }], symbols: { BTC: { target: 0.5 } } });
    const fromFile: RiskConfig = { thresholds: file.thresholds, symbols: file.symbols, overrides: file.overrides };
    const r = computeRisk(snap, emptyRiskHistory, fromFile, NOW);
    expect(r.portfolio.deltas[0]).toMatchObject({ symbol: 'BTC', target: 0.5, deviation: 0.5 }); // |0 − 0.5| / 1
    expect(r.portfolio.maxDrawdown).toBe(0);
  });
});
