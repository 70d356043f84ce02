import type { PositionRow, PositionsReport } from '../core/queries/positions.js';
import { pct, price, qty, usd } from './format.js';
import type { View, ViewTable } from './view.js';

/** Rows shown in the message itself; a longer book goes whole into the attached file as well. */
export const POSITIONS_SHOWN = 20;
export const POSITIONS_FILE = 'positions.txt';

const count = (n: number): string => n.toLocaleString('en-US');

function signedUsd(v: number | undefined): string {
  if (v === undefined) return '—';
  return v > 0 ? `+${usd(v)}` : usd(v);
}

const COLUMNS: ViewTable['columns'] = [
  { header: 'Account' }, { header: 'Venue' }, { header: 'Symbol' }, { header: 'Side' },
  { header: 'Size', align: 'right' }, { header: 'Entry', align: 'right' }, { header: 'Mark', align: 'right' },
  { header: 'Notional', align: 'right' }, { header: 'uPnL', align: 'right' }, { header: 'Liq', align: 'right' },
  { header: 'Liq dist', align: 'right' }, { header: 'Lev', align: 'right' }, { header: 'Fund/8h', align: 'right' },
];

/**
 * The rows' cells. Marks repeat across a symbol's rows, so prices are formatted once each: number
 * formatting is most of a large book's cost.
 */
function rowsOf(list: readonly PositionRow[]): string[][] {
  const prices = new Map<number | undefined, string>();
  const priceText = (v: number | undefined): string => {
    let s = prices.get(v);
    if (s === undefined) prices.set(v, (s = price(v)));
    return s;
  };
  return list.map((p) => [
    p.stale ? `${p.account} (stale)` : p.account, p.venue, p.symbol, p.side === 'long' ? 'LONG' : 'SHORT',
    qty(p.size), priceText(p.entryPrice), priceText(p.mark), usd(p.notional), usd(p.unrealizedPnl),
    priceText(p.liquidationPrice), pct(p.liquidationDistance, 1), p.leverage === undefined ? '—' : `${p.leverage.toFixed(2)}x`, signedUsd(p.funding8h),
  ]);
}

/**
 * The attachment's table: every row, its cells formatted when a transport first reads `rows` (2,000
 * rows at 1,000 accounts were most of the handler's time; the message itself shows POSITIONS_SHOWN).
 * `rows` is a getter of the class, not of each table: V8 keeps an object's own accessors in the old
 * generation, so a per-table getter (an object literal's, or defineProperty's) kept each dropped view's
 * whole report alive through young GCs (20–30 ms pauses at 1,000 accounts). Spreading or serialising
 * the table does not copy `rows`: read it.
 */
class WholeBook implements ViewTable {
  readonly columns = COLUMNS;
  readonly attachment = POSITIONS_FILE;
  readonly #shown: string[][];
  readonly #book: readonly PositionRow[];
  #all: string[][] | undefined;

  constructor(
    readonly title: string,
    shown: string[][],
    book: readonly PositionRow[],
  ) {
    this.#shown = shown;
    this.#book = book;
  }

  get rows(): string[][] {
    return (this.#all ??= [...this.#shown, ...rowsOf(this.#book.slice(this.#shown.length))]);
  }
}

/** `/positions`: every open position, largest |notional| first, with its risk and funding numbers. */
export function positionsView(r: PositionsReport, scope: { account?: string; symbol?: string }): View {
  const where = [scope.account, scope.symbol].filter(Boolean).join(' · ');
  const n = r.rows.length;
  const lines = [
    n === 0
      ? 'No open positions.'
      : `${count(n)} position${n === 1 ? '' : 's'} · gross notional ${usd(r.grossNotional)} · uPnL ${usd(r.unrealizedPnl)} · funding ${signedUsd(r.funding8h)} per 8 h at current rates (+ received, − paid)`,
  ];
  const stale = [...new Set(r.rows.filter((p) => p.stale).map((p) => p.account))];
  if (stale.length) lines.push(`Last sync failed for ${stale.join(', ')}: their last good positions are shown.`);
  if (r.noData.length) lines.push(`No data yet (never synced): ${r.noData.join(', ')}.`);
  const tables: ViewTable[] = [];
  if (n > POSITIONS_SHOWN) {
    lines.push(`The ${POSITIONS_SHOWN} largest by notional are listed; all ${count(n)} are in ${POSITIONS_FILE}.`);
    const shown = rowsOf(r.rows.slice(0, POSITIONS_SHOWN));
    tables.push({ title: `Largest ${POSITIONS_SHOWN} by notional`, columns: COLUMNS, rows: shown });
    tables.push(new WholeBook(`All ${count(n)} positions`, shown, r.rows));
  } else if (n > 0) {
    tables.push({ columns: COLUMNS, rows: rowsOf(r.rows) });
  }
  return {
    title: where ? `Positions — ${where}` : 'Positions',
    tone: stale.length ? 'warn' : 'info',
    lines,
    tables,
    footer: 'Largest |notional| first · Liq dist = |mark − liq| / mark · Lev = |notional| / account equity · Fund/8h = −size × mark × rate per 8 h',
  };
}
