/**
 * Largest peak-to-trough fall of a value series as a fraction of the peak, in [0, 1].
 * Points are taken in the order given (oldest first). A trough below 0 counts as 0 so the
 * fraction never exceeds 1; non-finite points are skipped; peaks ≤ 0 give no drawdown.
 *
 * Example: [100, 120, 90, 110, 80] → (120 − 80) / 120 = 0.3333.
 */
export function maxDrawdown(values: readonly number[]): number {
  let peak = -Infinity;
  let worst = 0;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    if (v > peak) peak = v;
    else if (peak > 0) worst = Math.max(worst, (peak - Math.max(v, 0)) / peak);
  }
  return worst;
}
