/**
 * Dry-run utilization rebalance (design.md §2). Pure. Ratios and `used` are not rounded (sums are
 * decimal-exact); money to move (adjustments, transfers, deposits) is rounded to the cent and paired
 * in integer cents, so every total is the exact sum of its parts.
 */
import type { AccountId } from '../types.js';
import { subtractDecimals, sumDecimals } from '../decimal.js';
import { UTILIZATION_DEFAULTS } from '../thresholds/defaults.js';
import { capTransfers, matchSurpluses, type CentsBalance } from './utilization-transfers.js';

export interface UtilizationAccountInput {
  account: AccountId;
  /** USD, as the venue reports it. */
  equity: number;
  /** USD, as the venue reports it. */
  available: number;
}

export interface UtilizationPlanInput {
  targetUtilization?: number;
  tolerance?: number;
  accounts: readonly UtilizationAccountInput[];
  /** Cap on the total of all transfers, USD; none by default. */
  maxRebalanceAmount?: number;
}

/** `decrease`: utilization too high, add collateral; `increase`: surplus collateral; `maintain`: within tolerance. */
export type UtilizationAction = 'decrease' | 'increase' | 'maintain';

export interface UtilizationRow {
  account: AccountId;
  equity: number;
  available: number;
  /** equity − available. */
  used: number;
  /** used / equity; 0 when equity ≤ 0. */
  utilization: number;
  /** (utilization − target) / target. */
  deviationPercent: number;
  withinTolerance: boolean;
  action: UtilizationAction;
  /** used / target − equity, to the cent: positive = collateral to add, negative = surplus. */
  adjustmentAmount: number;
}

export interface UtilizationTransfer {
  from: AccountId;
  to: AccountId;
  amount: number;
}

export interface ExternalDeposit {
  account: AccountId;
  amount: number;
}

export interface UtilizationPlan {
  targetUtilization: number;
  tolerance: number;
  maxRebalanceAmount?: number;
  accounts: UtilizationRow[];
  totalEquity: number;
  totalUsed: number;
  /** Σ used / Σ equity; 0 when Σ equity ≤ 0. */
  portfolioUtilization: number;
  transfers: UtilizationTransfer[];
  totalTransferred: number;
  /** Deficits that the surpluses cannot cover, per account. */
  externalDeposits: ExternalDeposit[];
  totalExternalDeposits: number;
  /** True when maxRebalanceAmount held back transfers the surpluses could have made. */
  capped: boolean;
  /** Transfers held back by maxRebalanceAmount, USD (deficits still open, but coverable internally). */
  heldBackByCap: number;
  reason: string;
}

export function planUtilization(input: UtilizationPlanInput): UtilizationPlan {
  const target = input.targetUtilization ?? UTILIZATION_DEFAULTS.target;
  const tolerance = input.tolerance ?? UTILIZATION_DEFAULTS.tolerance;
  if (!(target > 0)) throw new RangeError(`targetUtilization must be > 0, got ${target}`);

  const rows = input.accounts.map((a) => utilizationRow(a, target, tolerance));
  const totalEquity = sumDecimals(rows.map((r) => r.equity));
  const totalUsed = sumDecimals(rows.map((r) => r.used));

  // Only accounts outside tolerance move money; a within-tolerance account keeps its small gap.
  const outside = rows.filter((r) => !r.withinTolerance);
  const surpluses = toCents(outside.filter((r) => r.adjustmentAmount < 0), -1);
  const deficits = toCents(outside.filter((r) => r.adjustmentAmount > 0), 1);
  const matching = matchSurpluses(surpluses, deficits);
  const transfers =
    input.maxRebalanceAmount === undefined
      ? matching.transfers
      : capTransfers(matching.transfers, Math.floor(input.maxRebalanceAmount * 100 + 1e-6));
  const possibleCents = matching.transfers.reduce((s, t) => s + t.cents, 0);
  const transferredCents = transfers.reduce((s, t) => s + t.cents, 0);
  const depositCents = matching.uncovered.reduce((s, d) => s + d.cents, 0);

  const plan: Omit<UtilizationPlan, 'reason'> = {
    targetUtilization: target,
    tolerance,
    ...(input.maxRebalanceAmount === undefined ? {} : { maxRebalanceAmount: input.maxRebalanceAmount }),
    accounts: rows,
    totalEquity,
    totalUsed,
    portfolioUtilization: totalEquity > 0 ? totalUsed / totalEquity : 0,
    transfers: transfers.map((t) => ({ from: t.from, to: t.to, amount: centsToUsd(t.cents) })),
    totalTransferred: centsToUsd(transferredCents),
    externalDeposits: matching.uncovered.map((d) => ({ account: d.account, amount: centsToUsd(d.cents) })),
    totalExternalDeposits: centsToUsd(depositCents),
    capped: transferredCents < possibleCents,
    heldBackByCap: centsToUsd(possibleCents - transferredCents),
  };
  return { ...plan, reason: summarize(plan) };
}

function utilizationRow(a: UtilizationAccountInput, target: number, tolerance: number): UtilizationRow {
  const used = subtractDecimals(a.equity, a.available);
  const utilization = a.equity > 0 ? used / a.equity : 0;
  const deviationPercent = (utilization - target) / target;
  const withinTolerance = Math.abs(deviationPercent) <= tolerance;
  const action: UtilizationAction = withinTolerance
    ? 'maintain'
    : utilization > target
      ? 'decrease'
      : 'increase';
  const adjustmentAmount = centsToUsd(Math.round((used / target - a.equity) * 100));
  return {
    account: a.account,
    equity: a.equity,
    available: a.available,
    used,
    utilization,
    deviationPercent,
    withinTolerance,
    action,
    adjustmentAmount,
  };
}

function toCents(rows: readonly UtilizationRow[], sign: 1 | -1): CentsBalance[] {
  return rows.map((r) => ({ account: r.account, cents: Math.round(sign * r.adjustmentAmount * 100) }));
}

function centsToUsd(cents: number): number {
  return cents / 100 + 0; // + 0 turns −0 into 0
}

function summarize(plan: Omit<UtilizationPlan, 'reason'>): string {
  const pct = (x: number): string => `${Number((x * 100).toFixed(1))}%`;
  const outside = plan.accounts.filter((r) => !r.withinTolerance).length;
  const parts = [
    `portfolio utilization ${pct(plan.portfolioUtilization)} against target ${pct(plan.targetUtilization)}`,
    outside === 0
      ? 'every account within tolerance'
      : `${outside} of ${plan.accounts.length} account(s) outside tolerance`,
  ];
  if (plan.transfers.length > 0) parts.push(`${plan.transfers.length} transfer(s) totalling $${plan.totalTransferred}`);
  if (plan.capped) parts.push(`capped at $${plan.maxRebalanceAmount}, $${plan.heldBackByCap} held back`);
  if (plan.externalDeposits.length > 0) parts.push(`external deposits needed: $${plan.totalExternalDeposits}`);
  return parts.join('; ');
}
