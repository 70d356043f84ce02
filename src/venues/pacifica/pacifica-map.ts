import { canonicalSymbol } from '../../core/symbols.js';
import type { Balance, FundingQuote, MarketSpec, Position, PriceQuote } from '../../core/types.js';
import { perBaseUnit, scale } from '../http/decimal.js';
import type { PacificaAccount, PacificaMarket, PacificaPosition, PacificaPrice } from './pacifica-schemas.js';

const HOUR_MS = 3_600_000;

/** equity = `account_equity`, available = `available_to_spend`, maintenance = `cross_mmr` (venues.md §1.4, §6). */
export function toBalance(a: PacificaAccount): Balance {
  const b: Balance = { equity: a.account_equity, available: a.available_to_spend };
  if (a.cross_mmr !== undefined) b.maintenanceMargin = a.cross_mmr;
  return b;
}

/**
 * `amount` is unsigned, `side` gives the direction (bid = long). `kBONK` sizes are in thousands of BONK,
 * so size × 1000 and prices ÷ 1000. A null or non-positive liquidation price means "none" (the venue
 * shows negative values for longs that cannot be liquidated). Pacifica positions carry no mark or uPnL.
 */
export function toPosition(p: PacificaPosition, leverage: number | undefined): Position {
  const { symbol, multiplier } = canonicalSymbol(p.symbol);
  const size = scale(p.amount, multiplier);
  const pos: Position = {
    symbol,
    venueSymbol: p.symbol,
    size: p.side === 'bid' ? size : -size,
    entryPrice: perBaseUnit(p.entry_price, multiplier),
  };
  if (p.liquidation_price !== undefined && p.liquidation_price > 0) pos.liquidationPrice = perBaseUnit(p.liquidation_price, multiplier);
  if (leverage !== undefined) pos.leverage = leverage;
  return pos;
}

/** `min_order_size` is a USD notional; lot is in contract units, tick per contract unit. */
export function toMarketSpec(m: PacificaMarket, takerFee: number): MarketSpec {
  const { symbol, multiplier } = canonicalSymbol(m.symbol);
  const spec: MarketSpec = {
    symbol,
    venueSymbol: m.symbol,
    lotSize: scale(m.lot_size, multiplier),
    tickSize: perBaseUnit(m.tick_size, multiplier),
    minNotional: m.min_order_size,
    takerFee,
    multiplier,
  };
  if (m.max_leverage !== undefined) spec.maxLeverage = m.max_leverage;
  return spec;
}

/** `oracle` is the index equivalent (there is no index field). */
export function toPriceQuote(p: PacificaPrice, now: number): PriceQuote {
  const { symbol, multiplier } = canonicalSymbol(p.symbol);
  const q: PriceQuote = { symbol, mark: perBaseUnit(p.mark, multiplier), ts: p.timestamp ?? now };
  if (p.oracle !== undefined) q.index = perBaseUnit(p.oracle, multiplier);
  return q;
}

/**
 * Hourly funding. `next_funding` is the estimate for the epoch that settles at the next full hour,
 * the same meaning as Binance's `lastFundingRate`; `funding` (the epoch just paid) is the fallback.
 * Positive = longs pay shorts, as on Binance.
 */
export function toFundingQuote(p: PacificaPrice, now: number): FundingQuote | undefined {
  const rate = p.next_funding ?? p.funding;
  if (rate === undefined) return undefined;
  const at = p.timestamp ?? now;
  return {
    symbol: canonicalSymbol(p.symbol).symbol,
    venueSymbol: p.symbol,
    rate,
    intervalHours: 1,
    nextFundingTime: Math.floor(at / HOUR_MS) * HOUR_MS + HOUR_MS,
  };
}
