/**
 * Net delta and deviation as design.md §2 defines them, shared by the risk report and the delta
 * planner so a plan and an alert always quote the same number.
 */
import { sumDecimals } from '../decimal.js';

const NOISE = 1e-12;

/**
 * `|net − target| / hedgeSize`; 0 when hedgeSize and the gap are both 0; 1 when hedgeSize is 0 but
 * net ≠ target (nothing hedged, yet not at target: fully off).
 */
export function computeDeviation(net: number, target: number, hedgeSize: number): number {
  const gap = Math.abs(net - target);
  if (hedgeSize > 0) return gap / hedgeSize;
  // A float residue (0.1 + 0.2 − 0.3) must not read as "fully off".
  return gap <= NOISE * Math.max(1, Math.abs(net), Math.abs(target)) ? 0 : 1;
}

export interface SizeSummary {
  /** Σ signed size. */
  net: number;
  /** Σ long sizes (≥ 0). */
  longSize: number;
  /** Σ |short sizes| (≥ 0). */
  shortSize: number;
  /** max(longSize, shortSize). */
  hedgeSize: number;
}

/** Net, long, short and hedge size of signed base-unit sizes, summed without float drift. */
export function summarizeSizes(sizes: readonly number[]): SizeSummary {
  const longSize = sumDecimals(sizes.filter((s) => s > 0));
  const shortSize = sumDecimals(sizes.filter((s) => s < 0).map((s) => -s));
  return { net: sumDecimals(sizes), longSize, shortSize, hedgeSize: Math.max(longSize, shortSize) };
}
