import { sliceOf, type MetricPoint, type MetricsStore } from '../ports/store.js';
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
  /** Most rows in the table (the chart gets up to CHART_POINTS points per series). */
  limit: number;
}

/** Points per series in the chart: every point up to about this many, else the last of each of about this many equal slices. */
export const CHART_POINTS = 500;
/**
 * Points the lines of one chart panel share at most (20 symbols' deviation: 100 each): more than a
 * ~760 px panel of overlapping lines shows, and each costs the store a seek.
 */
export const PANEL_POINTS = 2_500;

/**
 * The slices of a request's one read per series, when `lines` series share a chart panel: the largest
 * multiple of the table's limit up to CHART_POINTS (and PANEL_POINTS / lines), the limit itself when
 * that is larger; so a table row's slice is a run of whole chart slices, and the chart's points give
 * the table's rows.
 */
export function chartSlices(limit: number, lines = 1): number {
  const most = Math.min(CHART_POINTS, Math.floor(PANEL_POINTS / Math.max(1, lines)));
  return limit >= most ? limit : limit * Math.floor(most / limit);
}

export interface HistorySeries {
  metric: HistoryMetric;
  /** The account id, `portfolio`, or the symbol. */
  scope: string;
  /**
   * The stored points in [from, to] for the chart, oldest first: raw samples, and hourly averages where
   * those were folded; every one up to `chartSlices(limit, …)`, else the last of each of that many equal slices.
   */
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
  /**
   * Sample times in the window before thinning (the most any one series has, when thinned); undefined
   * when a series has more than its read's slices (the store thins it without counting every sample).
   */
  samples?: number;
  /** Set when the table was thinned: the number of equal slices the window was cut into (the limit). */
  slices?: number;
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
function allTimes(series: readonly (readonly MetricPoint[])[]): number[] {
  const all = new Set<number>();
  for (const s of series) for (const p of s) all.add(p.ts);
  return [...all].sort((a, b) => b - a);
}

/**
 * Thins to `limit` rows: each series' points (oldest first) give their last in each slice (`slice(ts)`,
 * 0 … limit − 1). Every series of a tick is stamped with the tick's time (hourly rows with the hour's
 * start), so a slice's samples share a time; the row shows the latest. Newest first; slices without
 * any sample are left out.
 */
function thin(series: readonly (readonly MetricPoint[])[], slice: (ts: number) => number, limit: number): { times: number[]; values: (number | undefined)[][] } {
  const latest = new Array<number>(limit).fill(Number.NEGATIVE_INFINITY);
  const last = series.map((s) => {
    const values = new Array<number | undefined>(limit).fill(undefined);
    for (const p of s) {
      const i = slice(p.ts);
      values[i] = p.value;
      if (p.ts > latest[i]!) latest[i] = p.ts;
    }
    return values;
  });
  const used: number[] = [];
  for (let i = limit - 1; i >= 0; i--) if (latest[i]! > Number.NEGATIVE_INFINITY) used.push(i);
  return { times: used.map((i) => latest[i]!), values: last.map((v) => used.map((i) => v[i])) };
}

/**
 * The risk history a request asks for, from the metrics store (raw samples, then hourly rows), thinned
 * by the store: one read per series of `chartSlices` slices (every point when there are no more)
 * gives the chart's points, and the table's rows are the last of each run of whole chart slices, which
 * is what thinning every point to `limit` slices gives.
 */
export async function readHistory(metrics: MetricsStore, req: HistoryRequest): Promise<HistoryReport> {
  const wanted = historySeries(req);
  const limit = Math.max(1, Math.floor(req.limit));
  // Series of one metric share a panel (the per-symbol views); otherwise each metric has its own.
  const perMetric = new Map<HistoryMetric, number>();
  for (const w of wanted) perMetric.set(w.metric, (perMetric.get(w.metric) ?? 0) + 1);
  const slices = chartSlices(limit, Math.max(1, ...perMetric.values()));
  const read = await Promise.all(wanted.map((w) => metrics.rangeSampled(w.name, w.scope, req.from, req.to, slices)));
  const points = read.map((r) => r.points);
  const series: HistorySeries[] = wanted.map((w, i) => ({ metric: w.metric, scope: w.scope, points: points[i]! }));
  const base = { account: req.account, from: req.from, to: req.to, series };
  const most = read.reduce((n, r) => Math.max(n, r.samples), 0);
  if (most <= limit) {
    // Few enough, most likely: every sample time, with each series' value at it.
    const times = allTimes(points);
    if (times.length <= limit) {
      const values = points.map((list) => {
        const at = new Map(list.map((p) => [p.ts, p.value]));
        return times.map((t) => at.get(t));
      });
      return { ...base, times, values, samples: times.length };
    }
  }
  const perRow = slices / limit;
  const slice = (ts: number): number => Math.floor(sliceOf(ts, req.from, req.to, slices) / perRow);
  return { ...base, ...thin(points, slice, limit), samples: most <= slices ? most : undefined, slices: limit };
}
