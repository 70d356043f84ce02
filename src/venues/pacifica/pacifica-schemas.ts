import { z } from 'zod';
import { decimal, optionalDecimal, optionalInteger } from '../http/decimal.js';

/*
 * Only the fields the mappers read are declared (zod drops the rest), and every number goes through the
 * shared decimal/integer helpers: a live `/account` carries counts and timestamps as strings
 * (`"positions_count": "0"`, `"updated_at": "1769553883269"`, venues.md §1.4 [CONFLICT]), and a field we
 * never use must not cost the desk an account.
 */

/** `{success, data, error, code}` around every Pacifica REST response (venues.md §1.1). */
export const envelope = z.object({ success: z.boolean().optional(), data: z.unknown() });

export const errorEnvelope = z.object({
  success: z.literal(false).optional(),
  error: z.string().nullish(),
  code: optionalInteger,
});

/** equity, available margin and maintenance: what `toBalance` reads. */
const accountObject = z.object({
  account_equity: decimal,
  available_to_spend: decimal,
  cross_mmr: optionalDecimal,
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
  /** Null when none; may be negative for a long far from liquidation (venues.md §1.5). */
  liquidation_price: optionalDecimal,
});
export type PacificaPosition = z.output<typeof positionRow>;

const marginSetting = z.object({ symbol: z.string(), leverage: decimal });

/** `{margin_settings: [...]}` now; a bare array in older docs (venues.md §1.6). */
export const settingsData = z.preprocess(
  (d) => (Array.isArray(d) ? { margin_settings: d } : d),
  z.object({ margin_settings: z.array(marginSetting).default([]) }),
);

export const marketRow = z.object({
  symbol: z.string(),
  tick_size: decimal,
  lot_size: decimal,
  max_leverage: optionalDecimal,
  min_order_size: decimal,
  instrument_type: z.string().optional(),
});
export type PacificaMarket = z.output<typeof marketRow>;

export const priceRow = z.object({
  symbol: z.string(),
  mark: decimal,
  oracle: optionalDecimal,
  funding: optionalDecimal,
  next_funding: optionalDecimal,
  timestamp: optionalInteger,
});
export type PacificaPrice = z.output<typeof priceRow>;
