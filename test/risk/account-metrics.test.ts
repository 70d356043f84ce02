import { describe, expect, it } from 'vitest';
import { computeAccountMetrics } from '../../src/core/risk/account-metrics.js';
import { maxDrawdown } from '../../src/core/risk/drawdown.js';
import { accountRiskLevel, levelBelow } from '../../src/core/thresholds/levels.js';
import type { MetricPoint } from '../../src/core/ports/store.js';
import { account, LEVELS, pos, sameForAll, snapshot, T0 } from './fixtures.js';

const prices = snapshot([], { BTC: 49_000, ETH: 3_000 }).prices;
const series = (values: number[]): MetricPoint[] => values.map((value, i) => ({ ts: T0 + i * 60_000, value }));

/*
 * a1: equity 10 000, available 2 500, maintenance margin 500
 *   BTC +0.2  entry 48 000, venue mark 50 000 (wins over the snapshot's 49 000), liq 40 000
 *   ETH −2    entry 3 100, no venue mark → snapshot 3 000, liq 3 300
 * used = 10 000 − 2 500 = 7 500; utilization = 7 500 / 10 000 = 0.75
 * gross = |0.2 × 50 000| + |−2 × 3 000| = 10 000 + 6 000 = 16 000; leverage = 16 000 / 10 000 = 1.6
 * uPnL (no venue values) = (50 000 − 48 000) × 0.2 + (3 000 − 3 100) × (−2) = 400 + 200 = 600
 * liq distance = min(|50 000 − 40 000| / 50 000, |3 000 − 3 300| / 3 000) = min(0.2, 0.1) = 0.1
 * marginRatio = 500 / 10 000 = 0.05
 * level: 0.75 ≤ 0.85 and 0.1 is not < 0.1 (strict) → low
 */
const a1 = account(
  'a1',
  {
    balance: { equity: 10_000, available: 2_500, maintenanceMargin: 500 },
    positions: [
      pos('BTC', 0.2, { entryPrice: 48_000, markPrice: 50_000, liquidationPrice: 40_000 }),
      pos('ETH', -2, { entryPrice: 3_100, liquidationPrice: 3_300 }),
    ],
  },
  { venue: 'binance' },
);

describe('computeAccountMetrics', () => {
  it('computes the numbers of one account by hand', () => {
    const m = computeAccountMetrics(a1, prices, { thresholds: sameForAll });
    expect(m).toMatchObject({ account: 'a1', venue: 'binance', equity: 10_000, available: 2_500, used: 7_500, utilization: 0.75, stale: false, riskLevel: 'low' });
    expect(m?.grossNotional).toBeCloseTo(16_000, 9);
    expect(m?.leverage).toBeCloseTo(1.6, 12);
    expect(m?.unrealizedPnl).toBeCloseTo(600, 9);
    expect(m?.liquidationDistance).toBeCloseTo(0.1, 12);
    expect(m?.marginRatio).toBeCloseTo(0.05, 12);
    expect(m?.maxDrawdown).toBe(0);
  });

  it('prefers venue uPnL: account value, else per-position values, else (mark − entry) × size', () => {
    const withAccountPnl = account('x', { balance: { equity: 1, available: 1, unrealizedPnl: 123 }, positions: a1.state?.positions ?? [] });
    expect(computeAccountMetrics(withAccountPnl, prices, { thresholds: sameForAll })?.unrealizedPnl).toBe(123);
    // BTC reports 50 itself; ETH falls back to (3 000 − 3 100) × (−2) = 200 → 250
    const mixed = account('y', { equity: 1, available: 1, positions: [pos('BTC', 0.2, { entryPrice: 48_000, unrealizedPnl: 50 }), pos('ETH', -2, { entryPrice: 3_100 })] });
    expect(computeAccountMetrics(mixed, prices, { thresholds: sameForAll })?.unrealizedPnl).toBeCloseTo(250, 9);
  });

  it('has no liquidation distance when no position has a liq price (0 or none)', () => {
    const none = account('z', { equity: 100, available: 50, positions: [pos('BTC', 1, { entryPrice: 49_000 }), pos('ETH', 1, { liquidationPrice: 0 })] });
    const m = computeAccountMetrics(none, prices, { thresholds: sameForAll });
    expect(m?.liquidationDistance).toBeUndefined();
    expect(m?.marginRatio).toBeUndefined();
  });

  it('uses base units × mark for a contract-multiplier position (no second multiplier)', () => {
    /*
     * Binance 1000PEPEUSDT, 5 000 contracts × 1 000 = 5 000 000 PEPE (the adapter's conversion),
     * mark 0.00001 and entry 0.000008 per PEPE. The market spec (multiplier 1000) must not apply again:
     * notional = 5 000 000 × 0.00001 = 50 (not 50 000); uPnL = (0.00001 − 0.000008) × 5 000 000 = 10
     * leverage = 50 / 100 = 0.5
     */
    const pepe = pos('PEPE', 5_000_000, { venueSymbol: '1000PEPEUSDT', entryPrice: 0.000008, markPrice: 0.00001 });
    const s = snapshot([account('b', { equity: 100, available: 90, positions: [pepe] }, { venue: 'binance' })], { PEPE: 0.00001 }, {
      markets: { binance: { PEPE: { symbol: 'PEPE', venueSymbol: '1000PEPEUSDT', lotSize: 1000, tickSize: 1e-7, minNotional: 5, takerFee: 0.0004, multiplier: 1000 } } },
    });
    const m = computeAccountMetrics(s.accounts[0]!, s.prices, { thresholds: sameForAll });
    expect(m?.grossNotional).toBeCloseTo(50, 9);
    expect(m?.unrealizedPnl).toBeCloseTo(10, 9);
    expect(m?.leverage).toBeCloseTo(0.5, 9);
  });

  it('drawdown: history [100, 120, 90, 110] then current equity 80 → (120 − 80) / 120', () => {
    const acc = account('d', { equity: 80, available: 80 });
    const m = computeAccountMetrics(acc, prices, { thresholds: sameForAll, equityHistory: series([100, 120, 90, 110]) });
    expect(m?.maxDrawdown).toBeCloseTo(40 / 120, 12);
    expect(m?.riskLevel).toBe('high'); // 0.333 > stop-loss 0.05
    expect(maxDrawdown([100, 120, 90, 110, 80])).toBeCloseTo(1 / 3, 12);
    expect(maxDrawdown([])).toBe(0);
    expect(maxDrawdown([100, 110, 120])).toBe(0);
    expect(maxDrawdown([100, -50])).toBe(1); // a trough below 0 counts as 0
  });

  it('is undefined without a state, and flags stale data', () => {
    expect(computeAccountMetrics(account('n', undefined), prices, { thresholds: sameForAll })).toBeUndefined();
    const stale = account('s', { equity: 10, available: 5 }, { status: 'failed' });
    expect(computeAccountMetrics(stale, prices, { thresholds: sameForAll })).toMatchObject({ stale: true, utilization: 0.5 });
  });

  it('equity ≤ 0: utilization and leverage 0, level high when holding positions', () => {
    const blown = account('w', { equity: -5, available: 0, positions: [pos('ETH', 1)] });
    expect(computeAccountMetrics(blown, prices, { thresholds: sameForAll })).toMatchObject({ utilization: 0, leverage: 0, grossNotional: 3_000, riskLevel: 'high' });
    const empty = account('e', { equity: 0, available: 0 });
    expect(computeAccountMetrics(empty, prices, { thresholds: sameForAll })).toMatchObject({ utilization: 0, leverage: 0, riskLevel: 'low' });
  });
});

