import type { AccountId, Symbol } from '../types.js';
import type { AccountMetrics, RiskLevel } from './types.js';

/** The thresholds a risk level reads; `Thresholds` from src/config/schema.ts fits. */
export interface LevelThresholds {
  utilization: { warn: number; critical: number };
  liquidation: { warn: number; critical: number };
  drawdown: { critical: number };
}

/** Per-account threshold override; `ThresholdOverride` from src/config/schema.ts fits. */
export interface LevelOverride {
  account?: AccountId;
  symbol?: Symbol;
  utilization?: { warn?: number; critical?: number };
  liquidation?: { warn?: number; critical?: number };
  drawdown?: { critical?: number };
}

const RANK: Record<RiskLevel, number> = { low: 0, medium: 1, high: 2 };

export function maxLevel(...levels: RiskLevel[]): RiskLevel {
  return levels.reduce<RiskLevel>((a, b) => (RANK[b] > RANK[a] ? b : a), 'low');
}

/**
 * Risk level of one account. Comparisons are strict, as in the alert table (design.md §3):
 * - high:   utilization > utilization.critical, or liquidationDistance < liquidation.critical,
 *           or maxDrawdown > drawdown.critical, or equity ≤ 0 while holding positions;
 * - medium: utilization > utilization.warn, or liquidationDistance < liquidation.warn
 *           (drawdown has no WARN level);
 * - low:    otherwise. Staleness does not change the level; it is reported beside it.
 */
export function accountRiskLevel(
  m: Pick<AccountMetrics, 'equity' | 'grossNotional' | 'utilization' | 'liquidationDistance' | 'maxDrawdown'>,
  t: LevelThresholds,
): RiskLevel {
  const dist = m.liquidationDistance;
  if (
    m.utilization > t.utilization.critical ||
    (dist !== undefined && dist < t.liquidation.critical) ||
    m.maxDrawdown > t.drawdown.critical ||
    (m.equity <= 0 && m.grossNotional > 0)
  )
    return 'high';
  if (m.utilization > t.utilization.warn || (dist !== undefined && dist < t.liquidation.warn)) return 'medium';
  return 'low';
}

/** Level of a symbol's deviation: above maxDeviation high, above tolerance medium. */
export function deviationLevel(deviation: number, tolerance: number, maxDeviation: number): RiskLevel {
  if (deviation > maxDeviation) return 'high';
  return deviation > tolerance ? 'medium' : 'low';
}

/**
 * Thresholds for one account: overrides without a symbol apply, those for every account first
 * and then those naming this account, so the most specific wins. Symbol-scoped overrides are
 * for per-position alert rules, not the account level.
 */
export function thresholdsForAccount(base: LevelThresholds, overrides: readonly LevelOverride[] | undefined, account: AccountId): LevelThresholds {
  const applicable = (overrides ?? []).filter((o) => o.symbol === undefined && (o.account === undefined || o.account === account));
  const ordered = [...applicable.filter((o) => o.account === undefined), ...applicable.filter((o) => o.account !== undefined)];
  return ordered.reduce<LevelThresholds>(
    (t, o) => ({
      utilization: { warn: o.utilization?.warn ?? t.utilization.warn, critical: o.utilization?.critical ?? t.utilization.critical },
      liquidation: { warn: o.liquidation?.warn ?? t.liquidation.warn, critical: o.liquidation?.critical ?? t.liquidation.critical },
      drawdown: { critical: o.drawdown?.critical ?? t.drawdown.critical },
    }),
    { utilization: { ...base.utilization }, liquidation: { ...base.liquidation }, drawdown: { critical: base.drawdown.critical } },
  );
}
