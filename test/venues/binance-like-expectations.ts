import type { ContractCase } from './contract.js';
import { BINANCE_TS, NEXT_FUNDING } from '../fakes/venues/fixtures/binance-like.js';

/** What both Binance-compatible adapters must produce from the shared fixture book. */
export function binanceLikeExpected(opts: { takerFee: number; leverage: boolean }): ContractCase['expected'] {
  const lev = (n: number): { leverage?: number } => (opts.leverage ? { leverage: n } : { leverage: undefined });
  return {
    capabilities: { balances: true, positions: true, markPrices: true, funding: true, marketSpecs: true, hedgerCapacity: false, keyPermissions: true },
    balance: { equity: 10154, available: 8000.5, maintenanceMargin: 120.25, unrealizedPnl: 154 },
    positions: [
      { venueSymbol: 'BTCUSDT', symbol: 'BTC', size: 0.01, entryPrice: 60000, liquidationPrice: 48000.12, unrealizedPnl: 5, ...lev(10) },
      // liquidationPrice "0" → none.
      { venueSymbol: 'ETHUSDT', symbol: 'ETH', size: -2.5, entryPrice: 3000, liquidationPrice: undefined, unrealizedPnl: 125, ...lev(5) },
      // 150 000 contracts of 1000 PEPE; prices per PEPE.
      { venueSymbol: '1000PEPEUSDT', symbol: 'PEPE', size: 150_000_000, entryPrice: 0.00001234, liquidationPrice: 0.00000617, unrealizedPnl: 24, ...lev(3) },
    ],
    prices: [
      { symbol: 'BTC', mark: 60500, index: 60490.1, ts: BINANCE_TS },
      { symbol: 'PEPE', mark: 0.0000125, index: 0.00001249 },
    ],
    markets: [
      { symbol: 'BTC', venueSymbol: 'BTCUSDT', lotSize: 0.001, tickSize: 0.1, minNotional: 100, takerFee: opts.takerFee, multiplier: 1 },
      { symbol: 'ETH', venueSymbol: 'ETHUSDT', lotSize: 0.001, tickSize: 0.01, minNotional: 20 },
      { symbol: 'PEPE', venueSymbol: '1000PEPEUSDT', lotSize: 1000, tickSize: 1e-10, minNotional: 5, multiplier: 1000 },
    ],
    marketsExcluded: ['OLD'],
    funding: [
      { symbol: 'BTC', venueSymbol: 'BTCUSDT', rate: 0.0001, intervalHours: 8, nextFundingTime: NEXT_FUNDING },
      { symbol: 'ETH', rate: -0.00005, intervalHours: 8 },
      { symbol: 'PEPE', venueSymbol: '1000PEPEUSDT', rate: 0.0002, intervalHours: 4, nextFundingTime: Date.UTC(2026, 0, 1, 4, 0) },
    ],
  };
}
