import type { Position, VenueId } from '../../types.js';
import { levelBelow } from '../../thresholds/levels.js';
import { resolveMaxPositionSize, resolveThresholds } from '../../thresholds/resolve.js';
import { crossed } from './severity.js';
import type { Condition, Rule, RuleInput } from './types.js';
import { numText, pctText } from './text.js';

/** Positions of each account with a state, grouped by canonical symbol (hedge mode can report two). */
function positionsBySymbol(input: RuleInput): { account: string; venue: VenueId; symbol: string; positions: Position[] }[] {
  const out: { account: string; venue: VenueId; symbol: string; positions: Position[] }[] = [];
  for (const a of input.snapshot.accounts) {
    // Runs for every account twice a tick: no sort when the symbols already come in order (they do).
    const groups = new Map<string, Position[]>();
    for (const p of a.state?.positions ?? []) {
      if (p.size === 0) continue;
      const g = groups.get(p.symbol);
      if (g) g.push(p);
      else groups.set(p.symbol, [p]);
    }
    const entries = [...groups];
    let ordered = true;
    for (let i = 1; i < entries.length; i++) if (entries[i - 1]![0].localeCompare(entries[i]![0]) > 0) ordered = false;
    if (!ordered) entries.sort(([x], [y]) => x.localeCompare(y));
    for (const [symbol, positions] of entries) out.push({ account: a.id, venue: a.venue, symbol, positions });
  }
  return out;
}

/**
 * `liquidation` per position: |mark − liq| / mark (design.md §2, the per-position term of the
 * account's liquidationDistance), so per account-and-symbol thresholds apply and the alert names the
 * position at risk. `position-limit`: |size| over maxPositionSize.
 */
export const positionRules: Rule = (input) => {
  const out: Condition[] = [];
  for (const g of positionsBySymbol(input)) {
    const sources = [g.account];
    const t = resolveThresholds(input.config, g.account, g.symbol);
    let closest: number | undefined;
    for (const p of g.positions) {
      const mark = p.markPrice ?? input.snapshot.prices[g.symbol]?.mark;
      if (p.liquidationPrice === undefined || mark === undefined || !(mark > 0)) continue;
      const d = Math.abs(mark - p.liquidationPrice) / mark;
      closest = closest === undefined ? d : Math.min(closest, d);
    }
    const near = crossed(levelBelow(closest, t.liquidation), t.liquidation);
    if (closest !== undefined && near) {
      out.push({
        type: 'liquidation',
        account: g.account,
        symbol: g.symbol,
        severity: near.severity,
        value: closest,
        threshold: near.threshold,
        summary: `${g.symbol} ${pctText(closest)} from liquidation (< ${pctText(near.threshold)})`,
        sources,
      });
    }
    const limit = resolveMaxPositionSize(input.config, g.account, g.symbol);
    const largest = Math.max(...g.positions.map((p) => Math.abs(p.size)));
    if (limit !== undefined && largest > limit) {
      out.push({
        type: 'position-limit',
        account: g.account,
        symbol: g.symbol,
        severity: 'CRITICAL',
        value: largest,
        threshold: limit,
        summary: `${g.symbol} position ${numText(largest)} > max ${numText(limit)}`,
        sources,
      });
    }
  }
  return out;
};

/** `funding`: the absolute rate per 8 h of a held symbol on the account's venue above the threshold. */
export const fundingRule: Rule = (input) => {
  const out: Condition[] = [];
  const warn = input.config.thresholds.funding.warn8h;
  for (const g of positionsBySymbol(input)) {
    const quotes = input.snapshot.funding[g.venue] ?? [];
    const q = quotes.find((f) => f.symbol === g.symbol);
    if (!q || !(q.intervalHours > 0)) continue;
    const rate8h = (q.rate * 8) / q.intervalHours;
    if (Math.abs(rate8h) <= warn) continue;
    const net = g.positions.reduce((s, p) => s + p.size, 0);
    const payer = rate8h > 0 ? 'longs pay' : 'shorts pay';
    const side = net === 0 ? '' : (net > 0) === rate8h > 0 ? ', this position pays' : ', this position receives';
    out.push({
      type: 'funding',
      account: g.account,
      symbol: g.symbol,
      severity: 'WARN',
      value: rate8h,
      threshold: warn,
      summary: `${g.symbol} funding ${pctText(rate8h, 3)}/8h (${payer}${side})`,
      sources: [g.account],
    });
  }
  return out;
};
