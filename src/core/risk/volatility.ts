import type { MetricPoint } from '../ports/store.js';

const DAY_MS = 86_400_000;

export interface DailyVolatility {
  /** σ of daily log returns; 0 when not available. */
  sigma: number;
  /** Log returns the estimate used. */
  returns: number;
  /** False with fewer than 2 returns (or no elapsed time): too little history to estimate. */
  available: boolean;
}

/**
 * σ_daily of a price series, for the 1-day VaR.
 *
 * Estimator: r_i = ln(p_i / p_{i−1}) between consecutive samples (oldest first; non-positive
 * prices and repeated timestamps skipped); s = sample standard deviation of the r_i (n − 1);
 * scaled to one day by √(samples per day), where samples per day = n / elapsed × 1 day, i.e.
 * from the mean spacing. The mean spacing keeps the scale right when the series mixes 15 s raw
 * samples with hourly averages after compaction (hourly averages smooth the price, so older
 * history reads somewhat calmer than it was).
 *
 * Example: 100 → 101 → 100 at 12 h spacing: r = [ln 1.01, −ln 1.01], s = √2 · ln 1.01,
 * 2 samples per day → σ_daily = √2 · ln 1.01 · √2 = 2 · ln 1.01 ≈ 0.0199.
 */
export function dailyVolatility(points: readonly MetricPoint[]): DailyVolatility {
  const returns: number[] = [];
  let prev: MetricPoint | undefined;
  let first: number | undefined;
  let last = 0;
  for (const p of points) {
    if (!(p.value > 0) || !Number.isFinite(p.value)) continue;
    if (prev && p.ts > prev.ts) {
      returns.push(Math.log(p.value / prev.value));
      first ??= prev.ts;
      last = p.ts;
    }
    if (!prev || p.ts > prev.ts) prev = p;
  }
  const n = returns.length;
  const elapsed = first === undefined ? 0 : last - first;
  if (n < 2 || elapsed <= 0) return { sigma: 0, returns: n, available: false };
  const mean = returns.reduce((a, r) => a + r, 0) / n;
  const variance = returns.reduce((a, r) => a + (r - mean) ** 2, 0) / (n - 1);
  const samplesPerDay = (n * DAY_MS) / elapsed;
  return { sigma: Math.sqrt(variance * samplesPerDay), returns: n, available: true };
}
