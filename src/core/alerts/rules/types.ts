import type { SymbolConfig, ThresholdOverride, Thresholds } from '../../settings.js';
import type { AlertCondition } from '../../ports/alerts.js';
import type { RiskReport } from '../../risk/types.js';
import type { Snapshot, Symbol } from '../../types.js';

export type Condition = AlertCondition;

/**
 * Health of the price feeds of one symbol. The venue/feed work produces it; until then the
 * `failover` rule simply has no input.
 */
export interface FeedHealth {
  symbol: Symbol;
  /** The feed that should serve the symbol. */
  primary: string;
  /** The feed serving it now (undefined when none can). */
  active?: string;
  feeds: { name: string; ok: boolean }[];
}

/** What the rules read from the configuration; the parsed `AppConfig` fits. */
export interface RuleConfig {
  thresholds: Thresholds;
  overrides: readonly ThresholdOverride[];
  symbols: Readonly<Record<Symbol, Partial<SymbolConfig>>>;
  /** Sync staleness is counted in ticks. */
  tickIntervalMs: number;
}

export interface RuleInput {
  snapshot: Snapshot;
  risk: RiskReport;
  now: number;
  config: RuleConfig;
  feeds?: readonly FeedHealth[];
}

export type Rule = (input: RuleInput) => Condition[];
