import { createCanvas, type SKRSContext2D } from '@napi-rs/canvas';
import type { MetricPoint } from '../core/ports/store.js';
import type { ChartSeries, SummaryChartData } from './chart-data.js';

/** Colours that stay apart on Discord's dark and light themes (the chart has its own white background). */
const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf', '#bcbd22', '#7f7f7f'];
const WIDTH = 1000;
const PANEL_HEIGHT = 300;
const MARGIN = { left: 64, right: 170, top: 36, bottom: 34 };
const FONT = 'sans-serif';
const HOUR = 3_600_000;

interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

function pctLabel(v: number, digits: number): string {
  return `${(v * 100).toFixed(digits)}%`;
}

/** A "nice" upper bound for the y axis: 1, 2, 2.5 or 5 × 10^k above the largest value. */
function niceMax(v: number): number {
  if (!(v > 0)) return 0.1;
  const exp = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * exp >= v) return m * exp;
  return 10 * exp;
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

function drawAxes(g: SKRSContext2D, box: Box, from: number, to: number, yMax: number, title: string): void {
  g.fillStyle = '#222';
  g.font = `bold 15px ${FONT}`;
  g.textAlign = 'left';
  g.textBaseline = 'alphabetic';
  g.fillText(title, box.x, box.y - 12);
  g.font = `12px ${FONT}`;
  g.lineWidth = 1;
  const stepPct = Math.round((yMax * 100 * 1e6) / 5) / 1e6;
  const digits = Number.isInteger(stepPct) ? 0 : 1;
  // Horizontal grid: 5 steps.
  for (let i = 0; i <= 5; i++) {
    const v = (yMax * i) / 5;
    const y = box.y + box.h - (box.h * i) / 5;
    g.strokeStyle = i === 0 ? '#888' : '#e4e4e4';
    g.beginPath();
    g.moveTo(box.x, y + 0.5);
    g.lineTo(box.x + box.w, y + 0.5);
    g.stroke();
    g.fillStyle = '#555';
    g.textAlign = 'right';
    g.textBaseline = 'middle';
    g.fillText(pctLabel(v, digits), box.x - 6, y);
  }
  // Time ticks every 4 h (UTC), on the hour.
  const span = Math.max(1, to - from);
  const step = span > 12 * HOUR ? 4 * HOUR : span > 3 * HOUR ? HOUR : 15 * 60_000;
  g.textAlign = 'center';
  g.textBaseline = 'top';
  for (let t = Math.ceil(from / step) * step; t <= to; t += step) {
    const x = box.x + ((t - from) / span) * box.w;
    g.strokeStyle = '#efefef';
    g.beginPath();
    g.moveTo(x + 0.5, box.y);
    g.lineTo(x + 0.5, box.y + box.h);
    g.stroke();
    g.fillStyle = '#555';
    g.fillText(`${new Date(t).toISOString().slice(11, 16)}`, x, box.y + box.h + 6);
  }
}

function drawPanel(g: SKRSContext2D, box: Box, data: { from: number; to: number; series: ChartSeries[]; title: string; reference?: number }): void {
  const values = data.series.flatMap((s) => s.points.map((p) => p.value)).filter(Number.isFinite);
  const yMax = niceMax(Math.max(...values, data.reference ?? 0));
  drawAxes(g, box, data.from, data.to, yMax, data.title);
  const span = Math.max(1, data.to - data.from);
  const x = (ts: number): number => box.x + ((ts - data.from) / span) * box.w;
  const y = (v: number): number => box.y + box.h - (Math.min(Math.max(v, 0), yMax) / yMax) * box.h;
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
    g.fillText('no data in the last 24 h', box.x + box.w / 2, box.y + box.h / 2);
  }
  data.series.forEach((s, i) => {
    const color = PALETTE[i % PALETTE.length]!;
    g.strokeStyle = color;
    g.fillStyle = color;
    g.lineWidth = 2;
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
    g.fillText(`${name}${last ? `  ${pctLabel(last.value, 1)}` : ''}`, box.x + box.w + 34, ly - 3);
  });
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
  const inner = (top: number): Box => ({ x: MARGIN.left, y: top + MARGIN.top, w: WIDTH - MARGIN.left - MARGIN.right, h: PANEL_HEIGHT - MARGIN.top - MARGIN.bottom });
  const base = { from: data.from, to: data.to };
  drawPanel(g, inner(0), { ...base, series: data.utilization, title: 'Utilization per account (24 h, UTC)', ...(data.utilizationTarget !== undefined ? { reference: data.utilizationTarget } : {}) });
  drawPanel(g, inner(PANEL_HEIGHT), { ...base, series: data.deviation, title: 'Net delta deviation per symbol (24 h, UTC)' });
  return canvas.encode('png');
}
