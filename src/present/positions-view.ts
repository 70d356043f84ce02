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
 * The rows' cells. Marks repeat across a symbol's rows, so prices are formatted once each: a large book
 * is formatted whole (its attachment), and number formatting is most of that time.
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
  const rows = rowsOf(r.rows);
  if (n > POSITIONS_SHOWN) {
    lines.push(`The ${POSITIONS_SHOWN} largest by notional are listed; all ${count(n)} are in ${POSITIONS_FILE}.`);
    tables.push({ title: `Largest ${POSITIONS_SHOWN} by notional`, columns: COLUMNS, rows: rows.slice(0, POSITIONS_SHOWN) });
    tables.push({ title: `All ${count(n)} positions`, columns: COLUMNS, rows, attachment: POSITIONS_FILE });
  } else if (n > 0) {
    tables.push({ columns: COLUMNS, rows });
  }
  return {
    title: where ? `Positions — ${where}` : 'Positions',
    tone: stale.length ? 'warn' : 'info',
    lines,
    tables,
    footer: 'Largest |notional| first · Liq dist = |mark − liq| / mark · Lev = |notional| / account equity · Fund/8h = −size × mark × rate per 8 h',
  };
}
