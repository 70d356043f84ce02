/**
 * Net delta and deviation as design.md §2 defines them; shared by the delta planner and the risk
 * module so the plan and the alert agree on the same number.
 */
import { sumDecimals } from './decimal.js';

/**
 * `|net − target| / hedgeSize`; 0 when hedgeSize and the gap are both 0; 1 when hedgeSize is 0 but
 * net ≠ target (nothing hedged, yet not at target: treat as fully off).
 */
export function computeDeviation(net: number, target: number, hedgeSize: number): number {
  const gap = Math.abs(net - target);
  if (hedgeSize === 0) return gap === 0 ? 0 : 1;
  return gap / Math.abs(hedgeSize);
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
  return {
    net: sumDecimals(sizes),
    longSize,
    shortSize,
    hedgeSize: Math.max(longSize, shortSize),
  };
}
