import { requireData, type CoreContext } from './context.js';
import type { ActionResult } from '../src/core/alerts/service.js';
import type { SymbolFeeds } from '../src/core/feeds/types.js';
import { canonicalSymbol } from '../src/core/symbols.js';
import type { Snapshot } from '../src/core/types.js';
import type { Actor } from '../src/core/ports/actor.js';
import type { Command, CommandInput } from '../src/present/command.js';
import { age, price } from '../src/present/format.js';
import type { Tone, View, ViewTable } from '../src/present/view.js';

/** What /feeds needs beyond the snapshot: live feed status and the admin's manual failover. */
export interface FeedsPort {
  status(): SymbolFeeds[];
  failover(actor: Actor, symbol: string, source: string, reason: string): Promise<ActionResult<SymbolFeeds>>;
}

export interface FeedsCommandCtx extends CoreContext {
  /** Absent where no feed manager runs: /feeds then shows the snapshot's prices only. */
  feeds?: FeedsPort;
}

function str(input: CommandInput, name: string): string | undefined {
  const v = input.options[name];
  return typeof v === 'string' && v.trim() ? v.trim() : undefined;
}

const clip = (s: string, n: number): string => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/** Symbols the book holds or the config names: the default list (a venue can quote hundreds). */
function watched(ctx: CoreContext, snapshot: Snapshot | undefined): Set<string> {
  const set = new Set(Object.keys(ctx.config.symbols).map((s) => canonicalSymbol(s).symbol));
  for (const a of snapshot?.accounts ?? []) for (const p of a.state?.positions ?? []) if (p.size !== 0) set.add(p.symbol);
  return set;
}

function note(f: SymbolFeeds, name: string): string {
  if (f.active === name) return f.pinned?.source === name ? 'active (pinned)' : 'active';
  const feed = f.feeds.find((x) => x.name === name);
  return feed && feed.state !== 'healthy' ? clip(feed.reason, 44) : 'standby';
}

function feedsTable(list: readonly SymbolFeeds[], now: number): ViewTable {
  const rows = list.flatMap((f) =>
    f.feeds.map((x) => [
      f.symbol, x.name, price(x.mark), x.state, x.latencyMs === undefined ? '—' : `${Math.round(x.latencyMs)} ms`,
      x.lastUpdateAt === undefined ? 'never' : age(now - x.lastUpdateAt), String(x.errorCount), note(f, x.name),
    ]),
  );
  const cols = ['Symbol', 'Feed', 'Mark', 'State', 'Latency', 'Updated', 'Errors', 'Note'];
  return { columns: cols.map((header) => ({ header, ...(['Mark', 'Latency', 'Errors'].includes(header) ? { align: 'right' as const } : {}) })), rows };
}

/** One line per symbol that is not simply on its primary feed: who serves it and why. */
function whyLines(list: readonly SymbolFeeds[]): string[] {
  return list
    .filter((f) => f.active === undefined || f.active !== f.primary || f.pinned)
    .map((f) => `${f.symbol}: ${f.active ?? 'no feed'} — ${clip(f.activeReason, 160)}`);
}

function toneOf(list: readonly SymbolFeeds[]): Tone {
  if (list.some((f) => f.active === undefined)) return 'critical';
  if (list.some((f) => f.active !== f.primary || f.feeds.some((x) => x.state !== 'healthy'))) return 'warn';
  return 'info';
}

