import type { VenueId } from '../../core/types.js';
import type { RateLimit } from '../http/rate-limiter.js';

export interface Endpoint {
  path: string;
  weight: number;
}

/** What differs between Binance USDⓈ-M and Aster; everything else is the shared Binance-compatible core. */
export interface BinanceLikeDialect {
  venue: Extract<VenueId, 'binance' | 'aster'>;
  mainnet: string;
  testnet: string;
  account: Endpoint;
  positionRisk: Endpoint;
  /** Without `symbol` (all markets). */
  premiumIndex: Endpoint;
  fundingInfo: Endpoint;
  exchangeInfo: Endpoint;
  /** Signed read whose body has `canTrade` / `canWithdraw`, for `checkKey`. */
  keyCheck: Endpoint & { source: string };
  rateLimit: RateLimit;
  defaultTakerFee: number;
}
