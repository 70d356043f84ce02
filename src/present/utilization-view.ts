import type { UtilizationPlan } from '../core/planners/index.js';
import type { RiskLevel } from '../core/risk/types.js';
import { pct, usd } from './format.js';
import { LEVEL_TONE } from './levels.js';
import type { View, ViewTable } from './view.js';

/**
 * The plan in one line, built here from the numbers rather than from the planner's `reason`, so money
 * reads as it does in the tables ($6,563.20, not $6563.2).
 */
export function utilizationSummary(plan: UtilizationPlan): string {
  const outside = plan.accounts.filter((r) => !r.withinTolerance).length;
  const parts = [outside === 0 ? 'every account within tolerance' : `${outside} of ${plan.accounts.length} account(s) outside tolerance`];
  if (plan.transfers.length > 0) parts.push(`${plan.transfers.length} transfer(s) totalling ${usd(plan.totalTransferred)}`);
  if (plan.capped) parts.push(`capped at ${usd(plan.maxRebalanceAmount)}, ${usd(plan.heldBackByCap)} held back`);
  if (plan.externalDeposits.length > 0) parts.push(`external deposits needed: ${usd(plan.totalExternalDeposits)}`);
  return `DRY RUN — nothing is moved. ${parts.join('; ')}.`;
}

function accountsTable(plan: UtilizationPlan): ViewTable {
  return {
    title: 'Accounts',
    columns: [
      { header: 'Account' }, { header: 'Equity', align: 'right' }, { header: 'Used', align: 'right' }, { header: 'Util', align: 'right' },
      { header: 'Dev', align: 'right' }, { header: 'Action' }, { header: 'Adjust', align: 'right' },
    ],
    // A `maintain` row is within tolerance and takes no part in the transfers: its small gap to the
    // target is not an adjustment anyone should make, so none is shown.
    rows: plan.accounts.map((a) => [
      a.account, usd(a.equity), usd(a.used), pct(a.utilization, 1), pct(a.deviationPercent, 1), a.action,
      a.action === 'maintain' ? '—' : usd(a.adjustmentAmount),
    ]),
  };
}

/**
 * `/utilization`: per-account utilization and the dry-run rebalance. `level` is the worst account's
 * (src/core/queries/utilization-level.ts): surplus collateral alone leaves the tone OK.
 */
export function utilizationView(plan: UtilizationPlan, level: RiskLevel): View {
  const tables = [accountsTable(plan)];
  if (plan.transfers.length) {
    tables.push({
      title: `Transfers (total ${usd(plan.totalTransferred)}${plan.capped ? ', capped by maxRebalanceAmount' : ''})`,
      columns: [{ header: 'From' }, { header: 'To' }, { header: 'Amount', align: 'right' }],
      rows: plan.transfers.map((x) => [x.from, x.to, usd(x.amount)]),
    });
  }
  if (plan.externalDeposits.length) {
    tables.push({
      title: `External deposits (total ${usd(plan.totalExternalDeposits)})`,
      columns: [{ header: 'Account' }, { header: 'Amount', align: 'right' }],
      rows: plan.externalDeposits.map((x) => [x.account, usd(x.amount)]),
    });
  }
  return {
    title: 'Utilization',
    tone: LEVEL_TONE[level],
    lines: [
      `Portfolio ${pct(plan.portfolioUtilization)} (Σ used ${usd(plan.totalUsed)} / Σ equity ${usd(plan.totalEquity)}) · target ${pct(plan.targetUtilization, 0)} ± ${pct(plan.tolerance, 0)}`,
      utilizationSummary(plan),
    ],
    tables,
  };
}
