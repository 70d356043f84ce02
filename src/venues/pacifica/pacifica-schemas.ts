import { z } from 'zod';
import { decimal, integer, optionalDecimal } from '../http/decimal.js';

/** `{success, data, error, code}` around every Pacifica REST response (venues.md §1.1). */
export const envelope = z.object({ success: z.boolean().optional(), data: z.unknown() });

export const errorEnvelope = z.object({
  success: z.literal(false).optional(),
  error: z.string().nullish(),
  code: z.number().nullish(),
});

const accountObject = z.object({
  balance: decimal,
  account_equity: decimal,
  available_to_spend: decimal,
  available_to_withdraw: optionalDecimal,
  total_margin_used: optionalDecimal,
  cross_mmr: optionalDecimal,
  cross_account_equity: optionalDecimal,
  maker_fee: optionalDecimal,
  taker_fee: optionalDecimal,
  positions_count: z.number().optional(),
  updated_at: integer.optional(),
});

/** Current docs send an object; an older revision sent a one-element array (venues.md §1.4): take either. */
export const accountData = z.preprocess(
  (d) => (Array.isArray(d) && d.length === 1 ? d[0] : d),
  accountObject,
);
export type PacificaAccount = z.output<typeof accountObject>;

export const positionRow = z.object({
  symbol: z.string(),
  side: z.enum(['bid', 'ask']),
  amount: decimal,
  entry_price: decimal,
  margin: optionalDecimal,
  funding: optionalDecimal,
  isolated: z.boolean().optional(),
  /** Null when none; may be negative for a long far from liquidation (venues.md §1.5). */
  liquidation_price: optionalDecimal,
  created_at: integer.optional(),
  updated_at: integer.optional(),
});
export type PacificaPosition = z.output<typeof positionRow>;

const marginSetting = z.object({ symbol: z.string(), isolated: z.boolean().optional(), leverage: decimal });

/** `{margin_settings: [...]}` now; a bare array in older docs (venues.md §1.6). */
export const settingsData = z.preprocess(
  (d) => (Array.isArray(d) ? { margin_settings: d } : d),
  z.object({ margin_settings: z.array(marginSetting).default([]) }),
);

export const marketRow = z.object({
  symbol: z.string(),
  tick_size: decimal,
  lot_size: decimal,
  max_leverage: decimal.optional(),
  min_order_size: decimal,
  instrument_type: z.string().optional(),
  funding_rate: optionalDecimal,
  next_funding_rate: optionalDecimal,
});
export type PacificaMarket = z.output<typeof marketRow>;

export const priceRow = z.object({
  symbol: z.string(),
  mark: decimal,
  oracle: optionalDecimal,
  mid: optionalDecimal,
  funding: optionalDecimal,
  next_funding: optionalDecimal,
  timestamp: integer.optional(),
});
export type PacificaPrice = z.output<typeof priceRow>;
