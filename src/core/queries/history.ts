import type { MetricPoint, MetricsStore } from '../ports/store.js';
import { METRIC, PORTFOLIO_SCOPE } from '../risk/history.js';
import type { AccountId, Symbol } from '../types.js';

/** What /history can show: five numbers per account (and for the portfolio), two per symbol. */
export const HISTORY_METRICS = ['utilization', 'equity', 'leverage', 'upnl', 'drawdown', 'netDelta', 'deviation'] as const;
export type HistoryMetric = (typeof HISTORY_METRICS)[number];

/** Metrics kept per symbol (the portfolio's net delta and deviation), not per account. */
export const SYMBOL_METRICS: readonly HistoryMetric[] = ['netDelta', 'deviation'];

/** The stored series of each metric, by scope (src/core/risk/history.ts writes them every tick). */
const ACCOUNT_SERIES: Partial<Record<HistoryMetric, string>> = {
  utilization: METRIC.utilization, equity: METRIC.equity, leverage: METRIC.leverage, upnl: METRIC.upnl, drawdown: METRIC.drawdown,
};
const PORTFOLIO_SERIES: Partial<Record<HistoryMetric, string>> = {
  utilization: METRIC.portfolioUtilization, equity: METRIC.portfolioEquity, leverage: METRIC.portfolioLeverage, upnl: METRIC.portfolioUpnl, drawdown: METRIC.portfolioDrawdown,
};
const SYMBOL_SERIES: Partial<Record<HistoryMetric, string>> = { netDelta: METRIC.netDelta, deviation: METRIC.deviation };

export interface HistoryRequest {
  /** One account's series; undefined: the portfolio's, and its symbols'. */
  account?: AccountId;
  /** One metric; undefined: every account metric (for the portfolio also the deviation per symbol). */
  metric?: HistoryMetric;
  /** The symbols whose series the portfolio shows. */
  symbols: readonly Symbol[];
  from: number;
  to: number;
  /** Most rows in the table (the chart gets every point). */
  limit: number;
}

export interface HistorySeries {
  metric: HistoryMetric;
  /** The account id, `portfolio`, or the symbol. */
  scope: string;
  /** Every stored point in [from, to], oldest first: raw samples, and hourly averages where those were folded. */
  points: MetricPoint[];
}

export interface HistoryReport {
  account?: AccountId;
  from: number;
  to: number;
  series: HistorySeries[];
  /** The table's times, newest first: at most `limit`, the last sample of each of `limit` equal slices of the window. */
  times: number[];
  /** values[s][i]: series s at times[i]; undefined where that series has no sample at that time. */
  values: (number | undefined)[][];
  /** Distinct sample times in the window, before thinning. */
  samples: number;
}

/** The series a request reads, in display order. */
export function historySeries(req: Pick<HistoryRequest, 'account' | 'metric' | 'symbols'>): { metric: HistoryMetric; scope: string; name: string }[] {
  if (req.account !== undefined) {
    const metrics = req.metric ? [req.metric] : HISTORY_METRICS.filter((m) => ACCOUNT_SERIES[m]);
    return metrics.flatMap((m) => {
      const name = ACCOUNT_SERIES[m];
      return name && req.account !== undefined ? [{ metric: m, scope: req.account, name }] : [];
    });
  }
  const portfolio = (req.metric ? [req.metric] : HISTORY_METRICS).flatMap((m) => {
    const name = PORTFOLIO_SERIES[m];
    return name ? [{ metric: m, scope: PORTFOLIO_SCOPE, name }] : [];
  });
  // Without a metric the portfolio shows the deviation per symbol; net delta when asked for.
  const perSymbol: HistoryMetric[] = req.metric ? (SYMBOL_SERIES[req.metric] ? [req.metric] : []) : ['deviation'];
  const symbols = perSymbol.flatMap((m) => req.symbols.map((s) => ({ metric: m, scope: s, name: SYMBOL_SERIES[m] ?? '' })));
  return [...portfolio, ...symbols];
}

/**
 * The last sample time in each of `limit` equal slices of [from, to], newest first. Every series of a
 * tick is stamped with the tick's time (and hourly rows with the hour's start), so the rows line up.
 */
function thin(times: readonly number[], from: number, to: number, limit: number): number[] {
  if (times.length <= limit) return [...times].reverse();
  const width = Math.max(1, to - from) / limit;
  const last = new Map<number, number>();
  for (const t of times) last.set(Math.min(limit - 1, Math.max(0, Math.floor((t - from) / width))), t);
  return [...last.values()].sort((a, b) => b - a);
}

/** The risk history a request asks for, from the metrics store (raw samples, then hourly rows). */
export async function readHistory(metrics: MetricsStore, req: HistoryRequest): Promise<HistoryReport> {
  const wanted = historySeries(req);
  const series: HistorySeries[] = await Promise.all(
    wanted.map(async (w) => ({ metric: w.metric, scope: w.scope, points: await metrics.range(w.name, w.scope, req.from, req.to) })),
  );
  const all = new Set<number>();
  for (const s of series) for (const p of s.points) all.add(p.ts);
  const sorted = [...all].sort((a, b) => a - b);
  const times = thin(sorted, req.from, req.to, Math.max(1, Math.floor(req.limit)));
  const values = series.map((s) => {
    const at = new Map(s.points.map((p) => [p.ts, p.value]));
    return times.map((t) => at.get(t));
  });
  return { account: req.account, from: req.from, to: req.to, series, times, values, samples: sorted.length };
}
