import type { MetricPoint } from '../ports/store.js';
import type { Snapshot, Symbol } from '../types.js';
import { resolveThresholds } from '../thresholds/resolve.js';
import { computeAccountMetrics } from './account-metrics.js';
import { computeDeltas } from './net-delta.js';
import { computePortfolio } from './portfolio.js';
import { DEFAULT_VAR_WINDOW, type RiskConfig, type RiskHistory } from './ports.js';
import type { AccountMetrics, RiskReport } from './types.js';

export type { RiskConfig, RiskHistory, SymbolRiskConfig } from './ports.js';

/**
 * The risk report of one snapshot: every account with a state (stale ones included and flagged),
 * and the portfolio over them. Pure: time and history come in as arguments.
 * Drawdowns look back `thresholds.drawdown.window`; σ_daily looks back `varWindow`. As with
 * equity, the current mark is the last price point, so the tick need not be persisted first.
 */
export function computeRisk(snapshot: Snapshot, history: RiskHistory, cfg: RiskConfig, now: number): RiskReport {
  const drawdownFrom = now - cfg.thresholds.drawdown.window;
  const accounts: AccountMetrics[] = [];
  const unavailableAccounts: string[] = [];
  for (const account of snapshot.accounts) {
    const metrics = computeAccountMetrics(account, snapshot.prices, {
      thresholds: (symbol) => resolveThresholds(cfg, account.id, symbol),
      equityHistory: account.state ? history.accountEquitySeries(account.id, drawdownFrom, now) : [],
    });
    if (metrics) accounts.push(metrics);
    else unavailableAccounts.push(account.id);
  }
  const deltas = computeDeltas(snapshot, { targets: targetsOf(cfg.symbols) });
  const varFrom = now - (cfg.varWindow ?? DEFAULT_VAR_WINDOW);
  const portfolio = computePortfolio(accounts, deltas, {
    levels: cfg.thresholds,
    symbols: cfg.symbols,
    equityHistory: history.portfolioEquitySeries(drawdownFrom, now),
    equityComplete: unavailableAccounts.length === 0,
    priceHistory: (symbol) => withCurrent(history.priceSeries(symbol, varFrom, now), now, snapshot.prices[symbol]?.mark),
  });
  return { computedAt: now, accounts, portfolio, unavailableAccounts };
}

function targetsOf(symbols: RiskConfig['symbols']): Record<Symbol, number> {
  const targets: Record<Symbol, number> = {};
  for (const [symbol, s] of Object.entries(symbols ?? {})) if (s.target !== undefined) targets[symbol] = s.target;
  return targets;
}

function withCurrent(points: readonly MetricPoint[], now: number, mark: number | undefined): readonly MetricPoint[] {
  const last = points[points.length - 1];
  if (mark === undefined || (last && last.ts >= now)) return points;
  return [...points, { ts: now, value: mark }];
}
