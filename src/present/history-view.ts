import type { HistoryMetric, HistoryReport, HistorySeries } from '../core/queries/history.js';
import { SYMBOL_METRICS } from '../core/queries/history.js';
import { isoTime, pct, qty, usd } from './format.js';
import type { ChartUnit, View, ViewChartPanel, ViewTable } from './view.js';

interface MetricText {
  header: string;
  unit: ChartUnit;
  format(v: number): string;
}

const ratio = (v: number): string => `${v.toFixed(2)}x`;

/** 48h, 2d, 90m: a retention as the config writes it. */
function span(ms: number): string {
  const HOUR = 3_600_000;
  if (ms % (24 * HOUR) === 0 && ms >= 3 * 24 * HOUR) return `${ms / (24 * HOUR)}d`;
  if (ms % HOUR === 0) return `${ms / HOUR}h`;
  return `${Math.round(ms / 60_000)}m`;
}

/** Each metric's column header, chart unit and number format: the same as /risk and /status show. */
const METRIC_TEXT: Record<HistoryMetric, MetricText> = {
  utilization: { header: 'Utilization', unit: 'percent', format: (v) => pct(v) },
  equity: { header: 'Equity', unit: 'usd', format: (v) => usd(v) },
  leverage: { header: 'Leverage', unit: 'ratio', format: ratio },
  upnl: { header: 'uPnL', unit: 'usd', format: (v) => usd(v) },
  drawdown: { header: 'Drawdown', unit: 'percent', format: (v) => pct(v) },
  netDelta: { header: 'Net delta', unit: 'number', format: qty },
  deviation: { header: 'Deviation', unit: 'percent', format: (v) => pct(v) },
};

export interface HistoryViewOptions {
  /** `store.rawRetention`: older samples were folded into hourly averages. */
  rawRetentionMs: number;
  /** The `since` as typed, for the title line. */
  since: string;
}

function cell(v: number | undefined, m: HistoryMetric): string {
  return v === undefined ? '—' : METRIC_TEXT[m].format(v);
}

/** One row per time (newest first), one column per series: the metrics of one scope, or one metric per symbol. */
function table(r: HistoryReport, picked: readonly number[], perSymbol: boolean): ViewTable {
  const rows: string[][] = [];
  r.times.forEach((t, i) => {
    if (picked.every((s) => r.values[s]?.[i] === undefined)) return;
    rows.push([isoTime(t), ...picked.map((s) => cell(r.values[s]?.[i], r.series[s]!.metric))]);
  });
  const header = (s: HistorySeries): string => (perSymbol ? s.scope : METRIC_TEXT[s.metric].header);
  return {
    title: perSymbol && picked.length ? `${METRIC_TEXT[r.series[picked[0]!]!.metric].header} per symbol` : undefined,
    columns: [{ header: 'Time (UTC)' }, ...picked.map((s) => ({ header: header(r.series[s]!), align: 'right' as const }))],
    rows,
  };
}

/** `/history`: the stored risk history as a table (thinned to the limit) and a chart (thinned to about CHART_POINTS points a series). */
export function historyView(r: HistoryReport, opts: HistoryViewOptions): View {
  const scope = r.account ?? 'portfolio';
  const perSymbol = r.series.some((s) => SYMBOL_METRICS.includes(s.metric));
  // Symbols never held in the window have no samples: no column, no line in the chart.
  const shown = r.series.map((s, i) => ({ s, i })).filter(({ s }) => s.points.length > 0 || !perSymbol);
  const lines = [
    r.samples === 0
      ? `No samples for ${scope} since ${isoTime(r.from)}.`
      : `${r.samples === undefined ? 'Samples' : `${r.samples.toLocaleString('en-US')} sample time${r.samples === 1 ? '' : 's'}`} from ${isoTime(r.from)} to ${isoTime(r.to)}` +
        (r.slices === undefined ? ', newest first.' : r.slices === 1 ? '; the table shows the last one.' : `; the table shows the last of each 1/${r.slices} of the window (${r.times.length} rows), newest first.`),
  ];
  if (r.account === undefined && !perSymbol) lines.push('Per symbol: metric:deviation or metric:netDelta.');
  if (r.from < r.to - opts.rawRetentionMs) lines.push(`Samples older than ${span(opts.rawRetentionMs)} are hourly averages (the store keeps every tick for ${span(opts.rawRetentionMs)}).`);
  const panels: ViewChartPanel[] = [...new Set(shown.map(({ s }) => s.metric))].map((m) => ({
    title: perSymbol ? `${METRIC_TEXT[m].header} per symbol (UTC)` : `${METRIC_TEXT[m].header} — ${scope} (UTC)`,
    unit: METRIC_TEXT[m].unit,
    series: shown.filter(({ s }) => s.metric === m).map(({ s }) => ({ label: s.scope, points: s.points })),
  }));
  return {
    title: `History — ${scope} since ${opts.since}`,
    lines,
    tables: shown.length ? [table(r, shown.map(({ i }) => i), perSymbol)] : [],
    chart: r.samples !== 0 ? { file: `history-${scope}.png`, from: r.from, to: r.to, panels } : undefined,
    footer: 'Values as /risk computed them at each tick (drawdown over its look-back window).',
  };
}
