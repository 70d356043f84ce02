import { BinanceLikeFake } from './binance-like-fake.js';

/**
 * A started Aster V1 fake (/fapi/v4/account, /fapi/v2/positionRisk with zero rows, Aster fundingInfo
 * shape) with `accounts` API keys `key0…` / secrets `secret0…`.
 */
export function startAsterFake(accounts = 1, now?: () => number): Promise<BinanceLikeFake> {
  return BinanceLikeFake.withAccounts('aster', accounts, now);
}
