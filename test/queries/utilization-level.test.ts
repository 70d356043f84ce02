import { describe, expect, it } from 'vitest';
import { planUtilization } from '../../src/core/planners/utilization-plan.js';
import { utilizationPlanLevel, utilizationRowLevel } from '../../src/core/queries/utilization-level.js';
import { THRESHOLD_DEFAULTS } from '../../src/core/thresholds/defaults.js';
import type { ThresholdSettings } from '../../src/core/thresholds/resolve.js';

/** Target 0.75 ± 10 % (defaults); utilization WARN 0.85, CRITICAL 0.95 (defaults). */
const settings: ThresholdSettings = { thresholds: THRESHOLD_DEFAULTS };
const row = (equity: number, available: number) => planUtilization({ accounts: [{ account: 'x', equity, available }] }).accounts[0]!;

describe('utilization plan level: the worst account decides; surplus is not a worry', () => {
  it('per account', () => {
    // 5,000 / 20,000 = 0.25: dev −66.7 % → increase (surplus) → low.
    expect(utilizationRowLevel(row(20_000, 15_000), settings)).toBe('low');
    // 3,200 / 4,000 = 0.80: dev +6.7 % → maintain, under WARN → low.
    expect(utilizationRowLevel(row(4_000, 800), settings)).toBe('low');
    // 8,400 / 10,000 = 0.84: dev +12 % → decrease (needs collateral) though under WARN 0.85 → medium.
    expect(utilizationRowLevel(row(10_000, 1_600), settings)).toBe('medium');
    // 9,600 / 10,000 = 0.96 > CRITICAL 0.95 → high.
    expect(utilizationRowLevel(row(10_000, 400), settings)).toBe('high');
  });

  it('reads the account\'s own thresholds, overrides resolved as the alert resolves them', () => {
    // 27,422.40 / 30,000 = 0.91408: over WARN 0.85 → medium; with CRITICAL overridden to 0.90 → high.
    const r = row(30_000, 2_577.6);
    expect(utilizationRowLevel(r, settings)).toBe('medium');
    expect(utilizationRowLevel(r, { ...settings, overrides: [{ account: 'x', utilization: { critical: 0.9 } }] })).toBe('high');
  });

  it('over a plan: a book with only surplus is low; one short account makes it medium', () => {
    const surplus = planUtilization({ accounts: [{ account: 'S', equity: 20_000, available: 15_000 }, { account: 'M', equity: 4_000, available: 800 }] });
    expect(surplus.accounts.map((a) => a.action)).toEqual(['increase', 'maintain']);
    expect(utilizationPlanLevel(surplus, settings)).toBe('low');
    const short = planUtilization({ accounts: [...surplus.accounts, { account: 'D', equity: 10_000, available: 1_600 }] });
    expect(utilizationPlanLevel(short, settings)).toBe('medium');
  });
});