describe('risk level at the thresholds (strict comparisons)', () => {
  type Inputs = Parameters<typeof accountRiskLevel>[0];
  const base: Inputs = { equity: 100, grossNotional: 0, utilization: 0, maxDrawdown: 0 };
  const level = (m: Partial<Inputs>) => accountRiskLevel({ ...base, ...m }, LEVELS, 'low');

  it('utilization: 0.85 low, 0.86 medium, 0.95 medium, 0.96 high', () => {
    expect(level({ utilization: 0.85 })).toBe('low');
    expect(level({ utilization: 0.86 })).toBe('medium');
    expect(level({ utilization: 0.95 })).toBe('medium');
    expect(level({ utilization: 0.96 })).toBe('high');
  });

  it('liquidation distance: 0.10 low, 0.09 medium, 0.05 medium, 0.049 high; none low', () => {
    const liq = (d: number | undefined) => levelBelow(d, LEVELS.liquidation);
    expect([liq(0.1), liq(0.09), liq(0.05), liq(0.049), liq(undefined)]).toEqual(['low', 'medium', 'medium', 'high', 'low']);
    // The positions' worst liquidation level lifts the account's level, never lowers it.
    expect(accountRiskLevel(base, LEVELS, 'medium')).toBe('medium');
    expect(accountRiskLevel({ ...base, utilization: 0.96 }, LEVELS, 'medium')).toBe('high');
  });

  it('drawdown: 0.05 low, 0.051 high (no WARN level)', () => {
    expect(level({ maxDrawdown: 0.05 })).toBe('low');
    expect(level({ maxDrawdown: 0.051 })).toBe('high');
  });

  it('computed utilization exactly at WARN: equity 100, available 15 → 85 / 100 = 0.85 → low', () => {
    const m = computeAccountMetrics(account('u', { equity: 100, available: 15 }), prices, { thresholds: sameForAll });
    expect(m).toMatchObject({ utilization: 0.85, riskLevel: 'low' });
    const drawn = computeAccountMetrics(account('v', { equity: 95, available: 95 }), prices, { thresholds: sameForAll, equityHistory: series([100]) });
    expect(drawn).toMatchObject({ maxDrawdown: 0.05, riskLevel: 'low' }); // (100 − 95) / 100 = 0.05, not > 0.05
  });
});
