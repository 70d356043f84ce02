import { createCanvas, type SKRSContext2D } from '@napi-rs/canvas';
import type { MetricPoint } from '../core/ports/store.js';
import type { ChartUnit, ViewChart } from '../present/view.js';
import type { ChartSeries, SummaryChartData } from './chart-data.js';

/** Colours that stay apart on Discord's dark and light themes (the chart has its own white background). */
const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf', '#bcbd22', '#7f7f7f'];
const WIDTH = 1000;
const PANEL_HEIGHT = 300;
/** A view's chart stacks one panel per metric: a little lower each, so five stay readable. */
const VIEW_PANEL_HEIGHT = 260;
const MARGIN = { left: 72, right: 170, top: 36, bottom: 34 };
const FONT = 'sans-serif';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** The y axis: bottom, top and the step between grid lines. */
interface Range {
  lo: number;
  hi: number;
  step: number;
}

interface PanelData {
  from: number;
  to: number;
  series: ChartSeries[];
  title: string;
  unit: ChartUnit;
  reference?: number;
  empty: string;
}

/** Decimals that show a grid step exactly (0.25 → 2, 5 → 0), at most 6. */
function decimalsOf(step: number): number {
  const text = String(Number(step.toPrecision(6)));
  return Math.min(6, text.includes('e-') ? Number(text.split('e-')[1]) : (text.split('.')[1]?.length ?? 0));
}

/** One suffix for every label of an axis: k, M or B for large money and sizes. */
interface Scale {
  div: number;
  suffix: string;
}

function scaleFor(unit: ChartUnit, magnitude: number): Scale {
  if (unit === 'percent' || unit === 'ratio') return { div: 1, suffix: '' };
  if (magnitude >= 1e9) return { div: 1e9, suffix: 'B' };
  if (magnitude >= 1e6) return { div: 1e6, suffix: 'M' };
  if (magnitude >= 1e4) return { div: 1e3, suffix: 'k' };
  return { div: 1, suffix: '' };
}

/** A label in the panel's unit, with the decimals that `step` needs (a grid step, or the legend's precision). */
function label(v: number, unit: ChartUnit, step: number, scale: Scale): string {
  switch (unit) {
    case 'percent':
      return `${(v * 100).toFixed(decimalsOf(step * 100))}%`;
    case 'ratio':
      return `${v.toFixed(decimalsOf(step))}x`;
    case 'usd':
      return `${v < 0 ? '-' : ''}$${(Math.abs(v) / scale.div).toFixed(decimalsOf(step / scale.div))}${scale.suffix}`;
    case 'number':
      return `${String(Number((v / scale.div).toPrecision(6)))}${scale.suffix}`;
  }
}

/** The legend's latest value: 0.1 % for fractions, cents (or 0.01 of the suffix) for money. */
function legendLabel(v: number, unit: ChartUnit): string {
  const scale = scaleFor(unit, Math.abs(v));
  const step = unit === 'percent' ? 0.001 : unit === 'ratio' ? 0.01 : scale.div / 100;
  return label(v, unit, step, scale);
}

/** A "nice" upper bound for the y axis: 1, 2, 2.5 or 5 × 10^k above the largest value. */
function niceMax(v: number): number {
  if (!(v > 0)) return 0.1;
  const exp = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * exp >= v) return m * exp;
  return 10 * exp;
}

/**
 * Fractions and multiples (utilization, deviation, drawdown, leverage) start at 0, in five steps up to a
 * nice bound, as the daily summary always drew them; money and sizes get a tight range around their
 * values (equity moving 10,000 → 9,800 would be a flat line on a zero-based axis), negatives included.
 */
function rangeOf(values: readonly number[], reference: number | undefined, unit: ChartUnit): Range {
  const all = reference === undefined ? values : [...values, reference];
  const min = all.length ? Math.min(...all) : 0;
  const max = all.length ? Math.max(...all) : 0;
  if ((unit === 'percent' || unit === 'ratio') && min >= 0) {
    const hi = niceMax(max);
    return { lo: 0, hi, step: hi / 5 };
  }
  let lo = min;
  let hi = max;
  if (!(hi > lo)) {
    const pad = Math.abs(hi) * 0.05 || 1;
    lo -= pad;
    hi += pad;
  }
  const step = niceMax((hi - lo) / 5);
  return { lo: Math.floor(lo / step) * step, hi: Math.ceil(hi / step) * step, step };
}

