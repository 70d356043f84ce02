import type { MetricPoint, MetricSample, MetricsStore } from '../ports/store.js';
import type { AccountId, Snapshot, Symbol } from '../types.js';
import type { RiskHistory } from './ports.js';
import type { RiskReport } from './types.js';

/** Series names in the metrics store. Account and symbol series use distinct names, so an account and a symbol sharing a name never mix. */
export const METRIC = {
  /** scope: account id */
  equity: 'equity',
  available: 'available',
  utilization: 'utilization',
  upnl: 'upnl',
  leverage: 'leverage',
  /** The account's max drawdown over the drawdown window, as /risk showed it at that tick. */
  drawdown: 'drawdown',
  /** scope: canonical symbol */
  netDelta: 'netDelta',
  netUsd: 'netUsd',
  deviation: 'deviation',
  mark: 'mark',
  /** scope: PORTFOLIO_SCOPE (prefixed, so an account named `portfolio` cannot collide) */
  portfolioEquity: 'portfolio.equity',
  portfolioUtilization: 'portfolio.utilization',
  portfolioUpnl: 'portfolio.upnl',
  portfolioLeverage: 'portfolio.leverage',
  portfolioDrawdown: 'portfolio.drawdown',
} as const;

export const PORTFOLIO_SCOPE = 'portfolio';

/**
 * The samples to persist for one report, stamped `report.computedAt`.
 *
 * - Per account: only accounts whose last sync succeeded. A stale account would repeat old numbers
 *   under new timestamps, and a missing one must not be written as 0 (a false 100 % drawdown).
 * - Per symbol: net, netUsd and deviation for every delta row; mark for every priced symbol, so
 *   VaR history exists before an exposure appears.
 * - Portfolio: only when every account has data, so the total never dips because one account
 *   has not synced yet.
 */
export function toMetricSamples(report: RiskReport, snapshot: Snapshot): MetricSample[] {
  const ts = report.computedAt;
  const out: MetricSample[] = [];
  const push = (metric: string, scope: string, value: number | undefined): void => {
    if (value !== undefined && Number.isFinite(value)) out.push({ ts, metric, scope, value });
  };
  const fresh = new Set(snapshot.accounts.filter((a) => a.status === 'ok').map((a) => a.id));
  for (const a of report.accounts) {
    if (!fresh.has(a.account)) continue;
    push(METRIC.equity, a.account, a.equity);
    push(METRIC.available, a.account, a.available);
    push(METRIC.utilization, a.account, a.utilization);
    push(METRIC.upnl, a.account, a.unrealizedPnl);
    push(METRIC.leverage, a.account, a.leverage);
    push(METRIC.drawdown, a.account, a.maxDrawdown);
  }
  for (const d of report.portfolio.deltas) {
    push(METRIC.netDelta, d.symbol, d.net);
    push(METRIC.netUsd, d.symbol, d.netUsd);
    push(METRIC.deviation, d.symbol, d.deviation);
  }
  for (const symbol of Object.keys(snapshot.prices).sort()) push(METRIC.mark, symbol, snapshot.prices[symbol]?.mark);
  if ((report.unavailableAccounts ?? []).length === 0 && report.accounts.length > 0) {
    push(METRIC.portfolioEquity, PORTFOLIO_SCOPE, report.portfolio.totalEquity);
    push(METRIC.portfolioUtilization, PORTFOLIO_SCOPE, report.portfolio.utilization);
    push(METRIC.portfolioUpnl, PORTFOLIO_SCOPE, report.portfolio.totalUnrealizedPnl);
    push(METRIC.portfolioLeverage, PORTFOLIO_SCOPE, report.portfolio.leverage);
    push(METRIC.portfolioDrawdown, PORTFOLIO_SCOPE, report.portfolio.maxDrawdown);
  }
  return out;
}

/**
 * Applies metrics retention at `now`: raw samples older than `rawRetentionMs` are folded into
 * hourly rows (whole hours only, so up to one more hour of raw rows stays), hourly rows older than
 * `downsampledRetentionMs` are deleted. Returns the rows removed.
 */
export function retention(store: MetricsStore, now: number, rawRetentionMs: number, downsampledRetentionMs: number): Promise<number> {
  return store.compact(now - rawRetentionMs, now - downsampledRetentionMs);
}
