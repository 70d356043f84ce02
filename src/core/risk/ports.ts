import type { MetricPoint } from '../../store/types.js';
import type { AccountId, Symbol } from '../types.js';
import type { LevelOverride, LevelThresholds } from './risk-level.js';

/**
 * History the risk computation reads. The caller provides it (over MetricsStore:
 * `RiskHistoryFromStore` in history.ts), which keeps `computeRisk` pure.
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

/** Per-symbol settings; `SymbolConfig` from src/config/schema.ts fits. */
export interface SymbolRiskConfig {
  /** Target net in base units (default 0). */
  target?: number;
  /** Deviation above it: medium (default 0.05). */
  tolerance?: number;
  /** Deviation above it: high (default 0.10). */
  maxDeviation?: number;
}

export interface RiskConfig {
  /** `Thresholds` from src/config/schema.ts fits; `drawdown.window` is the drawdown look-back in ms. */
  thresholds: LevelThresholds & { drawdown: { critical: number; window: number } };
  /** Per canonical symbol: target and deviation levels. Unlisted symbols: target 0, defaults above. */
  symbols?: Record<Symbol, SymbolRiskConfig>;
  /** Threshold overrides (`FileConfig['overrides']` fits); see thresholdsForAccount. */
  overrides?: readonly LevelOverride[];
  /** Price history used for σ_daily, in ms (default 1 day). */
  varWindow?: number;
}

export const DEFAULT_TOLERANCE = 0.05;
export const DEFAULT_MAX_DEVIATION = 0.1;
export const DEFAULT_VAR_WINDOW = 86_400_000;
