import { canonicalSymbol } from '../../core/symbols.js';
import type { Balance, FundingQuote, MarketSpec } from '../../core/types.js';
import { perBaseUnit, scale } from '../http/decimal.js';
import type { RasaContractSymbol, RasaFundingInfo, RasaPartyBalance, RasaPositionState } from './rasa-schemas.js';

/**
 * equity = allocated_balance + upnl; available = available_balance; maintenance = party_a_mm + cva + lf,
 * the whole locked amount: partyA is liquidated when available_balance (= allocated + upnl − cva − lf −
 * party_a_mm, SYM-DOC) goes below zero, so that sum is the equity floor.
 */
export function toBalance(p: RasaPartyBalance, upnl: number): Balance {
  return {
    equity: p.allocated_balance + upnl,
    available: p.available_balance,
    maintenanceMargin: (p.party_a_mm ?? 0) + (p.cva ?? 0) + (p.lf ?? 0),
    unrealizedPnl: upnl,
  };
}

/**
 * SYMMIO expresses tick and lot as decimals of precision; `lot_size` wins when the hedger sets it (> 0).
 * Min notional: `min_notional_value` when present, else `min_acceptable_quote_value`. Fee: `trading_fee`.
 */
export function toMarketSpec(s: RasaContractSymbol, defaultFee: number): MarketSpec | undefined {
  if (s.is_valid === false) return undefined;
  const { symbol, multiplier } = canonicalSymbol(s.name);
  const lot = s.lot_size !== undefined && s.lot_size > 0 ? s.lot_size : 10 ** -s.quantity_precision;
  const spec: MarketSpec = {
    symbol,
    venueSymbol: s.name,
    lotSize: scale(lot, multiplier),
    tickSize: perBaseUnit(10 ** -s.price_precision, multiplier),
    minNotional: s.min_notional_value ?? s.min_acceptable_quote_value ?? 0,
    takerFee: s.trading_fee ?? defaultFee,
    multiplier,
  };
  if (s.max_leverage !== undefined) spec.maxLeverage = s.max_leverage;
  return spec;
}

/**
 * Rasa quotes separate long and short rates where positive means partyB pays partyA, i.e. the holder
 * receives. FundingQuote.rate is "positive = longs pay", so rate = −next_funding_rate_long.
 * The epoch is in seconds; absent, the Binance default of 8 h is assumed.
 */
export function toFundingQuotes(info: RasaFundingInfo): FundingQuote[] {
  return Object.entries(info).map(([name, f]) => {
    const q: FundingQuote = {
      symbol: canonicalSymbol(name).symbol,
      venueSymbol: name,
      rate: f.next_funding_rate_long === 0 ? 0 : -f.next_funding_rate_long,
      intervalHours: f.funding_rate_epoch_duration ? f.funding_rate_epoch_duration / 3600 : 8,
    };
    if (f.next_funding_time !== undefined) q.nextFundingTime = f.next_funding_time;
    return q;
  });
}

/** Solver error codes known from SYM-ERR (excerpt), to make a failure notice readable. */
const ERROR_REASONS: Record<number, string> = {
  4000: 'partyA solvency (market order)',
  4001: 'partyB solvency / max open interest reached',
  4002: 'quote no longer accepted (partyA solvency)',
  4003: 'quote no longer accepted (partyB solvency)',
  4004: 'close request rejected (partyA solvency)',
  4005: 'close request rejected (partyB solvency)',
  4006: 'market order placement failed',
  4007: 'unknown processing failure',
  4008: 'partyB solvency',
  4011: 'insolvency',
  4012: 'order exceeds max capacity',
  4101: 'quote no longer accepted',
  4103: 'force close happened first',
  4104: 'open rejected due to market movement',
};

/** One alert line per failed position-state entry: which quote, which action, why. */
export function toFailureNotice(s: RasaPositionState): string {
  const quote = s.quote_id !== undefined && s.quote_id !== null ? `quote ${s.quote_id}` : 'a quote';
  const action = s.last_seen_action ?? 'action';
  const code = s.error_code ? ` (error ${s.error_code}${ERROR_REASONS[s.error_code] ? `: ${ERROR_REASONS[s.error_code]}` : ''})` : '';
  const type = s.failure_type ? ` [${s.failure_type}]` : '';
  const at = s.modify_time ?? s.create_time;
  const when = at !== undefined ? ` at ${new Date(at * 1000).toISOString()}` : '';
  return `Rasa hedger: ${action} failed for ${quote}${code}${type}${when}`;
}
