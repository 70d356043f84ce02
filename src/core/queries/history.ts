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
  /** One metric; undefined: the five account (or portfolio) metrics. `netDelta` and `deviation`: per symbol, portfolio only. */
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
  /** The table's times, newest first: every sample time when they fit in `limit`, else the last of each of `limit` equal slices of the window. */
  times: number[];
  /** values[s][i]: series s at times[i]; undefined where that series has no sample at that time. */
  values: (number | undefined)[][];
  /** Sample times in the window before thinning (the most any one series has, when thinned). */
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
  // Per-symbol series only when asked for: each is as costly to read as the portfolio's own, and a
  // desk of twenty symbols would make the default read (and table) five times wider.
  const metric = req.metric;
  const symbolSeries = metric ? SYMBOL_SERIES[metric] : undefined;
  if (metric && symbolSeries) return req.symbols.map((s) => ({ metric, scope: s, name: symbolSeries }));
  return (metric ? [metric] : HISTORY_METRICS).flatMap((m) => {
    const name = PORTFOLIO_SERIES[m];
    return name ? [{ metric: m, scope: PORTFOLIO_SCOPE, name }] : [];
  });
}

/** Every sample time of the series, newest first (used when they fit within the limit). */
function allTimes(series: readonly HistorySeries[]): number[] {
  const all = new Set<number>();
  for (const s of series) for (const p of s.points) all.add(p.ts);
  return [...all].sort((a, b) => b - a);
}

/**
 * Thins to `limit` rows: the window is cut into `limit` equal slices and each series gives its last
 * sample in each slice (one pass over its points, which are oldest first). Every series of a tick is
 * stamped with the tick's time (hourly rows with the hour's start), so a slice's samples share a time;
 * the row shows the latest. Newest first; slices without any sample are left out.
 */
function thin(series: readonly HistorySeries[], from: number, to: number, limit: number): { times: number[]; values: (number | undefined)[][] } {
  const width = Math.max(1, to - from) / limit;
  const latest = new Array<number>(limit).fill(Number.NEGATIVE_INFINITY);
  const last = series.map((s) => {
    const values = new Array<number | undefined>(limit).fill(undefined);
    for (const p of s.points) {
      const i = Math.min(limit - 1, Math.max(0, Math.floor((p.ts - from) / width)));
      values[i] = p.value;
      if (p.ts > latest[i]!) latest[i] = p.ts;
    }
    return values;
  });
  const used: number[] = [];
  for (let i = limit - 1; i >= 0; i--) if (latest[i]! > Number.NEGATIVE_INFINITY) used.push(i);
  return { times: used.map((i) => latest[i]!), values: last.map((v) => used.map((i) => v[i])) };
}

/** The risk history a request asks for, from the metrics store (raw samples, then hourly rows). */
export async function readHistory(metrics: MetricsStore, req: HistoryRequest): Promise<HistoryReport> {
  const wanted = historySeries(req);
  const series: HistorySeries[] = await Promise.all(
    wanted.map(async (w) => ({ metric: w.metric, scope: w.scope, points: await metrics.range(w.name, w.scope, req.from, req.to) })),
  );
  const base = { account: req.account, from: req.from, to: req.to, series };
  const limit = Math.max(1, Math.floor(req.limit));
  const most = series.reduce((n, s) => Math.max(n, s.points.length), 0);
  if (most <= limit) {
    // Few enough, most likely: every sample time, with each series' value at it.
    const times = allTimes(series);
    if (times.length <= limit) {
      const values = series.map((s) => {
        const at = new Map(s.points.map((p) => [p.ts, p.value]));
        return times.map((t) => at.get(t));
      });
      return { ...base, times, values, samples: times.length };
    }
  }
  return { ...base, ...thin(series, req.from, req.to, limit), samples: most };
}
