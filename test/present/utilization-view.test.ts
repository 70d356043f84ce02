import { describe, expect, it } from 'vitest';
import { planUtilization } from '../../src/core/planners/utilization-plan.js';
import { utilizationPlanLevel } from '../../src/core/queries/utilization-level.js';
import { THRESHOLD_DEFAULTS } from '../../src/core/thresholds/defaults.js';
import { utilizationView } from '../../src/present/utilization-view.js';

/*
 * Target 0.75 ± 10 % (defaults):
 *   S: equity 20,000, available 15,000 → used 5,000, u 0.25, dev (0.25 − 0.75) / 0.75 = −66.7 % → increase;
 *      adjustment 5,000 / 0.75 − 20,000 = −13,333.33 (surplus).
 *   D: equity 30,000, available 2,577.60 → used 27,422.40, u 0.91408, dev 21.9 % → decrease;
 *      adjustment 27,422.40 / 0.75 − 30,000 = 36,563.20 − 30,000 = +6,563.20.
 *   M: equity 4,000, available 800 → used 3,200, u 0.80, dev 6.7 % → maintain (its +266.67 is not shown).
 * Σ used 35,622.40 / Σ equity 54,000 = 65.97 %. S pays D 6,563.20.
 */
const plan = planUtilization({
  accounts: [
    { account: 'S', equity: 20_000, available: 15_000 },
    { account: 'D', equity: 30_000, available: 2_577.6 },
    { account: 'M', equity: 4_000, available: 800 },
  ],
});

describe('utilizationView', () => {
  const view = utilizationView(plan, utilizationPlanLevel(plan, { thresholds: THRESHOLD_DEFAULTS }));

  it('formats the summary line\'s money like the tables', () => {
    expect(view.lines).toEqual([
      'Portfolio 65.97% (Σ used $35,622.40 / Σ equity $54,000.00) · target 75% ± 10%',
      'DRY RUN — nothing is moved. 2 of 3 account(s) outside tolerance; 1 transfer(s) totalling $6,563.20.',
    ]);
    // The planner's own reason still says $6563.2; the view does not use it.
    expect(plan.reason).toContain('$6563.2');
  });

  it('shows no adjustment on a maintain row', () => {
    expect(view.tables?.[0]?.rows).toEqual([
      ['S', '$20,000.00', '$5,000.00', '25.0%', '-66.7%', 'increase', '-$13,333.33'],
      ['D', '$30,000.00', '$27,422.40', '91.4%', '21.9%', 'decrease', '$6,563.20'],
      ['M', '$4,000.00', '$3,200.00', '80.0%', '6.7%', 'maintain', '—'],
    ]);
    expect(plan.accounts[2]?.adjustmentAmount).toBe(266.67);
    expect(view.tables?.[1]).toMatchObject({ title: 'Transfers (total $6,563.20)', rows: [['S', 'D', '$6,563.20']] });
  });

  it('takes its tone from the worst account: D over WARN 0.85 → warn; surplus alone → ok', () => {
    expect(view.tone).toBe('warn');
    const surplus = planUtilization({ accounts: [{ account: 'S', equity: 20_000, available: 15_000 }, { account: 'M', equity: 4_000, available: 800 }] });
    expect(utilizationView(surplus, utilizationPlanLevel(surplus, { thresholds: THRESHOLD_DEFAULTS })).tone).toBe('ok');
    expect(utilizationView(surplus, 'high').tone).toBe('critical');
  });
});
