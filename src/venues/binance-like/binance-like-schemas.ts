import { z } from 'zod';
import { decimal, integer, optionalDecimal, optionalInteger } from '../http/decimal.js';

/*
 * Only the fields the mappers read are declared, and every number goes through the shared helpers
 * (string or number): a field we never use, or a number sent as a string, must not fail a payload.
 */

/** `/fapi/v3/account` (Binance), `/fapi/v4/account` (Aster): the totals used for the balance. */
export const accountSchema = z.object({
  totalMarginBalance: decimal,
  availableBalance: decimal,
  totalMaintMargin: optionalDecimal,
  totalUnrealizedProfit: optionalDecimal,
});
export type BinanceAccount = z.output<typeof accountSchema>;

/**
 * A position-risk row. Accepts the v2 shape (`unRealizedProfit`, `leverage` string, zero rows) and the
 * v3 / live-Aster shape (`unrealizedProfit`, no leverage): venues.md §2.3, §3.4.
 */
export const positionRiskRow = z
  .object({
    symbol: z.string(),
    positionAmt: decimal,
    entryPrice: decimal,
    markPrice: optionalDecimal,
    unRealizedProfit: optionalDecimal,
    unrealizedProfit: optionalDecimal,
    liquidationPrice: optionalDecimal,
    leverage: optionalDecimal,
  })
  .transform(({ unRealizedProfit, unrealizedProfit, ...rest }) => ({ ...rest, unrealizedPnl: unRealizedProfit ?? unrealizedProfit }));
export type BinancePositionRisk = z.output<typeof positionRiskRow>;

export const premiumIndexRow = z.object({
  symbol: z.string(),
  markPrice: decimal,
  indexPrice: optionalDecimal,
  lastFundingRate: decimal,
  nextFundingTime: optionalInteger,
  time: optionalInteger,
});
export type BinancePremiumIndex = z.output<typeof premiumIndexRow>;

/** Binance and Aster differ in the cap fields (strings vs numbers), not in the interval. */
export const fundingInfoRow = z.object({ symbol: z.string(), fundingIntervalHours: decimal });

const filter = z.object({ filterType: z.string() }).loose();

export const exchangeSymbol = z.object({
  symbol: z.string(),
  contractType: z.string().optional(),
  status: z.string().optional(),
  quoteAsset: z.string().optional(),
  filters: z.array(filter),
});
export type BinanceExchangeSymbol = z.output<typeof exchangeSymbol>;

export const exchangeInfoSchema = z.object({
  serverTime: optionalInteger,
  symbols: z.array(z.unknown()),
});

export const serverTimeSchema = z.object({ serverTime: integer });

/** The `{code, msg}` error body. */
export const binanceError = z.object({ code: integer, msg: z.string().optional() });
