import { canonicalSymbol } from '../../core/symbols.js';
import type { Balance, FundingQuote, MarketSpec, Position, PriceQuote } from '../../core/types.js';
import { decimal, perBaseUnit, scale } from '../http/decimal.js';
import type { BinanceAccount, BinanceExchangeSymbol, BinancePositionRisk, BinancePremiumIndex } from './binance-like-schemas.js';

/** equity = `totalMarginBalance` (wallet + uPnL), available = `availableBalance`, maintenance = `totalMaintMargin`. */
export function toBalance(a: BinanceAccount): Balance {
  const b: Balance = { equity: a.totalMarginBalance, available: a.availableBalance };
  if (a.totalMaintMargin !== undefined) b.maintenanceMargin = a.totalMaintMargin;
  if (a.totalUnrealizedProfit !== undefined) b.unrealizedPnl = a.totalUnrealizedProfit;
  return b;
}

/**
 * `positionAmt` is signed and in contracts: `1000PEPEUSDT` 12 → 12 000 PEPE, prices ÷ 1000.
 * Zero rows (v2 lists every symbol) are dropped; `liquidationPrice` "0" means none.
 */
export function toPosition(p: BinancePositionRisk): Position | undefined {
  if (p.positionAmt === 0) return undefined;
  const { symbol, multiplier } = canonicalSymbol(p.symbol);
  const pos: Position = {
    symbol,
    venueSymbol: p.symbol,
    size: scale(p.positionAmt, multiplier),
    entryPrice: perBaseUnit(p.entryPrice, multiplier),
  };
  if (p.markPrice !== undefined && p.markPrice > 0) pos.markPrice = perBaseUnit(p.markPrice, multiplier);
  if (p.liquidationPrice !== undefined && p.liquidationPrice > 0) pos.liquidationPrice = perBaseUnit(p.liquidationPrice, multiplier);
  if (p.unrealizedPnl !== undefined) pos.unrealizedPnl = p.unrealizedPnl;
  if (p.leverage !== undefined) pos.leverage = p.leverage;
  return pos;
}

function filterValue(s: BinanceExchangeSymbol, type: string, key: string): number | undefined {
  const f = s.filters.find((x) => x.filterType === type);
  const r = decimal.safeParse(f?.[key]);
  return r.success ? r.data : undefined;
}

/** Perpetuals that trade, with PRICE_FILTER.tickSize, LOT_SIZE.stepSize, MIN_NOTIONAL.notional. */
export function toMarketSpec(s: BinanceExchangeSymbol, takerFee: number): MarketSpec | undefined {
  if ((s.contractType ?? 'PERPETUAL') !== 'PERPETUAL' || (s.status ?? 'TRADING') !== 'TRADING') return undefined;
  const tick = filterValue(s, 'PRICE_FILTER', 'tickSize');
  const step = filterValue(s, 'LOT_SIZE', 'stepSize');
  if (tick === undefined || step === undefined) return undefined;
  const { symbol, multiplier } = canonicalSymbol(s.symbol);
  return {
    symbol,
    venueSymbol: s.symbol,
    lotSize: scale(step, multiplier),
    tickSize: perBaseUnit(tick, multiplier),
    minNotional: filterValue(s, 'MIN_NOTIONAL', 'notional') ?? 0,
    takerFee,
    multiplier,
  };
}

export function toPriceQuote(p: BinancePremiumIndex, now: number): PriceQuote {
  const { symbol, multiplier } = canonicalSymbol(p.symbol);
  const q: PriceQuote = { symbol, mark: perBaseUnit(p.markPrice, multiplier), ts: p.time ?? now };
  if (p.indexPrice !== undefined && p.indexPrice > 0) q.index = perBaseUnit(p.indexPrice, multiplier);
  return q;
}

/**
 * `lastFundingRate` is the rate that settles at `nextFundingTime` (positive = longs pay shorts); the
 * interval comes from fundingInfo, which lists only symbols that differ from the default 8 h.
 */
export function toFundingQuote(p: BinancePremiumIndex, intervals: ReadonlyMap<string, number>): FundingQuote {
  const q: FundingQuote = {
    symbol: canonicalSymbol(p.symbol).symbol,
    venueSymbol: p.symbol,
    rate: p.lastFundingRate,
    intervalHours: intervals.get(p.symbol) ?? 8,
  };
  if (p.nextFundingTime !== undefined && p.nextFundingTime > 0) q.nextFundingTime = p.nextFundingTime;
  return q;
}

/** Contract names that are perpetuals (delivery contracts carry `_YYMMDD`). */
export function isPerpetualName(venueSymbol: string): boolean {
  return !venueSymbol.includes('_');
}

const QUOTE_RANK = ['USDT', 'USDC'];

/**
 * One entry per canonical symbol: `BTCUSDT` and `BTCUSDC` both mean BTC, and the snapshot keys markets
 * and prices by canonical symbol. The USDT contract wins, then USDC, then anything else.
 */
export function preferByQuote<T extends { symbol: string; venueSymbol: string }>(items: readonly T[]): T[] {
  const rank = (v: string): number => {
    const i = QUOTE_RANK.findIndex((q) => v.endsWith(q));
    return i === -1 ? QUOTE_RANK.length : i;
  };
  const best = new Map<string, T>();
  for (const it of items) {
    const cur = best.get(it.symbol);
    if (!cur || rank(it.venueSymbol) < rank(cur.venueSymbol)) best.set(it.symbol, it);
  }
  return [...best.values()];
}
