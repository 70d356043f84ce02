import { cleanMoney } from '../decimal.js';
import { positionMark } from '../risk/account-metrics.js';
import type { AccountId, Snapshot, Symbol, VenueId } from '../types.js';
import { fundingMark, fundingQuotes, rate8hOf } from './funding.js';

/** One open position with the numbers /risk and /funding define for it (docs/metrics.md, "Positions"). */
export interface PositionRow {
  account: AccountId;
  venue: VenueId;
  symbol: Symbol;
  venueSymbol: string;
  side: 'long' | 'short';
  /** Signed, base units. */
  size: number;
  entryPrice: number;
  /** The venue's mark on the position, else the snapshot's (as /risk); undefined when neither is known. */
  mark?: number;
  /** size × mark (the entry price when no mark is known), signed: what /risk's gross notional sums as |…|. */
  notional: number;
  /** The venue's value, else (mark − entry) × size; 0 without a mark. */
  unrealizedPnl: number;
  liquidationPrice?: number;
  /** |mark − liq| / mark; /risk's liquidation distance is the least of these over the account. */
  liquidationDistance?: number;
  /** |notional| / the account's equity: an account's rows add up to its /risk leverage. None when equity ≤ 0. */
  leverage?: number;
  /** The venue's funding rate normalised to 8 h, from the quote /funding uses for this contract. */
  rate8h?: number;
  /** −size × mark × rate8h (USD per 8 h; + receives, − pays), with /funding's mark: rows add up to its net carry. */
  funding8h?: number;
  /** The account's last sync failed: this is its last good state. */
  stale: boolean;
}

export interface PositionsReport {
  /** Largest |notional| first; ties by account, then symbol. */
  rows: PositionRow[];
  /** Σ |notional|. */
  grossNotional: number;
  /** Σ uPnL. */
  unrealizedPnl: number;
  /** Σ funding8h over the rows that have a quote. */
  funding8h: number;
  /** Accounts in scope that have reported nothing yet (never synced). */
  noData: AccountId[];
}

export interface PositionsFilter {
  account?: AccountId;
  symbol?: Symbol;
}

/** Code-unit order: stable across locales, and cheaper than localeCompare on a large book's ties. */
function byText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Every open position of the snapshot (or of one account / one symbol), with its risk and funding numbers. */
export function buildPositions(snapshot: Snapshot, filter: PositionsFilter = {}): PositionsReport {
  const quoteFor = fundingQuotes(snapshot);
  const rows: PositionRow[] = [];
  const noData: AccountId[] = [];
  for (const a of snapshot.accounts) {
    if (filter.account !== undefined && a.id !== filter.account) continue;
    if (!a.state) {
      noData.push(a.id);
      continue;
    }
    const equity = a.state.balance.equity;
    for (const p of a.state.positions) {
      if (p.size === 0 || !Number.isFinite(p.size)) continue;
      if (filter.symbol !== undefined && p.symbol !== filter.symbol) continue;
      const mark = positionMark(p, snapshot.prices);
      // As /risk computes them (a float residue is below any shown digit; the totals are trimmed).
      const notional = p.size * (mark ?? p.entryPrice);
      const row: PositionRow = {
        account: a.id,
        venue: a.venue,
        symbol: p.symbol,
        venueSymbol: p.venueSymbol,
        side: p.size > 0 ? 'long' : 'short',
        size: p.size,
        entryPrice: p.entryPrice,
        notional,
        unrealizedPnl: p.unrealizedPnl ?? (mark === undefined ? 0 : (mark - p.entryPrice) * p.size),
        stale: a.status !== 'ok',
      };
      if (mark !== undefined) row.mark = mark;
      if (p.liquidationPrice !== undefined && p.liquidationPrice > 0) {
        row.liquidationPrice = p.liquidationPrice;
        if (mark !== undefined) row.liquidationDistance = Math.abs(mark - p.liquidationPrice) / mark;
      }
      if (equity > 0) row.leverage = Math.abs(notional) / equity;
      const quote = quoteFor(a.venue, p);
      const rate8h = quote ? rate8hOf(quote) : undefined;
      if (rate8h !== undefined) {
        row.rate8h = rate8h;
        row.funding8h = cleanMoney(-p.size * fundingMark(snapshot, p.symbol) * rate8h);
      }
      rows.push(row);
    }
  }
  rows.sort((x, y) => Math.abs(y.notional) - Math.abs(x.notional) || byText(x.account, y.account) || byText(x.symbol, y.symbol));
  let gross = 0;
  let upnl = 0;
  let funding = 0;
  for (const r of rows) {
    gross += Math.abs(r.notional);
    upnl += r.unrealizedPnl;
    funding += r.funding8h ?? 0;
  }
  return { rows, grossNotional: cleanMoney(gross), unrealizedPnl: cleanMoney(upnl), funding8h: cleanMoney(funding), noData };
}
