/**
 * Net delta and deviation as design.md §2 defines them, shared by the risk report and the delta
 * planner so a plan and an alert always quote the same number.
 */
import { decimalPlaces, sumDecimals } from '../decimal.js';

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
  // Each size's decimal places are found once (the costly part: the risk report sums every position
  // of every account each tick), then each sum scales by the most places among its own values.
  const longs: number[] = [];
  const shorts: number[] = [];
  let longPlaces = 0;
  let shortPlaces = 0;
  for (const s of sizes) {
    if (s > 0) {
      longs.push(s);
      longPlaces = Math.max(longPlaces, decimalPlaces(s));
    } else if (s < 0) {
      shorts.push(-s);
      shortPlaces = Math.max(shortPlaces, decimalPlaces(s));
    }
  }
  const longSize = sumDecimals(longs, longPlaces);
  const shortSize = sumDecimals(shorts, shortPlaces);
  const net = sumDecimals(sizes, Math.max(longPlaces, shortPlaces));
  return { net, longSize, shortSize, hedgeSize: Math.max(longSize, shortSize) };
}
