import type { AlertStore } from '../ports/alerts.js';
import type { MetricPoint, MetricsStore } from '../ports/store.js';
import { METRIC, PORTFOLIO_SCOPE } from '../risk/history.js';
import type { DailySummary, RebalanceSuggestion } from './types.js';

export interface SummaryDeps {
  metrics: MetricsStore;
  alerts: AlertStore;
  accounts: readonly { id: string; label?: string }[];
  /** Symbols to report (configured ones plus those held). */
  symbols: readonly string[];
  /** Per symbol: deviation tolerance and maxDeviation (the alert thresholds). */
  symbolLimits: (symbol: string) => { tolerance: number; maxDeviation: number };
  targetUtilization: number;
  /** Relative tolerance around the target, as in the rebalance planner. */
  tolerance: number;
  /**
   * The rebalance plan on current data (the lead adapts `planUtilization` to it); injected so the
   * summary does not depend on the planner module.
   */
  planRebalance?: () => RebalanceSuggestion | undefined;
  windowMs?: number;
}

export const SUMMARY_WINDOW_MS = 86_400_000;

interface Stats {
  now?: number;
  avg?: number;
  min?: number;
  max?: number;
}

function stats(points: readonly MetricPoint[]): Stats {
  const last = points.at(-1);
  if (!last) return {};
  const values = points.map((p) => p.value);
  return { now: last.value, avg: values.reduce((s, v) => s + v, 0) / values.length, min: Math.min(...values), max: Math.max(...values) };
}

/** Latest minus earliest in the window; undefined with fewer than two points. */
function change(points: readonly MetricPoint[]): number | undefined {
  const first = points[0];
  const last = points.at(-1);
  return first && last && points.length > 1 ? last.value - first.value : undefined;
}

/**
 * The daily utilization summary from the metrics history and the alert store, as plain data:
 * per account utilization now and over the window (avg/min/max) against the target, the weighted
 * portfolio utilization, suggested rebalance transfers, per symbol the largest deviation, equity and
 * uPnL change, and alert counts with the CRITICAL alerts still open.
 */
export async function buildDailySummary(deps: SummaryDeps, now: number, scheduledFor = now): Promise<DailySummary> {
  const windowMs = deps.windowMs ?? SUMMARY_WINDOW_MS;
  const from = now - windowMs;
  const series = (metric: string, scope: string): Promise<MetricPoint[]> => deps.metrics.range(metric, scope, from, now);

  const accounts = [];
  for (const a of deps.accounts) {
    const util = await series(METRIC.utilization, a.id);
    const equity = await series(METRIC.equity, a.id);
    const upnl = await series(METRIC.upnl, a.id);
    const u = stats(util);
    const deviationPercent = u.now !== undefined ? (u.now - deps.targetUtilization) / deps.targetUtilization : undefined;
    accounts.push({
      account: a.id,
      label: a.label,
      utilization: u,
      deviationPercent,
      withinTolerance: deviationPercent !== undefined ? Math.abs(deviationPercent) <= deps.tolerance : undefined,
      equity: equity.at(-1)?.value,
      equityChange: change(equity),
      upnl: upnl.at(-1)?.value,
      upnlChange: change(upnl),
      lastSampleAt: util.at(-1)?.ts,
      samples: util.length,
    });
  }

  const pEquity = await series(METRIC.portfolioEquity, PORTFOLIO_SCOPE);
  const pUpnl = await series(METRIC.portfolioUpnl, PORTFOLIO_SCOPE);
  const symbols = [];
  for (const symbol of [...new Set(deps.symbols)].sort()) {
    const dev = await series(METRIC.deviation, symbol);
    const peak = dev.reduce<MetricPoint | undefined>((m, p) => (m === undefined || p.value > m.value ? p : m), undefined);
    const limits = deps.symbolLimits(symbol);
    symbols.push({ symbol, maxDeviation: peak?.value, maxAt: peak?.ts, deviation: dev.at(-1)?.value, tolerance: limits.tolerance, limit: limits.maxDeviation });
  }

  const openCritical = (await deps.alerts.list({ state: 'firing', severity: 'CRITICAL', limit: 50 }))
    .map((a) => ({ shortId: a.shortId, type: a.type, account: a.account, symbol: a.symbol, summary: a.summary, since: a.startsAt, acked: a.ackedAt !== undefined }));

  const rebalance = deps.planRebalance?.();
  return {
    scheduledFor,
    generatedAt: now,
    windowMs,
    target: deps.targetUtilization,
    tolerance: deps.tolerance,
    accounts,
    portfolio: {
      utilization: stats(await series(METRIC.portfolioUtilization, PORTFOLIO_SCOPE)),
      equity: pEquity.at(-1)?.value,
      equityChange: change(pEquity),
      upnl: pUpnl.at(-1)?.value,
      upnlChange: change(pUpnl),
    },
    rebalance: rebalance ? { transfers: rebalance.transfers, externalDeposit: rebalance.externalDeposit } : undefined,
    symbols,
    alerts: { ...(await deps.alerts.counts(from, now)), openCritical },
  };
}
