import type {
  AccountState,
  Capabilities,
  FundingQuote,
  MarketSpec,
  PriceQuote,
  VenueId,
} from '../types.js';

/** What an adapter needs to read one account. Secrets are resolved from the environment by config. */
export interface AccountRef {
  id: string;
  venue: VenueId;
  /** Wallet / sub-account address (Pacifica, Rasa). */
  address?: string;
  /** Rasa: the frontend's MultiAccount contract address. */
  multiAccountAddress?: string;
  credentials?: { apiKey?: string; apiSecret?: string };
  /** Optional HTTP proxy URL for this account's requests. */
  proxyUrl?: string;
}

/** Per-call options; `signal` carries the sync's per-account timeout. */
export interface CallOptions {
  signal?: AbortSignal;
}

/** Key permissions a venue exposes (for `doctor`). */
export interface KeyPermissions {
  canRead: boolean;
  canTrade?: boolean;
  canWithdraw?: boolean;
  detail?: string;
}

/**
 * One venue. Every method returns normalised domain data: canonical symbols, signed base-unit sizes,
 * numbers parsed once here at the edge. Adapters throw `DeltaOpsError` (2001 timeout, 2002 connection,
 * 1005 market data) with `retryable` set; they never log secrets.
 */
export interface VenueAdapter {
  readonly venue: VenueId;
  readonly capabilities: Capabilities;
  fetchAccount(account: AccountRef, opts?: CallOptions): Promise<AccountState>;
  fetchMarkets(opts?: CallOptions): Promise<MarketSpec[]>;
  fetchPrices(opts?: CallOptions): Promise<PriceQuote[]>;
  fetchFunding(opts?: CallOptions): Promise<FundingQuote[]>;
  checkKey?(account: AccountRef, opts?: CallOptions): Promise<KeyPermissions>;
  /** Advance simulated time (paper venue only); real venues ignore it. */
  onTick?(tick: number): void;
  close(): Promise<void>;
}
