import type { VenueId } from './types.js';

/**
 * The configuration the core reads, as plain types. `src/config/schema.ts` parses and defaults them;
 * the core never sees the zod schema (the schema checks at compile time that its output fits these).
 */

export interface Thresholds {
  utilization: { warn: number; critical: number };
  liquidation: { warn: number; critical: number };
  drawdown: { critical: number; window: number };
  sync: { failedSyncs: number; staleTicks: number; criticalStale: number };
  hedgerCapacity: { warn: number };
  /** Absolute funding rate per 8 h above which a `funding` alert (WARN) fires. */
  funding: { warn8h: number };
}

/** Per-account or per-account-and-symbol threshold overrides. */
export interface ThresholdOverride {
  account?: string | undefined;
  symbol?: string | undefined;
  utilization?: { warn?: number | undefined; critical?: number | undefined } | undefined;
  liquidation?: { warn?: number | undefined; critical?: number | undefined } | undefined;
  drawdown?: { critical?: number | undefined } | undefined;
  maxPositionSize?: number | undefined;
}

/** Per-symbol hedge settings. */
export interface SymbolConfig {
  target: number;
  tolerance: number;
  maxDeviation: number;
  maxPositionSize?: number | undefined;
  slippage: number;
}

/** The `feeds` section: thresholds of the feed state machine and the source preference. */
export interface FeedsConfig {
  staleAfter: number;
  degradedLatency: number;
  failAfter: number;
  recoverTicks: number;
  maxQuoteAge?: number | undefined;
  order: VenueId[];
  preferred: Record<string, VenueId[]>;
}
