import type { SymbolConfig, Thresholds } from '../settings.js';

/**
 * The one set of default numbers (design.md §2 and §3). The config schema takes its `.default()`s from
 * here, and the core falls back to them for a symbol the config does not list, so that a default is
 * written once: a plan, an alert and /status can never disagree about what "the default" is.
 */

/** Alert and risk-level thresholds (design.md §3 table). */
export const THRESHOLD_DEFAULTS = {
  utilization: { warn: 0.85, critical: 0.95 },
  liquidation: { warn: 0.1, critical: 0.05 },
  /** Stop-loss on the equity drawdown, looked for over `window` ms (24 h). */
  drawdown: { critical: 0.05, window: 86_400_000 },
  /** Failed syncs in a row, ticks of stale data (WARN); ms of stale data (CRITICAL, 10 min). */
  sync: { failedSyncs: 3, staleTicks: 3, criticalStale: 600_000 },
  hedgerCapacity: { warn: 0.9 },
  funding: { warn8h: 0.001 },
} as const satisfies Thresholds;

/** Per-symbol hedge settings for a symbol the config does not list (design.md §2, delta plan input). */
export const SYMBOL_DEFAULTS = {
  target: 0,
  tolerance: 0.05,
  maxDeviation: 0.1,
  slippage: 0.005,
} as const satisfies Omit<SymbolConfig, 'maxPositionSize'>;

/** Utilization rebalance (design.md §2): target utilization and the relative tolerance around it. */
export const UTILIZATION_DEFAULTS = { target: 0.75, tolerance: 0.1 } as const;
