import { describe, expect, it } from 'vitest';
import { planDelta } from '../../src/core/planners/delta-plan.js';
import { account, btcInput } from './fixtures.js';

/** Mark 50,000, slippage 0.005: sells estimate at 49,750, buys at 50,250 (see fixtures). */
describe('planDelta: opening after reducing', () => {
  it('never flips a side: caps the reduce at the position and opens the rest elsewhere', () => {
    const plan = planDelta(
      btcInput(
        // acct-a has by far the most margin, so it would be the first opener if flipping were allowed.
        [account('acct-a', 'binance', 0.2, 1_000_000), account('acct-b', 'aster', -0.1, 10_000, 5)],
        { target: -0.5, maxDeviation: 10 },
      ),
    );
    // net = 0.2 − 0.1 = 0.1; hedge = max(0.2, 0.1) = 0.2; deviation = |0.1 − (−0.5)| / 0.2 = 3.
    expect(plan.deltaDeviation).toBeCloseTo(3, 12);
    // Δ = −0.5 − 0.1 = −0.6 → sell. Reduce acct-a by its whole 0.2 (capped at the position), 0.4 left.
    // Open on acct-b (short side): margin room = 10,000 × 5 / 49,750 = 1.005 ≥ 0.4 → sell 0.4 (aster lot 0.01).
    // acct-a: notional 0.2 × 49,750 = 9,950, fee × 0.0005 = 4.975.
    // acct-b: notional 0.4 × 49,750 = 19,900, fee × 0.0004 = 7.96.
    expect(plan.orders.map((o) => [o.account, o.side, o.amount, o.reduceOnly, o.limitedBy, o.notional, o.fee])).toEqual([
      ['acct-a', 'sell', 0.2, true, 'position', 9_950, 4.975],
      ['acct-b', 'sell', 0.4, false, undefined, 19_900, 7.96],
    ]);
    // final: a 0 (not short), b −0.5 → net −0.5 = target; hedge 0.5; deviation 0.
    expect(plan.finalDelta).toBe(-0.5);
    expect(plan.finalDeviation).toBe(0);
    // totalCost = 9,950 + 19,900 = 29,850; fees = 4.975 + 7.96 = 12.935; change = −0.5 − 0.1 = −0.6.
    expect(plan.totalCost).toBe(29_850);
    expect(plan.totalFees).toBe(12.935);
    expect(plan.netDeltaChange).toBe(-0.6);
    // 3 > maxDeviation 10? no → not blocked.
    expect(plan.blocked).toBe(false);
  });

  it('limits an opening order by maxPositionSize; ties on margin go to the lower id', () => {
    const plan = planDelta(
      btcInput(
        [
          account('acct-c', 'binance', 0, 100_000),
          account('acct-a', 'binance', 0.5, 100_000),
          account('acct-b', 'aster', -0.5),
        ],
        { target: 1, maxDeviation: 10, maxPositionSize: 0.8, accountFilter: ['acct-a', 'acct-b', 'acct-c'] },
      ),
    );
    // net = 0.5 − 0.5 = 0; hedge = 0.5; deviation = |0 − 1| / 0.5 = 2.
    expect(plan.deltaDeviation).toBe(2);
    // Δ = 1 − 0 = +1 → buy. Reduce the short acct-b by 0.5 (all of it), 0.5 left.
    // Openers: acct-a and acct-c both have 100,000 available → acct-a first (id).
    //   acct-a room = min(0.8 − 0.5 = 0.3, 100,000 / 50,250 = 1.99) = 0.3 → buy 0.3 (maxPositionSize).
    //   acct-c room = min(0.8 − 0 = 0.8, 1.99) → buy the last 0.2.
    // notionals: 0.5 × 50,250 = 25,125 (fee × 0.0004 = 10.05); 0.3 × 50,250 = 15,075 (fee × 0.0005 = 7.5375);
    //            0.2 × 50,250 = 10,050 (fee × 0.0005 = 5.025).
    expect(plan.orders.map((o) => [o.account, o.side, o.amount, o.reduceOnly, o.limitedBy, o.notional, o.fee])).toEqual([
      ['acct-b', 'buy', 0.5, true, 'position', 25_125, 10.05],
      ['acct-a', 'buy', 0.3, false, 'maxPositionSize', 15_075, 7.5375],
      ['acct-c', 'buy', 0.2, false, undefined, 10_050, 5.025],
    ]);
    expect(plan.orders.every((o) => o.estimatedPrice === 50_250)).toBe(true);
    // final: a 0.8 (= maxPositionSize), b 0, c 0.2 → net 1.0 = target; hedge 1.0; deviation 0.
    expect(plan.finalDelta).toBe(1);
    expect(plan.finalDeviation).toBe(0);
    // totalCost = 25,125 + 15,075 + 10,050 = 50,250; fees = 10.05 + 7.5375 + 5.025 = 22.6125.
    expect(plan.totalCost).toBe(50_250);
    expect(plan.totalFees).toBe(22.6125);
  });

  it('without another opener, maxPositionSize leaves the rest unplanned', () => {
    const plan = planDelta(
      btcInput([account('acct-a', 'binance', 0.5, 100_000), account('acct-b', 'aster', -0.5)], {
        target: 1,
        maxDeviation: 10,
        maxPositionSize: 0.8,
      }),
    );
    // as above without acct-c: buy 0.5 on acct-b, buy 0.3 on acct-a, 1 − 0.8 = 0.2 unplanned.
    expect(plan.orders.map((o) => o.amount)).toEqual([0.5, 0.3]);
    expect(plan.unplanned).toBe(0.2);
    // final: a 0.8, b 0 → net 0.8; hedge 0.8; deviation = |0.8 − 1| / 0.8 = 0.25.
    expect(plan.finalDelta).toBe(0.8);
    expect(plan.finalDeviation).toBeCloseTo(0.25, 12);
  });

  it('limits opening orders by available margin (leverage: market maxLeverage, else 1)', () => {
    const plan = planDelta(
      btcInput(
        [
          account('acct-a', 'binance', 0.4),
          account('acct-c', 'aster', 0, 5_000),
          account('acct-d', 'binance', 0, 3_000),
        ],
        { target: -1, maxDeviation: 10, accountFilter: ['acct-a', 'acct-c', 'acct-d'] },
      ),
    );
    // net 0.4; hedge 0.4; deviation = |0.4 − (−1)| / 0.4 = 3.5. Δ = −1.4 → sell.
    expect(plan.deltaDeviation).toBeCloseTo(3.5, 12);
    // Reduce acct-a 0.4 → 1.0 left. Openers by available: acct-c (5,000), then acct-d (3,000).
    // acct-c: aster maxLeverage 2 → room 5,000 × 2 / 49,750 = 0.20100… → lot 0.01 → 0.2;
    //         notional 0.2 × 49,750 = 9,950 (margin 4,975 ≤ 5,000); fee × 0.0004 = 3.98.
    // acct-d: binance gives no maxLeverage → 1 → room 3,000 / 49,750 = 0.060301… → lot 0.001 → 0.06;
    //         notional 0.06 × 49,750 = 2,985 ≤ 3,000; fee × 0.0005 = 1.4925.
    // acct-a: notional 0.4 × 49,750 = 19,900; fee 9.95.
    expect(plan.orders.map((o) => [o.account, o.amount, o.reduceOnly, o.limitedBy, o.notional, o.fee])).toEqual([
      ['acct-a', 0.4, true, 'position', 19_900, 9.95],
      ['acct-c', 0.2, false, 'margin', 9_950, 3.98],
      ['acct-d', 0.06, false, 'margin', 2_985, 1.4925],
    ]);
    // final net = 0.4 − 0.4 − 0.2 − 0.06 = −0.26; hedge 0.26; deviation = 0.74 / 0.26 = 2.8462.
    expect(plan.finalDelta).toBe(-0.26);
    expect(plan.finalDeviation).toBeCloseTo(0.74 / 0.26, 12);
    // unplanned = 1.4 − 0.66 = 0.74; totalCost = 19,900 + 9,950 + 2,985 = 32,835; fees = 15.4225.
    expect(plan.unplanned).toBe(0.74);
    expect(plan.totalCost).toBe(32_835);
    expect(plan.totalFees).toBe(15.4225);
  });

  it('opens from flat when hedgeSize is 0 but net ≠ target (deviation 1, blocked)', () => {
    const plan = planDelta(
      btcInput([account('acct-a', 'binance', 0, 100_000)], { target: 0.5, accountFilter: ['acct-a'] }),
    );
    // net 0, hedge 0, target 0.5 → deviation 1 > 0.1 → blocked, plan still computed.
    expect(plan.deltaDeviation).toBe(1);
    expect(plan.blocked).toBe(true);
    expect(plan.errorCode).toBe(1002);
    // buy 0.5: room 100,000 / 50,250 = 1.99 → 0.5; notional 0.5 × 50,250 = 25,125.
    expect(plan.orders.map((o) => [o.account, o.side, o.amount, o.reduceOnly, o.notional])).toEqual([
      ['acct-a', 'buy', 0.5, false, 25_125],
    ]);
    // final net 0.5 = target; hedge 0.5 → deviation 0.
    expect(plan.finalDeviation).toBe(0);
  });
});
