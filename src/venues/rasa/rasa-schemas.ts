import { z } from 'zod';
import { decimal, integer, optionalDecimal, optionalInteger } from '../http/decimal.js';

/**
 * Rasa is FastAPI with `Decimal` fields: the same value may come as `"0.0006"` or `0.0006` depending on
 * the route and version (venues.md §4.1 [CONFLICT]); every number below accepts both. Only the fields
 * the mappers read are declared, so a field we never use cannot fail a payload.
 */
export const contractSymbol = z.object({
  name: z.string(),
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
    next_funding_time: optionalInteger,
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
});
export type RasaPartyBalance = z.output<typeof partyBalance>;

/** Keyed by sub-account address (SYM-FE iterates `Object.keys(value)`). */
export const balanceInfo = z.record(z.string(), z.object({ party_a: partyBalance }));

/** A bare JSON scalar: float per SYM-DOC, decimal string per the generated client. */
export const partyAUpnl = decimal;

export const positionStateRow = z.object({
  create_time: optionalInteger,
  modify_time: optionalInteger,
  /** An id, shown as sent: a number or a string. */
  quote_id: z.union([z.number(), z.string()]).nullish(),
  last_seen_action: z.string().nullish(),
  action_status: z.string(),
  failure_type: z.string().nullish(),
  error_code: optionalInteger,
});
export type RasaPositionState = z.output<typeof positionStateRow>;

export const positionStateResponse = z.object({ position_state: z.array(z.unknown()) });
