import { BinanceLikeFake } from './binance-like-fake.js';

/**
 * A started Binance USDⓈ-M fake (v3 account and positionRisk, accountConfig, Binance fundingInfo shape)
 * with `accounts` API keys `key0…` / secrets `secret0…`.
 */
export function startBinanceFake(accounts = 1, now?: () => number): Promise<BinanceLikeFake> {
  return BinanceLikeFake.withAccounts('binance', accounts, now);
}
