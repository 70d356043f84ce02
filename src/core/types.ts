/**
 * Domain model shared by every core module. Plain data only: no I/O, no formatting.
 * Sizes are in base units of the canonical asset (long > 0, short < 0); money is in the
 * account's quote currency (USD/USDC/USDT treated as USD).
 */
import type { SymbolFeeds } from './feeds/types.js';

export const VENUE_IDS = ['pacifica', 'binance', 'aster', 'rasa', 'paper'] as const;
export type VenueId = (typeof VENUE_IDS)[number];

export type AccountId = string;
/** Canonical symbol, e.g. `BTC`, `PEPE`. */
export type Symbol = string;

/** What a venue adapter can answer; the ccxt `has` map idea. */
export interface Capabilities {
  balances: boolean;
  positions: boolean;
  markPrices: boolean;
  funding: boolean;
  marketSpecs: boolean;
  /** Hedger open-interest / notional-cap data (Rasa). */
  hedgerCapacity: boolean;
  /** Key permission introspection for `doctor`. */
  keyPermissions: boolean;
}

export interface Balance {
  equity: number;
  available: number;
  /** Maintenance margin required, when the venue reports it. */
  maintenanceMargin?: number;
  /** Venue-reported unrealized PnL for the whole account, when given. */
  unrealizedPnl?: number;
}

export interface Position {
  symbol: Symbol;
  /** The venue's own contract name, e.g. `1000PEPEUSDT`. */
  venueSymbol: string;
  /** Signed size in base units of the canonical asset (multiplier already applied). */
  size: number;
  entryPrice: number;
  markPrice?: number;
  /** Undefined when the venue reports none (Binance "0", Pacifica null). */
  liquidationPrice?: number;
  unrealizedPnl?: number;
  /** Leverage setting for this market, when the venue reports it. */
  leverage?: number;
}

export interface MarketSpec {
  symbol: Symbol;
  venueSymbol: string;
  /** Size increment in base units of the canonical asset. */
  lotSize: number;
  tickSize: number;
  /** Minimum order notional in USD. */
  minNotional: number;
  /** Taker fee as a fraction (0.0004 = 4 bp). */
  takerFee: number;
  /** Base units of the canonical asset per venue contract unit (1000 for `1000PEPEUSDT`). */
  multiplier: number;
  maxLeverage?: number;
}

export interface PriceQuote {
  symbol: Symbol;
  mark: number;
  index?: number;
  /** Epoch ms at which the venue stamped the price (or we received it). */
  ts: number;
}

export interface FundingQuote {
  symbol: Symbol;
  venueSymbol: string;
  /** Rate per funding interval as a fraction; positive = longs pay shorts. */
  rate: number;
  intervalHours: number;
  nextFundingTime?: number;
}

export interface HedgerCapacity {
  used: number;
  cap: number;
}

/** One account as the venue reported it at one sync. */
export interface AccountState {
  balance: Balance;
  positions: Position[];
  hedgerCapacity?: HedgerCapacity;
  /** Venue-specific warnings to surface as alerts (e.g. Rasa position-state failures). */
  notices?: string[];
  /** Raw payloads for debugging; never rendered to users. */
  raw?: unknown;
}

export type SyncStatus = 'ok' | 'failed' | 'never';

export interface AccountSnapshot {
  id: AccountId;
  venue: VenueId;
  label: string;
  status: SyncStatus;
  /** Last good state; kept when a later sync fails so numbers stay visible (marked stale). */
  state?: AccountState;
  lastAttemptAt?: number;
  lastSuccessAt?: number;
  consecutiveFailures: number;
  lastError?: { code: number; message: string };
  latencyMs?: number;
}

export interface Snapshot {
  /** Sequence number of the tick that produced it. */
  seq: number;
  takenAt: number;
  accounts: AccountSnapshot[];
  /** Best mark per canonical symbol (after feed selection). */
  prices: Record<Symbol, PriceQuote & { source: string }>;
  /** Market specs per venue per canonical symbol. */
  markets: Partial<Record<VenueId, Record<Symbol, MarketSpec>>>;
  funding: Partial<Record<VenueId, FundingQuote[]>>;
  /**
   * Price feeds per symbol: each source's health and the active one (src/core/feeds). Also the
   * `failover` alert rule's input as it is. Absent when the sync ran without a feed manager.
   */
  feeds?: SymbolFeeds[];
}
