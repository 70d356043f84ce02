import type { MetricPoint } from '../ports/store.js';
import type { Symbol } from '../types.js';
import { maxDrawdown } from './drawdown.js';
import { deviationLevel, levelAbove, maxLevel } from '../thresholds/levels.js';
import { resolveSymbolLimits, type LevelThresholds } from '../thresholds/resolve.js';
import type { SymbolRiskConfig } from './ports.js';
import type { AccountMetrics, PortfolioMetrics, RiskLevel, SymbolDelta } from './types.js';
import { dailyVolatility } from './volatility.js';

/** z of the one-sided 95 % normal quantile. */
const Z95 = 1.645;

export interface PortfolioOptions {
  levels: LevelThresholds;
  /** Deviation levels per symbol; unlisted symbols use SYMBOL_DEFAULTS (src/core/thresholds). */
  symbols?: Record<Symbol, SymbolRiskConfig>;
  /** Total equity over the look-back window, oldest first; the current total is appended. */
  equityHistory?: readonly MetricPoint[];
  /**
   * False when some account has no data yet: the current total then lacks it and would read as a
   * fall, so the drawdown uses the history alone. Default true.
   */
  equityComplete?: boolean;
  /** Mark price history of a symbol for σ_daily; only asked for symbols with a net exposure. */
  priceHistory?: (symbol: Symbol) => readonly MetricPoint[];
}

/**
 * Portfolio metrics from the accounts' metrics and the net deltas.
 * - utilization = Σ used / Σ equity, leverage = Σ gross notional / Σ equity (0 when Σ equity ≤ 0);
 * - var95 = Σ over symbols of 1.645 × σ_daily × |netUsd| (σ_daily: see dailyVolatility). A
 *   symbol with a net but no mark or too little history adds 0 and sets varAvailable false;
 * - riskLevel = the highest of: every account's level; portfolio utilization against the
 *   utilization levels; portfolio drawdown > drawdown.critical; every symbol's deviation
 *   (> maxDeviation high, > tolerance medium).
 */
export function computePortfolio(
  accounts: readonly AccountMetrics[],
  deltas: readonly SymbolDelta[],
  opts: PortfolioOptions,
): PortfolioMetrics {
  const sum = (f: (a: AccountMetrics) => number): number => accounts.reduce((s, a) => s + f(a), 0);
  const totalEquity = sum((a) => a.equity);
  const totalAvailable = sum((a) => a.available);
  const totalUsed = sum((a) => a.used);
  const grossNotional = sum((a) => a.grossNotional);
  const utilization = totalEquity > 0 ? totalUsed / totalEquity : 0;
  const pastEquity = (opts.equityHistory ?? []).map((p) => p.value);
  const drawdown = maxDrawdown(opts.equityComplete === false ? pastEquity : [...pastEquity, totalEquity]);

  let var95 = 0;
  let varAvailable = true;
  const withVar = deltas.map((d): SymbolDelta => {
    if (d.net === 0) return d;
    if (d.mark === undefined) {
      varAvailable = false;
      return d;
    }
    const vol = dailyVolatility(opts.priceHistory?.(d.symbol) ?? []);
    if (!vol.available) {
      varAvailable = false;
      return d;
    }
    const v = Z95 * vol.sigma * Math.abs(d.netUsd);
    var95 += v;
    return { ...d, sigmaDaily: vol.sigma, var95: v };
  });

  const levels: RiskLevel[] = [
    ...accounts.map((a) => a.riskLevel),
    levelAbove(utilization, opts.levels.utilization),
    drawdown > opts.levels.drawdown.critical ? 'high' : 'low',
    ...deltas.map((d) => deviationLevel(d.deviation, resolveSymbolLimits(opts.symbols, d.symbol))),
  ];

  return {
    totalEquity,
    totalAvailable,
    totalUsed,
    utilization,
    totalUnrealizedPnl: sum((a) => a.unrealizedPnl),
    grossNotional,
    leverage: totalEquity > 0 ? grossNotional / totalEquity : 0,
    deltas: withVar,
    maxDrawdown: drawdown,
    var95,
    varAvailable,
    riskLevel: maxLevel(...levels),
  };
}
