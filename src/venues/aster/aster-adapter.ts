import type { BinanceLikeDialect } from '../binance-like/binance-like-dialect.js';
import { BinanceLikeAdapter, type BinanceLikeOptions } from '../binance-like/binance-like-adapter.js';

export const ASTER_MAINNET = 'https://fapi.asterdex.com';
export const ASTER_TESTNET = 'https://fapi.asterdex-testnet.com';

/**
 * Aster with V1 (HMAC) keys: the paths Aster documents for V1 — `/fapi/v4/account` and
 * `/fapi/v2/positionRisk` — all weight 5; public market data weight 1 (venues.md §2.2–2.3).
 * V3 agent (EIP-712) signing is not implemented: existing V1 keys keep working.
 */
export const ASTER_DIALECT: BinanceLikeDialect = {
  venue: 'aster',
  mainnet: ASTER_MAINNET,
  testnet: ASTER_TESTNET,
  account: { path: '/fapi/v4/account', weight: 5 },
  positionRisk: { path: '/fapi/v2/positionRisk', weight: 5 },
  premiumIndex: { path: '/fapi/v1/premiumIndex', weight: 1 },
  fundingInfo: { path: '/fapi/v1/fundingInfo', weight: 1 },
  exchangeInfo: { path: '/fapi/v1/exchangeInfo', weight: 1 },
  keyCheck: { path: '/fapi/v4/account', weight: 5, source: 'GET /fapi/v4/account' },
  rateLimit: { weight: 2400, windowMs: 60_000 },
  // Not in venues.md: set `takerFee` for your tier.
  defaultTakerFee: 0.00035,
};

export class AsterAdapter extends BinanceLikeAdapter {
  constructor(opts: BinanceLikeOptions) {
    super(ASTER_DIALECT, opts);
  }
}
