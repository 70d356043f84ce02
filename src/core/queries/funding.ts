import { cleanMoney, sumDecimals } from '../decimal.js';
import type { FundingQuote, Position, Snapshot, VenueId } from '../types.js';

export interface FundingRow {
  venue: VenueId;
  symbol: string;
  venueSymbol: string;
  /** Rate per venue interval. */
  rate: number;
  intervalHours: number;
  /** Rate normalised to 8 h. */
  rate8h: number;
  /** Simple annualised rate: rate per hour × 24 × 365. */
  apr: number;
  nextFundingTime?: number;
  /** Signed base-unit size the book holds on this venue and contract (the net of its positions). */
  bookSize: number;
  /** Σ |size × mark| of the positions on this venue and contract: long and short both count. */
  grossNotional: number;
  /** USD the book receives (+) or pays (−) per 8 h at this rate: −size × mark × rate8h. */
  carry8h: number;
}

export interface FundingReport {
  rows: FundingRow[];
  /** Σ carry8h over all rows. */
  netCarry8h: number;
  /** netCarry8h × 3 × 365 / grossNotional; 0 without any position. */
  netCarryApr: number;
  /** Σ |size × mark| over the positions the rows cover (docs/metrics.md), not over the rows' nets. */
  grossNotional: number;
}

interface Book {
  sizes: number[];
  gross: number;
}

/** A venue's quote that a position pays or earns, or undefined when the venue quotes none for it. */
export type FundingQuoteLookup = (venue: VenueId, position: Pick<Position, 'symbol' | 'venueSymbol'>) => FundingQuote | undefined;

/**
 * Which quote each position pays or earns: the venue's quote for the same contract (`BTCUSDC` when
 * the venue also quotes `BTCUSDT`), else the venue's first quote of the canonical symbol.
 */
export function fundingQuotes(snapshot: Snapshot): FundingQuoteLookup {
  // Per venue, by contract and by canonical symbol: no key string built per position.
  const byVenue = new Map<VenueId, { byContract: Map<string, FundingQuote>; firstOfSymbol: Map<string, FundingQuote> }>();
  for (const [venue, quotes] of Object.entries(snapshot.funding) as [VenueId, FundingQuote[]][]) {
    const v = { byContract: new Map<string, FundingQuote>(), firstOfSymbol: new Map<string, FundingQuote>() };
    byVenue.set(venue, v);
    for (const q of quotes) {
      if (!v.byContract.has(q.venueSymbol)) v.byContract.set(q.venueSymbol, q);
      if (!v.firstOfSymbol.has(q.symbol)) v.firstOfSymbol.set(q.symbol, q);
    }
  }
  return (venue, p) => {
    const v = byVenue.get(venue);
    return v?.byContract.get(p.venueSymbol) ?? v?.firstOfSymbol.get(p.symbol);
  };
}

/** A quote's rate normalised to 8 h; undefined for a quote without a usable interval or rate. */
export function rate8hOf(q: FundingQuote): number | undefined {
  return q.intervalHours > 0 && Number.isFinite(q.rate) ? (q.rate * 8) / q.intervalHours : undefined;
}

/** The positions' sizes and gross notional per quote, keyed `venue|venueSymbol` (see fundingQuotes). */
function books(snapshot: Snapshot): Map<string, Book> {
  const quoteFor = fundingQuotes(snapshot);
  const out = new Map<string, Book>();
  for (const a of snapshot.accounts) {
    for (const p of a.state?.positions ?? []) {
      const q = quoteFor(a.venue, p);
      if (!q) continue;
      const key = `${a.venue}|${q.venueSymbol}`;
      let b = out.get(key);
      if (!b) out.set(key, (b = { sizes: [], gross: 0 }));
      b.sizes.push(p.size);
      // Each position's own |notional|: a long and a short of one contract cancel in the net (and in
      // the carry) but both are capital at work, so the carry's APR divides by both.
      b.gross += Math.abs(p.size * fundingMark(snapshot, p.symbol));
    }
  }
  return out;
}

/** The mark funding is paid on: the snapshot's price (the active feed), else a mark a position on that symbol carries. */
export function fundingMark(snapshot: Snapshot, symbol: string): number {
  const p = snapshot.prices[symbol]?.mark;
  if (p !== undefined) return p;
  for (const a of snapshot.accounts) for (const pos of a.state?.positions ?? []) if (pos.symbol === symbol && pos.markPrice) return pos.markPrice;
  return 0;
}

/**
 * Funding per venue normalised to 8 h and APR, and the book's net carry. FundingQuote.rate is per the
 * venue's interval with positive meaning longs pay shorts (adapters convert: Pacifica hourly
 * `next_funding`, Binance/Aster `lastFundingRate` over `fundingIntervalHours`, Rasa −long rate over its
 * epoch); so a short book earns a positive rate. Money is trimmed to 12 significant digits (cleanMoney).
 */
export function buildFunding(snapshot: Snapshot, symbol?: string): FundingReport {
  const held = books(snapshot);
  const rows: FundingRow[] = [];
  for (const [venue, quotes] of Object.entries(snapshot.funding) as [VenueId, FundingQuote[]][]) {
    for (const q of quotes) {
      if (symbol && q.symbol !== symbol) continue;
      const rate8h = rate8hOf(q);
      if (rate8h === undefined) continue;
      const book = held.get(`${venue}|${q.venueSymbol}`);
      const bookSize = book ? sumDecimals(book.sizes) : 0;
      const row: FundingRow = {
        venue, symbol: q.symbol, venueSymbol: q.venueSymbol, rate: q.rate, intervalHours: q.intervalHours,
        rate8h, apr: (q.rate / q.intervalHours) * 24 * 365, bookSize,
        grossNotional: cleanMoney(book?.gross ?? 0),
        carry8h: bookSize === 0 ? 0 : cleanMoney(-bookSize * fundingMark(snapshot, q.symbol) * rate8h),
      };
      if (q.nextFundingTime !== undefined) row.nextFundingTime = q.nextFundingTime;
      rows.push(row);
    }
  }
  rows.sort((a, b) => a.symbol.localeCompare(b.symbol) || a.venue.localeCompare(b.venue) || a.venueSymbol.localeCompare(b.venueSymbol));
  const netCarry8h = cleanMoney(rows.reduce((s, r) => s + r.carry8h, 0));
  const grossNotional = cleanMoney(rows.reduce((s, r) => s + r.grossNotional, 0));
  return { rows, netCarry8h, netCarryApr: grossNotional > 0 ? (netCarry8h * 3 * 365) / grossNotional : 0, grossNotional };
}
