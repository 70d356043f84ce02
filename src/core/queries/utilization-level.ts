import type { UtilizationPlan, UtilizationRow } from '../planners/index.js';
import type { RiskLevel } from '../risk/types.js';
import { levelAbove, maxLevel } from '../thresholds/levels.js';
import { resolveThresholds, type ThresholdSettings } from '../thresholds/resolve.js';

/**
 * How worried a utilization plan should make the reader, account by account. Above the account's own
 * utilization thresholds (overrides resolved as the alert resolves them) is what the alert says;
 * short of collateral against the target (`decrease`) is medium even below them, because the plan
 * asks for money there. Surplus collateral (`increase`) is not a worry: it is money that could move.
 */
export function utilizationRowLevel(row: UtilizationRow, settings: ThresholdSettings): RiskLevel {
  const band = resolveThresholds(settings, row.account).utilization;
  // An account with no equity has no meaningful utilization (the planner reports 0); as in the alert.
  const byThreshold = row.equity > 0 ? levelAbove(row.utilization, band) : 'low';
  return maxLevel(byThreshold, row.action === 'decrease' ? 'medium' : 'low');
}

/** The worst account's level: the plan's tone follows it. */
export function utilizationPlanLevel(plan: UtilizationPlan, settings: ThresholdSettings): RiskLevel {
  return maxLevel(...plan.accounts.map((row) => utilizationRowLevel(row, settings)));
}
