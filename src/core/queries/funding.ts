import type { Snapshot, VenueId } from '../types.js';

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
  /** Signed base-unit size the book holds on this venue and symbol. */
  bookSize: number;
  /** USD the book receives (+) or pays (−) per 8 h at this rate: −size × mark × rate8h. */
  carry8h: number;
}

export interface FundingReport {
  rows: FundingRow[];
  /** Σ carry8h over all rows. */
  netCarry8h: number;
  netCarryApr: number;
  grossNotional: number;
}

/**
 * Funding per venue normalised to 8 h and APR, and the book's net carry. Positive rates mean longs pay
 * shorts (the Binance/Pacifica convention); a short book earns a positive rate.
 */
export function buildFunding(snapshot: Snapshot, symbol?: string): FundingReport {
  const size = new Map<string, number>();
  for (const a of snapshot.accounts) {
    for (const p of a.state?.positions ?? []) {
      const key = `${a.venue}|${p.symbol}`;
      size.set(key, (size.get(key) ?? 0) + p.size);
    }
  }
  const rows: FundingRow[] = [];
  for (const [venue, quotes] of Object.entries(snapshot.funding) as [VenueId, NonNullable<Snapshot['funding'][VenueId]>][]) {
    for (const q of quotes) {
      if (symbol && q.symbol !== symbol) continue;
      const rate8h = (q.rate * 8) / q.intervalHours;
      const bookSize = size.get(`${venue}|${q.symbol}`) ?? 0;
      const mark = snapshot.prices[q.symbol]?.mark ?? 0;
      const row: FundingRow = {
        venue, symbol: q.symbol, venueSymbol: q.venueSymbol, rate: q.rate, intervalHours: q.intervalHours,
        rate8h, apr: (q.rate / q.intervalHours) * 24 * 365, bookSize, carry8h: -bookSize * mark * rate8h,
      };
      if (q.nextFundingTime !== undefined) row.nextFundingTime = q.nextFundingTime;
      rows.push(row);
    }
  }
  rows.sort((a, b) => a.symbol.localeCompare(b.symbol) || a.venue.localeCompare(b.venue));
  const netCarry8h = rows.reduce((s, r) => s + r.carry8h, 0);
  const grossNotional = rows.reduce((s, r) => s + Math.abs(r.bookSize * (snapshot.prices[r.symbol]?.mark ?? 0)), 0);
  return { rows, netCarry8h, netCarryApr: grossNotional > 0 ? (netCarry8h * 3 * 365) / grossNotional : 0, grossNotional };
}
