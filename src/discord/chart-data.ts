import { METRIC } from '../core/risk/history.js';
import type { SummaryPayload } from '../core/outbox/payload.js';
import type { MetricPoint, MetricsStore } from '../core/ports/store.js';

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
export async function summaryChartData(metrics: MetricsStore, payload: SummaryPayload): Promise<SummaryChartData> {
  const s = payload.summary;
  const to = s.generatedAt;
  const from = to - s.windowMs;
  return {
    from,
    to,
    utilization: await Promise.all(s.accounts.map(async (a) => ({ label: a.account, points: await metrics.range(METRIC.utilization, a.account, from, to) }))),
    deviation: await Promise.all(s.symbols.map(async (x) => ({ label: x.symbol, points: await metrics.range(METRIC.deviation, x.symbol, from, to) }))),
    utilizationTarget: s.target,
  };
}
