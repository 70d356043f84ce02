import type { AccountId, Symbol, VenueId } from '../types.js';

export type RiskLevel = 'low' | 'medium' | 'high';

/** Net delta of one symbol over a set of accounts (design.md §2). */
export interface SymbolDelta {
  symbol: Symbol;
  /** Σ signed size, base units. */
  net: number;
  netUsd: number;
  /** max(Σ long, Σ |short|). */
  hedgeSize: number;
  target: number;
  /** |net − target| / hedgeSize (0 when both 0; 1 when hedgeSize 0 and net ≠ target). */
  deviation: number;
  longSize: number;
  shortSize: number;
  mark?: number;
  /** Accounts holding the symbol. */
  accounts: AccountId[];
  /** Holders whose data is from a failed sync (their last good state still counts). */
  staleAccounts?: AccountId[];
  /** σ of daily log returns of the mark, when the portfolio VaR could estimate it. */
  sigmaDaily?: number;
  /** This symbol's share of the portfolio var95 (1.645 × sigmaDaily × |netUsd|). */
  var95?: number;
}

export interface AccountMetrics {
  account: AccountId;
  venue: VenueId;
  equity: number;
  available: number;
  /** equity − available. */
  used: number;
  /** used / equity (0 when equity is 0). */
  utilization: number;
  /** Σ |notional| / equity. */
  leverage: number;
  grossNotional: number;
  unrealizedPnl: number;
  /** maintenance margin / equity, when the venue reports maintenance margin. */
  marginRatio?: number;
  /** min over positions of |mark − liq| / mark; undefined when no position has a liq price. */
  liquidationDistance?: number;
  /** Largest peak-to-trough fall of equity over the look-back window, as a fraction. */
  maxDrawdown: number;
  riskLevel: RiskLevel;
  /** Data is from a failed or old sync. */
  stale: boolean;
}

export interface PortfolioMetrics {
  totalEquity: number;
  totalAvailable: number;
  totalUsed: number;
  /** Σ used / Σ equity. */
  utilization: number;
  totalUnrealizedPnl: number;
  grossNotional: number;
  leverage: number;
  deltas: SymbolDelta[];
  /** Drawdown of total equity over the look-back window. */
  maxDrawdown: number;
  /** 1-day 95 % VaR of the net exposure, Σ over symbols of 1.645 × σ_daily × |netUsd|. */
  var95: number;
  /** False when some symbol with a net exposure had too little price history (or no mark): its VaR counted as 0. */
  varAvailable?: boolean;
  riskLevel: RiskLevel;
}

export interface RiskReport {
  computedAt: number;
  accounts: AccountMetrics[];
  portfolio: PortfolioMetrics;
  /** Accounts with no state at all yet (never synced): left out of every number above. */
  unavailableAccounts?: AccountId[];
}