/** Lines break where samples are missing (a failed sync) instead of bridging the gap. */
function segments(points: readonly MetricPoint[]): MetricPoint[][] {
  if (points.length < 2) return points.length ? [[...points]] : [];
  const steps = points.slice(1).map((p, i) => p.ts - points[i]!.ts).sort((a, b) => a - b);
  const typical = steps[Math.floor(steps.length / 2)] ?? 0;
  const out: MetricPoint[][] = [[points[0]!]];
  for (let i = 1; i < points.length; i++) {
    if (points[i]!.ts - points[i - 1]!.ts > Math.max(3 * typical, 60_000)) out.push([]);
    out[out.length - 1]!.push(points[i]!);
  }
  return out;
}

/** Time ticks on round UTC times: every 15 min up to 3 h, hourly to 12 h, 4-hourly to 2 days, then daily. */
function timeTicks(from: number, to: number): { step: number; text: (t: number) => string } {
  const span = Math.max(1, to - from);
  if (span > 2 * DAY) {
    const step = Math.max(1, Math.ceil(span / (8 * DAY))) * DAY;
    return { step, text: (t) => new Date(t).toISOString().slice(5, 10) };
  }
  const step = span > 12 * HOUR ? 4 * HOUR : span > 3 * HOUR ? HOUR : 15 * 60_000;
  return { step, text: (t) => new Date(t).toISOString().slice(11, 16) };
}

function drawAxes(g: SKRSContext2D, box: Box, data: PanelData, range: Range): void {
  g.fillStyle = '#222';
  g.font = `bold 15px ${FONT}`;
  g.textAlign = 'left';
  g.textBaseline = 'alphabetic';
  g.fillText(data.title, box.x, box.y - 12);
  g.font = `12px ${FONT}`;
  g.lineWidth = 1;
  const scale = scaleFor(data.unit, Math.max(Math.abs(range.lo), Math.abs(range.hi)));
  const lines = Math.max(1, Math.round((range.hi - range.lo) / range.step));
  for (let i = 0; i <= lines; i++) {
    const v = range.lo + ((range.hi - range.lo) * i) / lines;
    const y = box.y + box.h - (box.h * i) / lines;
    g.strokeStyle = i === 0 || Math.abs(v) < range.step / 1e6 ? '#888' : '#e4e4e4';
    g.beginPath();
    g.moveTo(box.x, y + 0.5);
    g.lineTo(box.x + box.w, y + 0.5);
    g.stroke();
    g.fillStyle = '#555';
    g.textAlign = 'right';
    g.textBaseline = 'middle';
    g.fillText(label(v, data.unit, range.step, scale), box.x - 6, y);
  }
  const span = Math.max(1, data.to - data.from);
  const ticks = timeTicks(data.from, data.to);
  g.textAlign = 'center';
  g.textBaseline = 'top';
  for (let t = Math.ceil(data.from / ticks.step) * ticks.step; t <= data.to; t += ticks.step) {
    const x = box.x + ((t - data.from) / span) * box.w;
    g.strokeStyle = '#efefef';
    g.beginPath();
    g.moveTo(x + 0.5, box.y);
    g.lineTo(x + 0.5, box.y + box.h);
    g.stroke();
    g.fillStyle = '#555';
    g.fillText(ticks.text(t), x, box.y + box.h + 6);
  }
}

