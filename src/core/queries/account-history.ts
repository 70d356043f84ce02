import type { MetricsStore } from '../ports/store.js';
import { METRIC } from '../risk/history.js';

export interface AccountHistorySample {
  timestamp: number;
  utilizationRate?: number;
  equity?: number;
  available?: number;
  leverageRatio?: number;
  unrealizedPnl?: number;
  maxDrawdown?: number;
}

/** Stored series of an account, by the field name the HTTP contract gives each. */
const SERIES: readonly [keyof Omit<AccountHistorySample, 'timestamp'>, string][] = [
  ['utilizationRate', METRIC.utilization],
  ['equity', METRIC.equity],
  ['available', METRIC.available],
  ['leverageRatio', METRIC.leverage],
  ['unrealizedPnl', METRIC.upnl],
  ['maxDrawdown', METRIC.drawdown],
];

/**
 * An account's stored risk samples in [since, now] (raw rows, then hourly ones past raw retention),
 * one object per timestamp, newest first, at most `limit`.
 */
export async function accountHistory(metrics: Pick<MetricsStore, 'range'>, account: string, since: number, now: number, limit: number): Promise<AccountHistorySample[]> {
  const byTs = new Map<number, AccountHistorySample>();
  const series = await Promise.all(SERIES.map(async ([field, metric]) => [field, await metrics.range(metric, account, since, now)] as const));
  for (const [field, points] of series) {
    for (const p of points) {
      const s = byTs.get(p.ts) ?? { timestamp: p.ts };
      s[field] = p.value;
      byTs.set(p.ts, s);
    }
  }
  return [...byTs.values()].sort((a, b) => b.timestamp - a.timestamp).slice(0, limit);
}
