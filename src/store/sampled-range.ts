import { sliceOf, type MetricPoint } from '../core/ports/store.js';

/**
 * The last point of each slice (`sliceOf`) of the hourly rows and the raw samples together, oldest
 * first, as `range` orders them: by ts, an hourly row before a raw row of the same ts. `raw` holds each
 * non-empty slice's last raw sample (what the stores' seeks find); `hourly` every hourly row of the
 * window (at most one per hour, so few).
 */
export function mergeSampled(hourly: readonly MetricPoint[], raw: readonly MetricPoint[], from: number, to: number, slices: number): MetricPoint[] {
  if (hourly.length === 0) return [...raw];
  const merged = [...hourly, ...raw].sort((a, b) => a.ts - b.ts);
  const bySlice = new Map<number, MetricPoint>();
  for (const p of merged) bySlice.set(sliceOf(p.ts, from, to, slices), p);
  return [...bySlice.values()];
}
