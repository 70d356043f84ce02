import { describe, expect, it } from 'vitest';
import { planUtilization } from '../../src/core/planners/utilization-plan.js';

/** Target 0.75, tolerance 0.10 (defaults). */
const BOOK = [
  { account: 'A', equity: 10_000, available: 1_000 },
  { account: 'B', equity: 20_000, available: 10_000 },
  { account: 'C', equity: 8_000, available: 2_000 },
  { account: 'D', equity: 5_000, available: 600 },
  { account: 'E', equity: 4_000, available: 800 },
];

describe('planUtilization', () => {
  it('computes per-account actions, adjustment amounts and weighted portfolio utilization', () => {
    const plan = planUtilization({ accounts: BOOK });
    const row = (id: string) => plan.accounts.find((r) => r.account === id);
    // A: used = 10,000 − 1,000 = 9,000; u = 0.9; dev% = (0.9 − 0.75) / 0.75 = 0.2 > 0.1 → decrease;
    //    adjustment = 9,000 / 0.75 − 10,000 = 12,000 − 10,000 = +2,000.
    expect(row('A')).toMatchObject({ used: 9_000, utilization: 0.9, withinTolerance: false, action: 'decrease', adjustmentAmount: 2_000 });
    expect(row('A')?.deviationPercent).toBeCloseTo(0.2, 12);
    // B: used 10,000; u 0.5; dev% = −0.25 / 0.75 = −0.3333 → increase; 13,333.33 − 20,000 = −6,666.67.
    expect(row('B')).toMatchObject({ used: 10_000, utilization: 0.5, action: 'increase', adjustmentAmount: -6_666.67 });
    expect(row('B')?.deviationPercent).toBeCloseTo(-1 / 3, 12);
    // C: used 6,000; u 0.75; dev% 0 → maintain; 6,000 / 0.75 − 8,000 = 0.
    expect(row('C')).toMatchObject({ used: 6_000, utilization: 0.75, deviationPercent: 0, action: 'maintain', adjustmentAmount: 0 });
    // D: used 4,400; u 0.88; dev% = 0.13 / 0.75 = 0.1733 → decrease; 5,866.67 − 5,000 = +866.67.
    expect(row('D')).toMatchObject({ used: 4_400, action: 'decrease', adjustmentAmount: 866.67 });
    expect(row('D')?.utilization).toBeCloseTo(0.88, 12);
    // E: used 3,200; u 0.8; dev% = 0.05 / 0.75 = 0.0667 ≤ 0.1 → maintain, although 4,266.67 − 4,000 = +266.67.
    expect(row('E')).toMatchObject({ used: 3_200, withinTolerance: true, action: 'maintain', adjustmentAmount: 266.67 });
    // Σused = 9,000 + 10,000 + 6,000 + 4,400 + 3,200 = 32,600; Σequity = 47,000; 32,600 / 47,000 = 0.693617.
    expect(plan.totalUsed).toBe(32_600);
    expect(plan.totalEquity).toBe(47_000);
    expect(plan.portfolioUtilization).toBeCloseTo(32_600 / 47_000, 12);
    // Only A, B, D are outside tolerance: B's surplus 6,666.67 goes to A (2,000, largest deficit), then D (866.67).
    // E's +266.67 is within tolerance and gets nothing.
    expect(plan.transfers).toEqual([
      { from: 'B', to: 'A', amount: 2_000 },
      { from: 'B', to: 'D', amount: 866.67 },
    ]);
    // 2,000 + 866.67 = 2,866.67; no deposits, no cap.
    expect(plan.totalTransferred).toBe(2_866.67);
    expect(plan.externalDeposits).toEqual([]);
    expect(plan.capped).toBe(false);
  });

  it('caps the total of all transfers at maxRebalanceAmount', () => {
    const plan = planUtilization({ accounts: BOOK, maxRebalanceAmount: 2_500 });
    // 2,000 to A fits; 2,500 − 2,000 = 500 left for D's 866.67 → B→D 500.
    expect(plan.transfers).toEqual([
      { from: 'B', to: 'A', amount: 2_000 },
      { from: 'B', to: 'D', amount: 500 },
    ]);
    expect(plan.totalTransferred).toBe(2_500);
    expect(plan.capped).toBe(true);
    // held back = 2,866.67 − 2,500 = 366.67; B's surplus could cover it, so it is not an external deposit.
    expect(plan.heldBackByCap).toBe(366.67);
    expect(plan.externalDeposits).toEqual([]);
    expect(plan.reason).toContain('capped at $2500, $366.67 held back');
  });

  it('reports external deposits where surpluses cannot cover the deficits', () => {
    const plan = planUtilization({
      accounts: [
        { account: 'A2', equity: 10_000, available: 500 },
        { account: 'B2', equity: 10_000, available: 3_500 },
        { account: 'C2', equity: 2_000, available: 100 },
      ],
    });
    // A2: used 9,500; u 0.95 → decrease; 9,500 / 0.75 − 10,000 = 12,666.67 − 10,000 = +2,666.67.
    // B2: used 6,500; u 0.65; dev% = −0.1333 → increase; 8,666.67 − 10,000 = −1,333.33.
    // C2: used 1,900; u 0.95 → decrease; 2,533.33 − 2,000 = +533.33.
    expect(plan.accounts.map((r) => [r.account, r.action, r.adjustmentAmount])).toEqual([
      ['A2', 'decrease', 2_666.67],
      ['B2', 'increase', -1_333.33],
      ['C2', 'decrease', 533.33],
    ]);
    // B2's 1,333.33 all goes to the largest deficit A2.
    expect(plan.transfers).toEqual([{ from: 'B2', to: 'A2', amount: 1_333.33 }]);
    // A2 still needs 2,666.67 − 1,333.33 = 1,333.34; C2 needs 533.33; total 1,866.67.
    expect(plan.externalDeposits).toEqual([
      { account: 'A2', amount: 1_333.34 },
      { account: 'C2', amount: 533.33 },
    ]);
    expect(plan.totalExternalDeposits).toBe(1_866.67);
    // weighted: (9,500 + 6,500 + 1,900) / (10,000 + 10,000 + 2,000) = 17,900 / 22,000 = 0.813636.
    expect(plan.portfolioUtilization).toBeCloseTo(17_900 / 22_000, 12);
  });

  it('re-picks the largest surplus and deficit after every transfer; an empty account moves nothing', () => {
    const plan = planUtilization({
      accounts: [
        { account: 'S1', equity: 1_000, available: 550 },
        { account: 'S2', equity: 1_000, available: 490 },
        { account: 'D1', equity: 2_000, available: 230 },
        { account: 'D2', equity: 1_000, available: 100 },
        { account: 'Z', equity: 0, available: 0 },
      ],
    });
    // S1: 450 / 0.75 − 1,000 = −400; S2: 510 / 0.75 − 1,000 = −320;
    // D1: 1,770 / 0.75 − 2,000 = +360; D2: 900 / 0.75 − 1,000 = +200.
    // Z: equity 0 → u 0, dev% −1 → 'increase', but 0 / 0.75 − 0 = 0, so it takes no part.
    expect(plan.accounts.map((r) => r.adjustmentAmount)).toEqual([-400, -320, 360, 200, 0]);
    expect(plan.accounts.find((r) => r.account === 'Z')).toMatchObject({ utilization: 0, deviationPercent: -1, action: 'increase' });
    // S1 (400) → D1 (360): 360, S1 keeps 40; now the largest surplus is S2 (320) → D2 (200): 200.
    expect(plan.transfers).toEqual([
      { from: 'S1', to: 'D1', amount: 360 },
      { from: 'S2', to: 'D2', amount: 200 },
    ]);
    expect(plan.totalTransferred).toBe(560);
    // weighted: (450 + 510 + 1,770 + 900 + 0) / 5,000 = 3,630 / 5,000 = 0.726.
    expect(plan.portfolioUtilization).toBeCloseTo(0.726, 12);
  });

  it('says so when every account is within tolerance', () => {
    // u = 7,500 / 10,000 = 0.75 and 7,800 / 10,000 = 0.78 (dev% 0.04): both maintain.
    const plan = planUtilization({
      accounts: [
        { account: 'X', equity: 10_000, available: 2_500 },
        { account: 'Y', equity: 10_000, available: 2_200 },
      ],
    });
    expect(plan.accounts.map((r) => r.action)).toEqual(['maintain', 'maintain']);
    expect(plan.transfers).toEqual([]);
    // (7,500 + 7,800) / 20,000 = 0.765 → "76.5%".
    expect(plan.reason).toBe('portfolio utilization 76.5% against target 75%; every account within tolerance');
  });
});
