import { resolveAccount, type CoreContext } from './context.js';
import { parseDuration } from '../src/config/duration.js';
import type { MetricsStore } from '../src/core/ports/store.js';
import { HISTORY_METRICS, readHistory, SYMBOL_METRICS } from '../src/core/queries/history.js';
import { canonicalSymbol } from '../src/core/symbols.js';
import type { Command, CommandInput } from '../src/present/command.js';
import { historyView } from '../src/present/history-view.js';
import type { View } from '../src/present/view.js';

/** What /history needs beyond the snapshot: the stored samples. */
export interface HistoryCommandCtx extends CoreContext {
  metrics: MetricsStore;
}

const HISTORY_DEFAULT_SINCE = '24h';
const HISTORY_DEFAULT_LIMIT = 100;
const MAX_LIMIT = 1000;

const DATE = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?)(Z|[+-]\d{2}:?\d{2})?)?$/i;

/**
 * `since` as a duration back from now (`6h`, `2d`, `90m`) or a date (`2026-12-01`, UTC midnight) or
 * an ISO date-time (`2026-12-01T08:00`, UTC unless it carries an offset). Undefined when it is neither,
 * or names an impossible date (2026-02-30).
 */
export function parseSince(text: string, now: number): number | undefined {
  const t = text.trim();
  const ms = parseDuration(t);
  if (ms !== undefined) return now - ms;
  const m = DATE.exec(t);
  if (!m?.[1]) return undefined;
  const at = Date.parse(`${m[1]}T${m[2] ?? '00:00'}${m[3]?.toUpperCase() ?? 'Z'}`);
  if (!Number.isFinite(at)) return undefined;
  // Date.parse rolls 2026-02-30 over to March: only a date that reads back the same is real.
  if (m[3] === undefined && new Date(at).toISOString().slice(0, 10) !== m[1]) return undefined;
  return at;
}

function str(input: CommandInput, name: string): string | undefined {
  const v = input.options[name];
  return typeof v === 'string' && v.trim() ? v.trim() : undefined;
}

function problem(message: string): View {
  return { title: 'Not done', tone: 'warn', lines: [message], ephemeral: true };
}

/** The symbols the portfolio's history lists: those configured and those in the latest risk report. */
function symbolsOf(ctx: CoreContext): string[] {
  const set = new Set(Object.keys(ctx.config.symbols).map((s) => canonicalSymbol(s).symbol));
  for (const d of ctx.engine.risk()?.portfolio.deltas ?? []) set.add(d.symbol);
  return [...set].sort();
}

export const historyCommand = {
  name: 'history',
  description: 'Risk history from the stored samples: utilization, equity, leverage, uPnL, drawdown, net delta',
  options: [
    { name: 'account', description: 'This account (default: the portfolio and its symbols)', type: 'string', autocomplete: 'account', maxLength: 64 },
    { name: 'metric', description: 'Only this metric', type: 'string', choices: HISTORY_METRICS.map((m) => ({ name: m, value: m })) },
    { name: 'since', description: `How far back: 6h, 2d, or a date 2026-12-01 (UTC) (default ${HISTORY_DEFAULT_SINCE})`, type: 'string', maxLength: 32 },
    { name: 'limit', description: `Rows in the table, spread over the window (default ${HISTORY_DEFAULT_LIMIT})`, type: 'integer', min: 1, max: MAX_LIMIT },
  ],
  async handle(ctx, input): Promise<View> {
    const now = ctx.now();
    const since = str(input, 'since') ?? HISTORY_DEFAULT_SINCE;
    const from = parseSince(since, now);
    if (from === undefined) return problem(`"${since.slice(0, 32)}" is neither a duration (6h, 2d) nor a date (2026-12-01, 2026-12-01T08:00).`);
    if (from >= now) return problem(`since ${since.slice(0, 32)} is not in the past.`);
    const rawAccount = str(input, 'account');
    const account = rawAccount ? resolveAccount(ctx.config, rawAccount) : undefined;
    const rawMetric = str(input, 'metric');
    const metric = HISTORY_METRICS.find((m) => m.toLowerCase() === rawMetric?.toLowerCase());
    if (rawMetric && !metric) return problem(`Unknown metric "${rawMetric.slice(0, 32)}"; one of ${HISTORY_METRICS.join(', ')}.`);
    if (account && metric && SYMBOL_METRICS.includes(metric)) return problem(`${metric} is kept per symbol for the portfolio: leave account empty.`);
    const rawLimit = input.options['limit'];
    const limit = typeof rawLimit === 'number' && Number.isFinite(rawLimit) ? Math.min(MAX_LIMIT, Math.max(1, Math.trunc(rawLimit))) : HISTORY_DEFAULT_LIMIT;
    const report = await readHistory(ctx.metrics, { account, metric, symbols: symbolsOf(ctx), from, to: now, limit });
    return historyView(report, { rawRetentionMs: ctx.config.store.rawRetention, since });
  },
} satisfies Command<HistoryCommandCtx>;