function drawPanel(g: SKRSContext2D, box: Box, data: PanelData): void {
  const values = data.series.flatMap((s) => s.points.map((p) => p.value)).filter(Number.isFinite);
  const range = rangeOf(values, data.reference, data.unit);
  drawAxes(g, box, data, range);
  const span = Math.max(1, data.to - data.from);
  const x = (ts: number): number => box.x + ((ts - data.from) / span) * box.w;
  const y = (v: number): number => box.y + box.h - ((Math.min(Math.max(v, range.lo), range.hi) - range.lo) / (range.hi - range.lo)) * box.h;
  if (data.reference !== undefined) {
    g.save();
    g.setLineDash([6, 4]);
    g.strokeStyle = '#999';
    g.beginPath();
    g.moveTo(box.x, y(data.reference));
    g.lineTo(box.x + box.w, y(data.reference));
    g.stroke();
    g.restore();
  }
  if (values.length === 0) {
    g.fillStyle = '#999';
    g.font = `14px ${FONT}`;
    g.textAlign = 'center';
    g.textBaseline = 'middle';
    g.fillText(data.empty, box.x + box.w / 2, box.y + box.h / 2);
  }
  data.series.forEach((s, i) => {
    const color = PALETTE[i % PALETTE.length]!;
    g.strokeStyle = color;
    g.fillStyle = color;
    g.lineWidth = 2;
    // Points outside the window (a series read a little wider) stay inside the panel.
    g.save();
    g.beginPath();
    g.rect(box.x, box.y - 3, box.w, box.h + 6);
    g.clip();
    for (const seg of segments(s.points.filter((p) => Number.isFinite(p.value)))) {
      if (seg.length === 1) {
        g.beginPath();
        g.arc(x(seg[0]!.ts), y(seg[0]!.value), 2.5, 0, Math.PI * 2);
        g.fill();
        continue;
      }
      g.beginPath();
      seg.forEach((p, j) => (j === 0 ? g.moveTo(x(p.ts), y(p.value)) : g.lineTo(x(p.ts), y(p.value))));
      g.stroke();
    }
    g.restore();
    // Legend on the right: colour, name, latest value.
    const last = s.points[s.points.length - 1];
    const ly = box.y + 8 + i * 18;
    if (ly > box.y + box.h) return;
    g.fillRect(box.x + box.w + 14, ly - 5, 14, 4);
    g.fillStyle = '#222';
    g.font = `12px ${FONT}`;
    g.textAlign = 'left';
    g.textBaseline = 'middle';
    const name = s.label.length > 12 ? `${s.label.slice(0, 11)}…` : s.label;
    g.fillText(`${name}${last ? `  ${legendLabel(last.value, data.unit)}` : ''}`, box.x + box.w + 34, ly - 3);
  });
}

function panelBox(top: number, height: number): Box {
  return { x: MARGIN.left, y: top + MARGIN.top, w: WIDTH - MARGIN.left - MARGIN.right, h: height - MARGIN.top - MARGIN.bottom };
}

/**
 * The daily summary chart as PNG: utilization per account (with the target dashed) above, net-delta
 * deviation per symbol below, over the summary's 24 h window, times in UTC.
 */
export async function renderSummaryChart(data: SummaryChartData): Promise<Buffer> {
  const height = 2 * PANEL_HEIGHT;
  const canvas = createCanvas(WIDTH, height);
  const g = canvas.getContext('2d');
  g.fillStyle = '#ffffff';
  g.fillRect(0, 0, WIDTH, height);
  const base = { from: data.from, to: data.to, unit: 'percent' as const, empty: 'no data in the last 24 h' };
  drawPanel(g, panelBox(0, PANEL_HEIGHT), { ...base, series: data.utilization, title: 'Utilization per account (24 h, UTC)', ...(data.utilizationTarget !== undefined ? { reference: data.utilizationTarget } : {}) });
  drawPanel(g, panelBox(PANEL_HEIGHT, PANEL_HEIGHT), { ...base, series: data.deviation, title: 'Net delta deviation per symbol (24 h, UTC)' });
  return canvas.encode('png');
}

/** A safe PNG file name: Discord shows it, and the embed's `attachment://` reference must match it exactly. */
export function chartFileName(name: string): string {
  const base = name.replace(/\.png$/i, '').replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[-.]+/, '').slice(0, 80);
  return `${base || 'chart'}.png`;
}

/** A View's chart (e.g. /history) as PNG: its panels stacked, 1000 px wide, 260 px per panel, times in UTC. */
export async function renderViewChart(chart: ViewChart): Promise<Buffer> {
  const panels = chart.panels.length ? chart.panels : [{ title: 'No series', unit: 'number' as const, series: [] }];
  const height = panels.length * VIEW_PANEL_HEIGHT;
  const canvas = createCanvas(WIDTH, height);
  const g = canvas.getContext('2d');
  g.fillStyle = '#ffffff';
  g.fillRect(0, 0, WIDTH, height);
  panels.forEach((p, i) => {
    const series = p.series.map((s) => ({ label: s.label, points: [...s.points] }));
    drawPanel(g, panelBox(i * VIEW_PANEL_HEIGHT, VIEW_PANEL_HEIGHT), {
      from: chart.from, to: chart.to, series, title: p.title, unit: p.unit, reference: p.reference, empty: 'no samples in this window',
    });
  });
  return canvas.encode('png');
}
