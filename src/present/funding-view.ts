import type { FundingReport } from '../core/queries/funding.js';
import { isoTime, pct, qty, usd } from './format.js';
import type { View } from './view.js';

/**
 * The net carry line. Its APR divides by the gross notional of the positions (long and short both
 * count), so a fully hedged book shows a small APR on a large gross rather than "0 % on $0"; without
 * any position there is no APR to speak of, and the line says why.
 */
function carryLine(f: FundingReport): string {
  if (f.grossNotional > 0) {
    return `Net carry ${usd(f.netCarry8h)} per 8 h (${pct(f.netCarryApr)} APR on ${usd(f.grossNotional, 0)} gross) — positive means the book earns.`;
  }
  return `Net carry ${usd(f.netCarry8h)} per 8 h — the book holds no position on a contract with a funding quote.`;
}

/** `/funding`: funding per venue (per 8 h and APR), next funding time and the book's net carry. */
export function fundingView(f: FundingReport, symbol: string | undefined): View {
  const lines = [carryLine(f)];
  if (f.rows.length === 0) lines.push(symbol ? `No funding data for ${symbol}.` : 'No funding data yet.');
  return {
    title: symbol ? `Funding — ${symbol}` : 'Funding',
    tone: f.netCarry8h < 0 ? 'warn' : 'info',
    lines,
    tables: [
      {
        columns: [
          { header: 'Symbol' }, { header: 'Venue' }, { header: 'Rate/8h', align: 'right' }, { header: 'APR', align: 'right' }, { header: 'Every' },
          { header: 'Next' }, { header: 'Book', align: 'right' }, { header: 'Gross', align: 'right' }, { header: 'Carry/8h', align: 'right' },
        ],
        rows: f.rows.map((r) => [
          r.symbol, r.venue, pct(r.rate8h, 4), pct(r.apr), `${r.intervalHours}h`,
          r.nextFundingTime ? isoTime(r.nextFundingTime).slice(11, 16) + 'Z' : '—',
          qty(r.bookSize), usd(r.grossNotional, 0), usd(r.carry8h),
        ]),
      },
    ],
  };
}
