import { z } from 'zod';
import { decimal, integer, optionalDecimal } from '../http/decimal.js';

/**
 * Rasa is FastAPI with `Decimal` fields: the same value may come as `"0.0006"` or `0.0006` depending on
 * the route and version (venues.md §4.1 [CONFLICT]); every number below accepts both.
 */
export const contractSymbol = z.object({
  name: z.string(),
  symbol: z.string().optional(),
  symbol_id: integer,
  price_precision: integer,
  quantity_precision: integer,
  is_valid: z.boolean().optional(),
  min_acceptable_quote_value: optionalDecimal,
  min_notional_value: optionalDecimal,
  lot_size: optionalDecimal,
  trading_fee: optionalDecimal,
  max_leverage: optionalDecimal,
});
export type RasaContractSymbol = z.output<typeof contractSymbol>;

/** `{count, symbols}` per SYM-DOC/SYM-FE; a bare array is accepted too (SYM-LP shows only elements). */
export const contractSymbolsResponse = z.preprocess(
  (d) => (Array.isArray(d) ? { symbols: d } : d),
  z.object({ symbols: z.array(z.unknown()) }),
);

export const openInterest = z.object({ total_cap: decimal, used: decimal });

export const fundingInfo = z.record(
  z.string(),
  z.object({
    next_funding_time: integer.optional(),
    next_funding_rate_long: decimal,
    next_funding_rate_short: optionalDecimal,
    /** Seconds (14400 = 4 h); only in the example, not the schema. */
    funding_rate_epoch_duration: optionalDecimal,
  }),
);
export type RasaFundingInfo = z.output<typeof fundingInfo>;

export const partyBalance = z.object({
  upnl: optionalDecimal,
  allocated_balance: decimal,
  available_balance: decimal,
  cva: optionalDecimal,
  lf: optionalDecimal,
  party_a_mm: optionalDecimal,
  notional: optionalDecimal,
  timestamp: optionalDecimal,
});
export type RasaPartyBalance = z.output<typeof partyBalance>;

/** Keyed by sub-account address (SYM-FE iterates `Object.keys(value)`). */
export const balanceInfo = z.record(z.string(), z.object({ party_a: partyBalance }));

/** A bare JSON scalar: float per SYM-DOC, decimal string per the generated client. */
export const partyAUpnl = decimal;

export const positionStateRow = z.object({
  id: z.string().optional(),
  create_time: integer.optional(),
  modify_time: integer.optional(),
  quote_id: z.union([z.number(), z.string()]).nullish(),
  last_seen_action: z.string().nullish(),
  action_status: z.string(),
  failure_type: z.string().nullish(),
  error_code: z.number().nullish(),
  state_type: z.string().nullish(),
});
export type RasaPositionState = z.output<typeof positionStateRow>;

export const positionStateResponse = z.object({ count: z.number().optional(), position_state: z.array(z.unknown()) });
