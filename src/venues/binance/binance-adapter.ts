import type { BinanceLikeDialect } from '../binance-like/binance-like-dialect.js';
import { BinanceLikeAdapter, type BinanceLikeOptions } from '../binance-like/binance-like-adapter.js';

export const BINANCE_MAINNET = 'https://fapi.binance.com';
/** venues.md §3.1 [CONFLICT]: the connector uses this; another page says https://demo-fapi.binance.com. */
export const BINANCE_TESTNET = 'https://testnet.binancefuture.com';

/**
 * Binance USDⓈ-M: v3 account (totals) and v3 positionRisk (only symbols with a position; no leverage),
 * weights from the connector's JSDoc (venues.md §3.3–3.4).
 */
export const BINANCE_DIALECT: BinanceLikeDialect = {
  venue: 'binance',
  mainnet: BINANCE_MAINNET,
  testnet: BINANCE_TESTNET,
  account: { path: '/fapi/v3/account', weight: 5 },
  positionRisk: { path: '/fapi/v3/positionRisk', weight: 5 },
  premiumIndex: { path: '/fapi/v1/premiumIndex', weight: 10 },
  // Weight 0 but its own 500 / 5 min bucket; it is cached for minutes, so 1 is a safe stand-in.
  fundingInfo: { path: '/fapi/v1/fundingInfo', weight: 1 },
  exchangeInfo: { path: '/fapi/v1/exchangeInfo', weight: 1 },
  keyCheck: { path: '/fapi/v1/accountConfig', weight: 5, source: 'GET /fapi/v1/accountConfig' },
  rateLimit: { weight: 2400, windowMs: 60_000 },
  // Not in venues.md: Binance's base-tier taker fee; set `takerFee` for your tier.
  defaultTakerFee: 0.0005,
};

export class BinanceAdapter extends BinanceLikeAdapter {
  constructor(opts: BinanceLikeOptions) {
    super(BINANCE_DIALECT, opts);
  }
}
