import type { AccountMetrics, RiskLevel } from '../risk/types.js';
import type { Band, LevelThresholds } from './resolve.js';

/**
 * Levels from thresholds, the one place where "over the limit" is decided. Every comparison is strict,
 * as in the alert table (design.md §3): a value equal to a threshold is not over it. The core speaks
 * `low` / `medium` / `high`; alert rules map them to WARN / CRITICAL and transports to their own words.
 */

const RANK: Record<RiskLevel, number> = { low: 0, medium: 1, high: 2 };

export function maxLevel(...levels: RiskLevel[]): RiskLevel {
  return levels.reduce<RiskLevel>((a, b) => (RANK[b] > RANK[a] ? b : a), 'low');
}

/** A metric that is bad when high (utilization, deviation): above critical high, above warn medium. */
export function levelAbove(value: number, band: Band): RiskLevel {
  if (value > band.critical) return 'high';
  return value > band.warn ? 'medium' : 'low';
}

/** A metric that is bad when low (liquidation distance): below critical high, below warn medium; none is low. */
export function levelBelow(value: number | undefined, band: Band): RiskLevel {
  if (value === undefined) return 'low';
  if (value < band.critical) return 'high';
  return value < band.warn ? 'medium' : 'low';
}

/** Level of a symbol's deviation: above maxDeviation high, above tolerance medium. */
export function deviationLevel(deviation: number, limits: { tolerance: number; maxDeviation: number }): RiskLevel {
  return levelAbove(deviation, { warn: limits.tolerance, critical: limits.maxDeviation });
}

/**
 * Risk level of one account (docs/metrics.md): high if utilization > critical, drawdown > stop-loss,
 * or equity ≤ 0 while holding positions; medium if utilization > warn; low otherwise; and at least
 * `liquidation`, the worst level of its positions' liquidation distances, each against the thresholds
 * of its own symbol (which is why it comes in computed). Drawdown has no WARN level. Staleness does not
 * change the level; it is reported beside it.
 */
export function accountRiskLevel(
  m: Pick<AccountMetrics, 'equity' | 'grossNotional' | 'utilization' | 'maxDrawdown'>,
  t: Omit<LevelThresholds, 'liquidation'>,
  liquidation: RiskLevel,
): RiskLevel {
  return maxLevel(
    levelAbove(m.utilization, t.utilization),
    liquidation,
    m.maxDrawdown > t.drawdown.critical ? 'high' : 'low',
    m.equity <= 0 && m.grossNotional > 0 ? 'high' : 'low',
  );
}
