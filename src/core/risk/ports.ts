import type { MetricPoint } from '../ports/store.js';
import type { AccountId, Symbol } from '../types.js';
import type { ThresholdOverride } from '../settings.js';
import type { LevelThresholds } from '../thresholds/resolve.js';

/**
 * History the risk computation reads. The caller provides it (`MemoryRiskHistory`, loaded from the
 * metrics store before the tick computes risk), which keeps `computeRisk` pure and synchronous.
 * Every series is oldest first, points in [from, to].
 */
export interface RiskHistory {
  accountEquitySeries(account: AccountId, from: number, to: number): readonly MetricPoint[];
  portfolioEquitySeries(from: number, to: number): readonly MetricPoint[];
  /** Mark price of a canonical symbol. */
  priceSeries(symbol: Symbol, from: number, to: number): readonly MetricPoint[];
}

/** No history: drawdown from the current point only (0), VaR unavailable. */
export const emptyRiskHistory: RiskHistory = {
  accountEquitySeries: () => [],
  portfolioEquitySeries: () => [],
  priceSeries: () => [],
};

/** Per-symbol settings; `SymbolConfig` (src/core/settings.ts) fits. Defaults: SYMBOL_DEFAULTS. */
export interface SymbolRiskConfig {
  /** Target net in base units. */
  target?: number;
  /** Deviation above it: medium. */
  tolerance?: number;
  /** Deviation above it: high. */
  maxDeviation?: number;
}

export interface RiskConfig {
  /** `Thresholds` (src/core/settings.ts) fits; `drawdown.window` is the drawdown look-back in ms. */
  thresholds: LevelThresholds & { drawdown: { critical: number; window: number } };
  /** Per canonical symbol: target and deviation levels. Unlisted symbols: SYMBOL_DEFAULTS. */
  symbols?: Record<Symbol, SymbolRiskConfig>;
  /** Threshold overrides, resolved by src/core/thresholds/resolve.ts. */
  overrides?: readonly ThresholdOverride[];
  /** Price history used for σ_daily, in ms (default 1 day). */
  varWindow?: number;
}

export const DEFAULT_VAR_WINDOW = 86_400_000;
