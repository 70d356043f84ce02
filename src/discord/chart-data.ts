import { METRIC } from '../core/risk/history.js';
import type { SummaryPayload } from '../core/outbox/payload.js';
import type { MetricPoint, MetricsStore } from '../store/types.js';

export interface ChartSeries {
  label: string;
  points: MetricPoint[];
}

/** What the daily chart draws: two panels over one time window. */
export interface SummaryChartData {
  from: number;
  to: number;
  /** Utilization per account (fractions). */
  utilization: ChartSeries[];
  /** Net-delta deviation per symbol (fractions). */
  deviation: ChartSeries[];
  /** Dashed reference line in the utilization panel. */
  utilizationTarget?: number;
}

/** The window and series of a summary, read from the metrics history (the same store /risk uses). */
export function summaryChartData(metrics: MetricsStore, payload: SummaryPayload): SummaryChartData {
  const s = payload.summary;
  const to = s.generatedAt;
  const from = to - s.windowMs;
  return {
    from,
    to,
    utilization: s.accounts.map((a) => ({ label: a.account, points: metrics.range(METRIC.utilization, a.account, from, to) })),
    deviation: s.symbols.map((x) => ({ label: x.symbol, points: metrics.range(METRIC.deviation, x.symbol, from, to) })),
    utilizationTarget: s.target,
  };
}
