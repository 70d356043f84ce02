import type { FundingQuote, Snapshot, VenueId } from '../types.js';

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
  /** Signed base-unit size the book holds on this venue and contract. */
  bookSize: number;
  /** USD the book receives (+) or pays (−) per 8 h at this rate: −size × mark × rate8h. */
  carry8h: number;
}

export interface FundingReport {
  rows: FundingRow[];
  /** Σ carry8h over all rows. */
  netCarry8h: number;
  /** netCarry8h × 3 × 365 / grossNotional. */
  netCarryApr: number;
  /** Σ |bookSize × mark| over the rows. */
  grossNotional: number;
}

/**
 * Which quote each position pays or earns: the venue's quote for the same contract (`BTCUSDC` when
 * the venue also quotes `BTCUSDT`), else the venue's first quote of the canonical symbol. Returns the
 * book size per quote, keyed `venue|venueSymbol`.
 */
function bookSizes(snapshot: Snapshot): Map<string, number> {
  const byContract = new Set<string>();
  const firstOfSymbol = new Map<string, string>();
  for (const [venue, quotes] of Object.entries(snapshot.funding) as [VenueId, FundingQuote[]][]) {
    for (const q of quotes) {
      byContract.add(`${venue}|${q.venueSymbol}`);
      if (!firstOfSymbol.has(`${venue}|${q.symbol}`)) firstOfSymbol.set(`${venue}|${q.symbol}`, `${venue}|${q.venueSymbol}`);
    }
  }
  const size = new Map<string, number>();
  for (const a of snapshot.accounts) {
    for (const p of a.state?.positions ?? []) {
      const exact = `${a.venue}|${p.venueSymbol}`;
      const key = byContract.has(exact) ? exact : firstOfSymbol.get(`${a.venue}|${p.symbol}`);
      if (key) size.set(key, (size.get(key) ?? 0) + p.size);
    }
  }
  return size;
}

/** The snapshot's price (the active feed), else a mark a position on that symbol carries. */
function markOf(snapshot: Snapshot, symbol: string): number {
  const p = snapshot.prices[symbol]?.mark;
  if (p !== undefined) return p;
  for (const a of snapshot.accounts) for (const pos of a.state?.positions ?? []) if (pos.symbol === symbol && pos.markPrice) return pos.markPrice;
  return 0;
}

/**
 * Funding per venue normalised to 8 h and APR, and the book's net carry. FundingQuote.rate is per the
 * venue's interval with positive meaning longs pay shorts (adapters convert: Pacifica hourly
 * `next_funding`, Binance/Aster `lastFundingRate` over `fundingIntervalHours`, Rasa −long rate over its
 * epoch); so a short book earns a positive rate.
 */
export function buildFunding(snapshot: Snapshot, symbol?: string): FundingReport {
  const size = bookSizes(snapshot);
  const rows: FundingRow[] = [];
  for (const [venue, quotes] of Object.entries(snapshot.funding) as [VenueId, FundingQuote[]][]) {
    for (const q of quotes) {
      if (symbol && q.symbol !== symbol) continue;
      if (!(q.intervalHours > 0) || !Number.isFinite(q.rate)) continue;
      const rate8h = (q.rate * 8) / q.intervalHours;
      const bookSize = size.get(`${venue}|${q.venueSymbol}`) ?? 0;
      const row: FundingRow = {
        venue, symbol: q.symbol, venueSymbol: q.venueSymbol, rate: q.rate, intervalHours: q.intervalHours,
        rate8h, apr: (q.rate / q.intervalHours) * 24 * 365, bookSize, carry8h: bookSize === 0 ? 0 : -bookSize * markOf(snapshot, q.symbol) * rate8h,
      };
      if (q.nextFundingTime !== undefined) row.nextFundingTime = q.nextFundingTime;
      rows.push(row);
    }
  }
  rows.sort((a, b) => a.symbol.localeCompare(b.symbol) || a.venue.localeCompare(b.venue) || a.venueSymbol.localeCompare(b.venueSymbol));
  const netCarry8h = rows.reduce((s, r) => s + r.carry8h, 0);
  const grossNotional = rows.reduce((s, r) => s + Math.abs(r.bookSize * markOf(snapshot, r.symbol)), 0);
  return { rows, netCarry8h, netCarryApr: grossNotional > 0 ? (netCarry8h * 3 * 365) / grossNotional : 0, grossNotional };
}
