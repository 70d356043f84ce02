import type { MetricPoint } from '../ports/store.js';
import type { AccountSnapshot, Position, Snapshot, Symbol } from '../types.js';
import { accountRiskLevel, levelBelow, maxLevel } from '../thresholds/levels.js';
import type { LevelThresholds } from '../thresholds/resolve.js';
import { maxDrawdown } from './drawdown.js';
import type { AccountMetrics, RiskLevel } from './types.js';

export interface AccountMetricsOptions {
  /**
   * This account's thresholds: without a symbol for the account-wide metrics, with one for a
   * position's liquidation distance, so a symbol-scoped override counts here as it does in the alert.
   */
  thresholds: (symbol?: Symbol) => LevelThresholds;
  /**
   * This account's equity over the drawdown look-back window, oldest first. The current equity
   * is appended as the last point, so an empty history gives drawdown 0.
   */
  equityHistory?: readonly MetricPoint[];
}

/**
 * Metrics of one account from its last good state (design.md §2); undefined when it has no state
 * yet. Position prices are per base unit (the adapter applied any contract multiplier), so
 * notional = size × mark with no multiplier here.
 */
export function computeAccountMetrics(
  account: AccountSnapshot,
  prices: Snapshot['prices'],
  opts: AccountMetricsOptions,
): AccountMetrics | undefined {
  const state = account.state;
  if (!state) return undefined;
  const { equity, available, maintenanceMargin } = state.balance;
  const used = equity - available;
  let grossNotional = 0;
  let positionsPnl = 0;
  let liquidationDistance: number | undefined;
  let liquidation: RiskLevel = 'low';
  for (const p of state.positions) {
    if (p.size === 0 || !Number.isFinite(p.size)) continue;
    const mark = positionMark(p, prices);
    grossNotional += Math.abs(p.size * (mark ?? p.entryPrice));
    positionsPnl += p.unrealizedPnl ?? (mark === undefined ? 0 : (mark - p.entryPrice) * p.size);
    if (mark !== undefined && p.liquidationPrice !== undefined && p.liquidationPrice > 0) {
      const d = Math.abs(mark - p.liquidationPrice) / mark;
      liquidationDistance = liquidationDistance === undefined ? d : Math.min(liquidationDistance, d);
      liquidation = maxLevel(liquidation, levelBelow(d, opts.thresholds(p.symbol).liquidation));
    }
  }
  const history = (opts.equityHistory ?? []).map((pt) => pt.value);
  const metrics: Omit<AccountMetrics, 'riskLevel'> = {
    account: account.id,
    venue: account.venue,
    equity,
    available,
    used,
    utilization: equity > 0 ? used / equity : 0,
    // A blown account (equity ≤ 0) has no meaningful leverage; its risk level says high instead.
    leverage: equity > 0 ? grossNotional / equity : 0,
    grossNotional,
    unrealizedPnl: state.balance.unrealizedPnl ?? positionsPnl,
    marginRatio: maintenanceMargin !== undefined && equity > 0 ? maintenanceMargin / equity : undefined,
    liquidationDistance,
    maxDrawdown: maxDrawdown([...history, equity]),
    stale: account.status !== 'ok',
  };
  return { ...metrics, riskLevel: accountRiskLevel(metrics, opts.thresholds(), liquidation) };
}

/**
 * Mark of a position: the venue's own mark on the position, else the snapshot's best mark.
 * Undefined when neither is a positive number; notional then falls back to the entry price
 * and uPnL to 0 (better than dropping the position from the gross).
 */
export function positionMark(p: Position, prices: Snapshot['prices']): number | undefined {
  if (usableMark(p.markPrice)) return p.markPrice;
  const best = prices[p.symbol]?.mark;
  return usableMark(best) ? best : undefined;
}

function usableMark(m: number | undefined): m is number {
  return m !== undefined && Number.isFinite(m) && m > 0;
}
