import { describe, expect, it } from 'vitest';
import { planDelta } from '../../src/core/planners/delta-plan.js';
import { deltaPlanView } from '../../src/present/delta-plan-view.js';
import { account, btcInput } from '../planners/fixtures.js';

/*
 * acct-a +0.2 (Binance), acct-b −0.1 (Aster), mark 50,000: net 0.1, hedge 0.2, deviation 0.1 / 0.2 = 0.5.
 * Δ = −0.1 → sell 0.1 on acct-a (reduce) at 50,000 × 0.995 = 49,750: notional 4,975, fee × 0.0005 = 2.4875.
 */
const accounts = [account('acct-a', 'binance', 0.2), account('acct-b', 'aster', -0.1)];
const row = ['acct-a', 'SELL', '0.1', '0.1 BTCUSDT', '49,750', '$4,975.00', '$2.49', 'reduce'];

describe('deltaPlanView', () => {
  it('a blocked plan (0.5 > maxDeviation 0.10) says plainly that its orders are not a fix', () => {
    const view = deltaPlanView(planDelta(btcInput(accounts)));
    expect(view.tone).toBe('critical');
    expect(view.lines?.slice(0, 2)).toEqual([
      'DRY RUN — nothing is sent to any venue. BLOCKED (error 1002): deviation 50.00% is over the 10.00% limit, too large to correct without a person.',
      'This plan is NOT a fix: the orders below only show the size of the gap. Do not execute them as they are; a person decides what to do.',
    ]);
    expect(view.tables?.[0]).toMatchObject({ title: 'Orders a full correction would take (NOT a fix: blocked)', rows: [row] });
  });

  it('an allowed plan (maxDeviation 1) is a plan: no warning, the same orders', () => {
    const view = deltaPlanView(planDelta(btcInput(accounts, { maxDeviation: 1 })));
    expect(view.tone).toBe('warn');
    expect(view.lines?.[0]).toBe('DRY RUN — nothing is sent to any venue. sell 0.1 BTC: 1 order(s), 1 reducing, 0 opening; final deviation 0');
    expect(view.lines?.join('\n')).not.toContain('NOT a fix');
    expect(view.tables?.[0]).toMatchObject({ title: 'Planned orders', rows: [row] });
  });
});
