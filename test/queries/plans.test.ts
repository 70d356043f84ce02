import { describe, expect, it } from 'vitest';
import { evaluateRules, fingerprint, type RuleConfig } from '../../src/core/alerts/rules/index.js';
import { deltaPlanFromSnapshot } from '../../src/core/queries/plans.js';
import { computeRisk } from '../../src/core/risk/compute-risk.js';
import { emptyRiskHistory } from '../../src/core/risk/ports.js';
import { THRESHOLD_DEFAULTS } from '../../src/core/thresholds/defaults.js';
import type { Position, Snapshot } from '../../src/core/types.js';
import { BINANCE_BTC } from '../planners/fixtures.js';
import { account, pos, snapshot, T0 } from '../risk/fixtures.js';

/*
 * One BTC book on Binance (lot 0.001, $100 minimum, 5 bp taker, leverage 1), mark 50,000:
 *   a0 +3 (no margin left), b1 −1 (200,000 available), c2 flat (100,000 available).
 * symbols.BTC.maxPositionSize is 5, but an override caps b1 at 1.2 BTC: the position-limit alert
 * fires for b1 above 1.2, so the plan must not take b1 past it.
 */
const config: RuleConfig = {
  thresholds: THRESHOLD_DEFAULTS,
  symbols: { BTC: { target: 0, tolerance: 0.05, maxDeviation: 2, maxPositionSize: 5, slippage: 0.005 } },
  overrides: [{ account: 'b1', symbol: 'BTC', maxPositionSize: 1.2 }],
  tickIntervalMs: 15_000,
};

function book(sizes: Record<string, number>, available: Record<string, number> = {}): Snapshot {
  const accounts = Object.entries(sizes).map(([id, size]) => {
    const positions: Position[] = size === 0 ? [] : [pos('BTC', size, { entryPrice: 50_000 })];
    return account(id, { equity: 1_000_000, available: available[id] ?? 0, positions }, { venue: 'binance' });
  });
  return snapshot(accounts, { BTC: 50_000 }, { markets: { binance: { BTC: BINANCE_BTC } } });
}

describe('deltaPlanFromSnapshot: each account capped by the limit the position-limit alert uses', () => {
  it('opens on b1 only up to its override, and the rest on c2', () => {
    const s = book({ a0: 3, b1: -1, c2: 0 }, { b1: 200_000, c2: 100_000 });
    // c2 is flat, so it is named (by default only the accounts holding the symbol take part).
    const plan = deltaPlanFromSnapshot(s, config, { operationId: 'op-1', symbol: 'BTC', target: -3, accounts: ['a0', 'b1', 'c2'] }, T0);
    // net = 3 − 1 = 2; hedge = max(3, 1) = 3; deviation = |2 − (−3)| / 3 = 5/3 ≤ maxDeviation 2 (config).
    expect(plan.deltaDeviation).toBe(5 / 3);
    expect(plan.blocked).toBe(false);
    // Δ = −3 − 2 = −5 → sell at 50,000 × 0.995 = 49,750.
    // Reduce a0 by all of its 3 (2 left). Open, most available first:
    //   b1: margin room 200,000 / 49,750 = 4.02; position room 1.2 − 1 = 0.2 (override) → sell 0.2.
    //   c2: margin room 100,000 / 49,750 = 2.01; position room 5 − 0 = 5 → sell the last 1.8.
    // notionals: 3 × 49,750 = 149,250 (fee × 0.0005 = 74.625); 0.2 × 49,750 = 9,950 (4.975);
    //            1.8 × 49,750 = 89,550 (44.775).
    expect(plan.orders.map((o) => [o.account, o.side, o.amount, o.reduceOnly, o.limitedBy, o.notional, o.fee])).toEqual([
      ['a0', 'sell', 3, true, 'position', 149_250, 74.625],
      ['b1', 'sell', 0.2, false, 'maxPositionSize', 9_950, 4.975],
      ['c2', 'sell', 1.8, false, undefined, 89_550, 44.775],
    ]);
    // final: a0 0, b1 −1.2, c2 −1.8 → net −3 = target, deviation 0.
    expect(plan.finalDelta).toBe(-3);
    expect(plan.finalDeviation).toBe(0);
    // 149,250 + 9,950 + 89,550 = 248,750; 74.625 + 4.975 + 44.775 = 124.375.
    expect(plan.totalCost).toBe(248_750);
    expect(plan.totalFees).toBe(124.375);

    // The book after the plan raises no position-limit alert (b1 at exactly 1.2 is not over 1.2).
    const after = book({ a0: 0, b1: -1.2, c2: -1.8 });
    const risk = computeRisk(after, emptyRiskHistory, config, T0);
    expect(evaluateRules({ snapshot: after, risk, now: T0, config }).filter((c) => c.type === 'position-limit')).toEqual([]);
    // Whereas the plan an override-blind planner made (b1 room 5 − 1 = 4 → sell 2, to −3) would page:
    const blind = book({ a0: 0, b1: -3, c2: 0 });
    const paged = evaluateRules({ snapshot: blind, risk: computeRisk(blind, emptyRiskHistory, config, T0), now: T0, config });
    expect(paged.filter((c) => c.type === 'position-limit').map((c) => [fingerprint(c), c.severity, c.value, c.threshold])).toEqual([
      ['position-limit|b1|BTC', 'CRITICAL', 3, 1.2],
    ]);
  });

  it('takes target and limits from symbols.<sym> when the request leaves them out; a request cap only tightens', () => {
    const s = book({ a0: 1, b1: 0 }, { b1: 200_000 });
    // net 1, hedge 1, deviation 1 ≤ 2 (config maxDeviation) → not blocked; target 0 (config) → Δ = −1.
    // a0 reduces 1 in full: no opening needed, so the request cap of 0.5 changes nothing here.
    const plan = deltaPlanFromSnapshot(s, config, { operationId: 'op-2', symbol: 'BTC', maxPositionSize: 0.5 }, T0);
    expect([plan.target, plan.tolerance, plan.maxDeviation, plan.slippage, plan.blocked]).toEqual([0, 0.05, 2, 0.005, false]);
    expect(plan.orders.map((o) => [o.account, o.side, o.amount])).toEqual([['a0', 'sell', 1]]);
    // Target −1 over a0 and the flat b1: net 1, hedge 1, deviation |1 − (−1)| / 1 = 2 ≤ 2; Δ = −2;
    // a0 reduces 1; b1 may open only min(1.2 override, 0.5 request) = 0.5; the other 0.5 is unplanned.
    const capped = deltaPlanFromSnapshot(s, config, { operationId: 'op-3', symbol: 'BTC', target: -1, maxPositionSize: 0.5, accounts: ['a0', 'b1'] }, T0);
    expect(capped.orders.map((o) => [o.account, o.side, o.amount, o.limitedBy])).toEqual([
      ['a0', 'sell', 1, 'position'],
      ['b1', 'sell', 0.5, 'maxPositionSize'],
    ]);
    expect(capped.unplanned).toBe(0.5);
  });
});
