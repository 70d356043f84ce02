import { describe, expect, it } from 'vitest';
import type { MetricPoint } from '../../src/core/ports/store.js';
import { computeDeltas } from '../../src/core/risk/net-delta.js';
import { computePortfolio } from '../../src/core/risk/portfolio.js';
import { portfolioRiskView, varText } from '../../src/present/risk-view.js';
import { account, HOUR, LEVELS, pos, snapshot, T0 } from '../risk/fixtures.js';

/*
 * a1 BTC +0.2, ETH −1; a2 BTC −0.1. Marks BTC 50,000, ETH 2,000.
 * BTC net 0.1 → netUsd 5,000; ETH net −1 → netUsd −2,000.
 * BTC history 50,000 → 50,500 → 50,000, 12 h apart: r = [ln 1.01, −ln 1.01], s = √2 · ln 1.01,
 * 2 samples a day → σ_daily = 2 · ln 1.01 = 0.0199007; VaR = 1.645 × 0.0199007 × 5,000 = 163.68.
 * ETH history 2,000 → 2,010: one return, fewer than two → no estimate.
 */
const s = snapshot(
  [
    account('a1', { equity: 10_000, available: 5_000, positions: [pos('BTC', 0.2), pos('ETH', -1)] }),
    account('a2', { equity: 10_000, available: 5_000, positions: [pos('BTC', -0.1)] }),
  ],
  { BTC: 50_000, ETH: 2_000 },
);
const deltas = computeDeltas(s, { targets: {} });
const series = (values: number[]): MetricPoint[] => values.map((value, i) => ({ ts: T0 + i * 12 * HOUR, value }));

function portfolio(history: Record<string, MetricPoint[]>) {
  return computePortfolio([], deltas, { levels: LEVELS, priceHistory: (symbol) => history[symbol] ?? [] });
}

describe('/risk VaR', () => {
  it('with fewer than two returns for every exposed symbol: not available yet, not $0.00', () => {
    const p = portfolio({ ETH: series([2_000, 2_010]) });
    expect([p.var95, p.varAvailable]).toEqual([0, false]);
    const view = portfolioRiskView({ computedAt: T0, accounts: [], portfolio: p });
    expect(view.fields?.find((f) => f.name === '1-day VaR 95% (net)')?.value).toBe('not available yet');
  });

  it('with some symbols estimated: the partial sum, naming the symbols still missing', () => {
    const p = portfolio({ BTC: series([50_000, 50_500, 50_000]), ETH: series([2_000, 2_010]) });
    expect(p.var95).toBe(1.645 * 2 * Math.log(1.01) * 5_000);
    expect(varText(p)).toBe('$163.68 (not available yet for ETH)');
  });

  it('with no net exposure there is nothing at risk: $0.00', () => {
    const hedged = computePortfolio([], computeDeltas(snapshot([account('h', { equity: 1, positions: [pos('BTC', 1), pos('BTC', -1)] })], { BTC: 50_000 }), { targets: {} }), { levels: LEVELS });
    expect([hedged.var95, hedged.varAvailable]).toEqual([0, true]);
    expect(varText(hedged)).toBe('$0.00');
  });
});
