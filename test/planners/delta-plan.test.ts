import { describe, expect, it } from 'vitest';
import { DeltaOpsError } from '../../src/core/errors.js';
import { planDelta } from '../../src/core/planners/delta-plan.js';
import type { MarketSpec } from '../../src/core/types.js';
import { account, btcInput } from './fixtures.js';

function codeOf(fn: () => unknown): number | undefined {
  try {
    fn();
  } catch (e) {
    if (e instanceof DeltaOpsError) return e.code;
    throw e;
  }
  return undefined;
}

describe('planDelta: reduce first, within tolerance, blocked', () => {
  it('is a no-op within tolerance and only counts accounts that hold the symbol', () => {
    const plan = planDelta(
      btcInput([account('acct-a', 'binance', 1.0), account('acct-b', 'aster', -0.97), account('acct-z', 'binance', 0, 9e9)]),
    );
    // net = 1.0 − 0.97 = 0.03; hedge = max(1.0, 0.97) = 1.0; deviation = 0.03 / 1.0 = 0.03 ≤ 0.05.
    expect(plan.initialDelta).toBe(0.03);
    expect(plan.deltaDeviation).toBe(0.03);
    expect(plan.adjustmentNeeded).toBe(false);
    expect(plan.orders).toEqual([]);
    expect(plan.skipped).toEqual([]);
    // nothing planned: final = initial, change 0, cost 0.
    expect(plan.finalDelta).toBe(0.03);
    expect(plan.finalDeviation).toBe(0.03);
    expect(plan.netDeltaChange).toBe(0);
    expect(plan.totalCost).toBe(0);
    // acct-z is flat, so the default set is acct-a and acct-b.
    expect(plan.accounts).toEqual(['acct-a', 'acct-b']);
    expect(plan.accountsProcessed).toBe(2);
    expect(plan.blocked).toBe(false);
    expect(plan.errorCode).toBeUndefined();
    expect(plan.reason).toBe('deviation 0.03 within tolerance 0.05: no adjustment needed');
  });

  it('reduces the largest long first, ties broken by account id', () => {
    const plan = planDelta(
      btcInput([account('acct-b', 'binance', 0.5), account('acct-a', 'binance', 0.5), account('acct-c', 'aster', -0.9)]),
    );
    // net = 0.5 + 0.5 − 0.9 = 0.1; hedge = max(1.0, 0.9) = 1.0; deviation = 0.1 — equal to maxDeviation 0.1,
    // so not blocked (blocked only when strictly over).
    expect(plan.initialDelta).toBe(0.1);
    expect(plan.deltaDeviation).toBe(0.1);
    expect(plan.blocked).toBe(false);
    // Δ = 0 − 0.1 = −0.1 → sell 0.1; acct-a and acct-b tie at 0.5 → acct-a (lower id) takes it all.
    // est = 50,000 × 0.995 = 49,750; notional = 0.1 × 49,750 = 4,975; fee = 4,975 × 0.0005 = 2.4875.
    expect(plan.orders).toEqual([
      {
        account: 'acct-a',
        venue: 'binance',
        symbol: 'BTC',
        venueSymbol: 'BTCUSDT',
        side: 'sell',
        amount: 0.1,
        contracts: 0.1,
        estimatedPrice: 49_750,
        notional: 4_975,
        fee: 2.4875,
        reduceOnly: true,
      },
    ]);
    // final: a 0.4, b 0.5, c −0.9 → net 0, hedge 0.9, deviation 0.
    expect(plan.finalDelta).toBe(0);
    expect(plan.finalDeviation).toBe(0);
    expect(plan.netDeltaChange).toBe(-0.1);
    expect(plan.totalAdjustments).toBe(1);
    expect(plan.totalCost).toBe(4_975);
    expect(plan.totalFees).toBe(2.4875);
    expect(plan.unplanned).toBe(0);
    expect(plan.reason).toBe('sell 0.1 BTC: 1 order(s), 1 reducing, 0 opening; final deviation 0');
  });

  it('blocks with 1002 over maxDeviation but still returns the plan, with float-hostile lots', () => {
    const pacificaEth: MarketSpec = {
      symbol: 'ETH', venueSymbol: 'ETH', lotSize: 0.1, tickSize: 0.01, minNotional: 10, takerFee: 0.0005, multiplier: 1,
    };
    const plan = planDelta({
      ...btcInput([account('acct-a', 'pacifica', 1.0), account('acct-b', 'pacifica', -0.7)]),
      symbol: 'ETH',
      markets: { pacifica: pacificaEth },
      markPrice: 3_000,
    });
    // net = 1.0 − 0.7 = 0.3 (not 0.30000000000000004); hedge 1.0; deviation 0.3 > 0.1 → blocked.
    expect(plan.initialDelta).toBe(0.3);
    expect(plan.deltaDeviation).toBe(0.3);
    expect(plan.blocked).toBe(true);
    expect(plan.errorCode).toBe(1002);
    expect(plan.reason).toBe('deviation 0.3 over maxDeviation 0.1: too large to correct without a person');
    // Still planned: sell 0.3 = 3 lots of 0.1 (float division would say 2).
    // est = 3,000 × 0.995 = 2,985; notional = 0.3 × 2,985 = 895.5; fee = 895.5 × 0.0005 = 0.44775.
    expect(plan.orders).toHaveLength(1);
    expect(plan.orders[0]).toMatchObject({ account: 'acct-a', side: 'sell', amount: 0.3, estimatedPrice: 2_985 });
    expect(plan.orders[0]?.notional).toBe(895.5);
    expect(plan.orders[0]?.fee).toBe(0.44775);
    // final: a 0.7, b −0.7 → net 0 exactly; deviation 0.
    expect(plan.finalDelta).toBe(0);
    expect(plan.finalDeviation).toBe(0);
  });

  it('drops an order under the venue minimum notional and lists it as skipped', () => {
    const plan = planDelta(
      btcInput([account('acct-a', 'binance', 1.0), account('acct-b', 'aster', -0.9985)], { tolerance: 0.001 }),
    );
    // net = 1.0 − 0.9985 = 0.0015; hedge 1.0; deviation 0.0015 > tolerance 0.001.
    expect(plan.deltaDeviation).toBe(0.0015);
    expect(plan.adjustmentNeeded).toBe(true);
    // sell 0.0015 on acct-a → round down to lot 0.001 → 0.001; 0.001 × 50,000 = $50 < $100 → dropped.
    expect(plan.orders).toEqual([]);
    expect(plan.skipped).toEqual([
      { account: 'acct-a', amount: 0.001, reason: 'notional $50 is below the binance minimum of $100' },
    ]);
    // nothing placed: final net stays 0.0015, all of it unplanned.
    expect(plan.finalDelta).toBe(0.0015);
    expect(plan.finalDeviation).toBe(0.0015);
    expect(plan.unplanned).toBe(0.0015);
    expect(plan.totalAdjustments).toBe(0);
  });

  it('skips a share smaller than one lot', () => {
    const plan = planDelta(
      btcInput([account('acct-a', 'aster', 1.0), account('acct-b', 'aster', -0.996)], { tolerance: 0.001 }),
    );
    // net = 1.0 − 0.996 = 0.004; deviation 0.004 > 0.001 → sell 0.004 on acct-a; aster lot 0.01 → 0 lots.
    expect(plan.orders).toEqual([]);
    expect(plan.skipped).toEqual([{ account: 'acct-a', amount: 0.004, reason: '0.004 BTC is less than one lot (0.01) on aster' }]);
    expect(plan.unplanned).toBe(0.004);
  });

  it('plans in base units for a contract with multiplier 1000 (1000PEPEUSDT)', () => {
    const binancePepe: MarketSpec = {
      symbol: 'PEPE', venueSymbol: '1000PEPEUSDT', lotSize: 1000, tickSize: 1e-7, minNotional: 5, takerFee: 0.0005, multiplier: 1000,
    };
    const asterPepe: MarketSpec = { ...binancePepe, lotSize: 1, multiplier: 1, venueSymbol: 'PEPEUSDT' };
    const plan = planDelta({
      ...btcInput([account('acct-a', 'binance', 50_000_000), account('acct-b', 'aster', -48_765_432)], { tolerance: 0.01 }),
      symbol: 'PEPE',
      markets: { binance: binancePepe, aster: asterPepe },
      markPrice: 0.00001,
    });
    // net = 50,000,000 − 48,765,432 = 1,234,568; hedge 50,000,000; deviation = 0.02469136 (> 0.01, ≤ 0.1).
    expect(plan.initialDelta).toBe(1_234_568);
    expect(plan.deltaDeviation).toBeCloseTo(0.02469136, 8);
    // sell 1,234,568 on acct-a → lot 1000 PEPE (1 contract of 1000) → 1234 lots = 1,234,000 PEPE = 1234 contracts.
    // $ at mark: 1,234,000 × 0.00001 = 12.34 ≥ 5. est = 0.00001 × 0.995 = 0.00000995;
    // notional = 1,234,000 × 0.00000995 = 12.2783; fee = 12.2783 × 0.0005 = 0.00613915.
    expect(plan.orders).toEqual([
      {
        account: 'acct-a',
        venue: 'binance',
        symbol: 'PEPE',
        venueSymbol: '1000PEPEUSDT',
        side: 'sell',
        amount: 1_234_000,
        contracts: 1234,
        estimatedPrice: 0.00000995,
        notional: 12.2783,
        fee: 0.00613915,
        reduceOnly: true,
      },
    ]);
    // final net = 1,234,568 − 1,234,000 = 568; hedge = max(48,766,000, 48,765,432) = 48,766,000.
    expect(plan.finalDelta).toBe(568);
    expect(plan.finalDeviation).toBeCloseTo(568 / 48_766_000, 15);
    expect(plan.unplanned).toBe(568);
    expect(plan.reason).toContain('568 PEPE left unplanned');
  });

  it('leaves out an account whose venue has no market spec and lets the next one reduce', () => {
    const plan = planDelta(
      btcInput([account('acct-a', 'rasa', 0.6), account('acct-b', 'binance', 0.5), account('acct-c', 'aster', -1.0)]),
    );
    // net = 0.6 + 0.5 − 1.0 = 0.1; hedge = max(1.1, 1.0) = 1.1; deviation = 0.0909 (> 0.05, ≤ 0.1).
    expect(plan.deltaDeviation).toBeCloseTo(0.1 / 1.1, 12);
    // acct-a (rasa) has no spec: skipped with amount 0; acct-b sells 0.1 (notional 4,975).
    expect(plan.skipped).toEqual([{ account: 'acct-a', amount: 0, reason: 'no market spec for BTC on rasa: account left out' }]);
    expect(plan.orders.map((o) => [o.account, o.side, o.amount, o.notional])).toEqual([['acct-b', 'sell', 0.1, 4_975]]);
    // final net 0 → deviation 0.
    expect(plan.finalDelta).toBe(0);
  });

  it('throws 1005 without a mark price and 1001 for an unknown account in the filter', () => {
    const accounts = [account('acct-a', 'binance', 1)];
    expect(codeOf(() => planDelta(btcInput(accounts, { markPrice: undefined })))).toBe(1005);
    expect(codeOf(() => planDelta(btcInput(accounts, { markPrice: Number.NaN })))).toBe(1005);
    expect(codeOf(() => planDelta(btcInput(accounts, { accountFilter: ['acct-a', 'nobody'] })))).toBe(1001);
  });
});