function feedsView(ctx: FeedsCommandCtx, all: SymbolFeeds[], symbol: string | undefined): View {
  const snapshot = ctx.engine.snapshot();
  const keep = symbol ? new Set([symbol]) : watched(ctx, snapshot);
  const list = all.filter((f) => keep.has(f.symbol));
  const shown = list.length || symbol ? list : all;
  const backup = shown.filter((f) => f.active !== undefined && f.active !== f.primary).length;
  const none = shown.filter((f) => f.active === undefined).length;
  const failing = shown.reduce((n, f) => n + f.feeds.filter((x) => !x.ok).length, 0);
  const lines = [`${shown.length} symbol${shown.length === 1 ? '' : 's'} · ${backup} on a backup feed · ${none} without a feed · ${failing} feed${failing === 1 ? '' : 's'} failing`];
  if (!symbol && shown.length < all.length) lines.push(`Showing the symbols held or configured (${shown.length} of ${all.length}); add symbol: for any other.`);
  if (symbol && shown.length === 0) lines.push(`No price feed quotes ${symbol}.`);
  lines.push(...whyLines(shown));
  return { title: symbol ? `Price feeds — ${symbol}` : 'Price feeds', tone: toneOf(shown), lines, tables: [feedsTable(shown, ctx.now())] };
}

/** Without a feed manager: the snapshot's chosen price per symbol. */
function pricesView(ctx: CoreContext, symbol: string | undefined): View {
  const { snapshot } = requireData(ctx);
  const rows = Object.entries(snapshot.prices)
    .filter(([s]) => !symbol || s === symbol)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([s, p]) => [s, p.source, price(p.mark), price(p.index), age(ctx.now() - p.ts)]);
  return {
    title: 'Price feeds',
    lines: rows.length ? [] : ['No prices yet.'],
    tables: [{ columns: [{ header: 'Symbol' }, { header: 'Source' }, { header: 'Mark', align: 'right' }, { header: 'Index', align: 'right' }, { header: 'Updated' }], rows }],
  };
}

function problem(message: string): View {
  return { title: 'Not done', tone: 'warn', lines: [message], ephemeral: true };
}

async function failover(ctx: FeedsCommandCtx, input: CommandInput, symbol: string | undefined, source: string): Promise<View> {
  if (!ctx.feeds) return problem('Feed failover is not available here: no feed manager is running.');
  // The control checks the admin first and audits every attempt, so even an incomplete one goes there.
  const reason = str(input, 'reason') ?? '';
  const r = await ctx.feeds.failover(input.actor, symbol ?? '', source, reason);
  // A refusal is thrown as its DeltaOpsError (3001): the router answers it with an error id like every error.
  if (!r.ok) {
    if (r.reason === 'refused') throw r.error;
    return problem(r.message);
  }
  const f = r.value;
  const view = feedsView(ctx, [f], f.symbol);
  view.title = f.pinned ? `${f.symbol} pinned to ${f.pinned.source}` : `${f.symbol} back on automatic feed choice`;
  view.tone = 'ok';
  view.lines = [`By ${input.actor.name}: ${clip(reason, 300)}`, `Active feed: ${f.active ?? 'none'}. Prices switch at the next tick.`, ...(f.pinned ? ['Undo with source:auto.'] : [])];
  return view;
}

export const feedsCommand = {
  name: 'feeds',
  description: 'Price feeds per symbol: health, latency, age, errors, the active feed; admins can fail over',
  options: [
    { name: 'symbol', description: 'Only this symbol, e.g. BTC (required to fail over)', type: 'string', autocomplete: 'symbol', maxLength: 32 },
    { name: 'source', description: 'Admin: fail the symbol over to this feed, or "auto" for automatic choice', type: 'string', autocomplete: 'feed', maxLength: 32 },
    { name: 'reason', description: 'Why you fail over (kept in the audit log)', type: 'string', maxLength: 500 },
  ],
  async handle(ctx, input): Promise<View> {
    const raw = str(input, 'symbol');
    const symbol = raw ? canonicalSymbol(raw).symbol : undefined;
    const source = str(input, 'source');
    if (source) return failover(ctx, input, symbol, source);
    requireData(ctx);
    const all = ctx.feeds?.status() ?? ctx.engine.snapshot()?.feeds;
    return all ? feedsView(ctx, all, symbol) : pricesView(ctx, symbol);
  },
} satisfies Command<FeedsCommandCtx>;
