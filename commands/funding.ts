import type { CoreContext } from '../src/app/context.js';
import { requireData } from '../src/app/context.js';
import { canonicalSymbol } from '../src/core/symbols.js';
import { buildFunding } from '../src/core/queries/funding.js';
import type { Command } from '../src/present/command.js';
import { isoTime, pct, qty, usd } from '../src/present/format.js';
import type { View } from '../src/present/view.js';

export const fundingCommand = {
  name: 'funding',
  description: 'Funding per venue (per 8 h and APR), next funding time and the book\'s net carry',
  options: [{ name: 'symbol', description: 'Only this symbol, e.g. BTC', type: 'string', autocomplete: 'symbol', maxLength: 32 }],
  handle(ctx, input): View {
    const { snapshot } = requireData(ctx);
    const raw = input.options['symbol'];
    const symbol = typeof raw === 'string' && raw.trim() ? canonicalSymbol(raw).symbol : undefined;
    const f = buildFunding(snapshot, symbol);
    const lines = [`Net carry ${usd(f.netCarry8h)} per 8 h (${pct(f.netCarryApr)} APR on ${usd(f.grossNotional, 0)} gross) — positive means the book earns.`];
    if (f.rows.length === 0) lines.push(symbol ? `No funding data for ${symbol}.` : 'No funding data yet.');
    return {
      title: symbol ? `Funding — ${symbol}` : 'Funding',
      tone: f.netCarry8h < 0 ? 'warn' : 'info',
      lines,
      tables: [{
        columns: [{ header: 'Symbol' }, { header: 'Venue' }, { header: 'Rate/8h', align: 'right' }, { header: 'APR', align: 'right' }, { header: 'Every' }, { header: 'Next' }, { header: 'Book', align: 'right' }, { header: 'Carry/8h', align: 'right' }],
        rows: f.rows.map((r) => [r.symbol, r.venue, pct(r.rate8h, 4), pct(r.apr), `${r.intervalHours}h`, r.nextFundingTime ? isoTime(r.nextFundingTime).slice(11, 16) + 'Z' : '—', qty(r.bookSize), usd(r.carry8h)]),
      }],
    };
  },
} satisfies Command<CoreContext>;
