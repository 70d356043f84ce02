import type { DeltaPlanAccount, DeltaPlanInput } from '../../src/core/planners/delta-plan-types.js';
import type { MarketSpec, VenueId } from '../../src/core/types.js';

/** Binance-like BTC: lot 0.001, $100 minimum, 5 bp taker, no maxLeverage given (→ leverage 1). */
export const BINANCE_BTC: MarketSpec = {
  symbol: 'BTC',
  venueSymbol: 'BTCUSDT',
  lotSize: 0.001,
  tickSize: 0.1,
  minNotional: 100,
  takerFee: 0.0005,
  multiplier: 1,
};

/** Aster-like BTC: lot 0.01, $5 minimum, 4 bp taker, maxLeverage 2 (the default opening leverage). */
export const ASTER_BTC: MarketSpec = {
  symbol: 'BTC',
  venueSymbol: 'BTCUSDT',
  lotSize: 0.01,
  tickSize: 0.1,
  minNotional: 5,
  takerFee: 0.0004,
  multiplier: 1,
  maxLeverage: 2,
};

export function account(
  id: string,
  venue: VenueId,
  position: number,
  available = 0,
  leverage?: number,
): DeltaPlanAccount {
  return { account: id, venue, position, available, ...(leverage === undefined ? {} : { leverage }) };
}

/** BTC at mark 50,000: buys estimate at 50,250, sells at 49,750 (slippage 0.005). */
export function btcInput(accounts: DeltaPlanAccount[], extra: Partial<DeltaPlanInput> = {}): DeltaPlanInput {
  return {
    operationId: 'op-1',
    timestamp: 1_700_000_000_000,
    symbol: 'BTC',
    accounts,
    markets: { binance: BINANCE_BTC, aster: ASTER_BTC },
    markPrice: 50_000,
    ...extra,
  };
}
