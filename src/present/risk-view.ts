import type { AccountMetrics, PortfolioMetrics, RiskReport } from '../core/risk/types.js';
import { pct, qty, usd } from './format.js';
import { LEVEL_TONE } from './levels.js';
import type { View } from './view.js';

function ratio(v: number | undefined): string {
  return v === undefined || !Number.isFinite(v) ? '—' : `${v.toFixed(2)}x`;
}

/**
 * The VaR figure. A symbol with a net exposure but fewer than two price returns adds 0 to `var95`
 * (docs/metrics.md), so printing the sum alone would read "$0.00: no risk" on a fresh install. With no
 * estimate at all it says so; with some symbols missing it names them beside the partial sum.
 */
export function varText(p: PortfolioMetrics): string {
  if (p.varAvailable !== false) return usd(p.var95);
  const missing = p.deltas.filter((d) => d.net !== 0 && d.var95 === undefined).map((d) => d.symbol);
  const estimated = p.deltas.some((d) => d.var95 !== undefined);
  if (!estimated) return 'not available yet';
  return `${usd(p.var95)} (not available yet for ${missing.join(', ')})`;
}

/** `/risk account:<id>`: one account's metrics. */
export function accountRiskView(m: AccountMetrics): View {
  return {
    title: `Risk — ${m.account} (${m.venue})`,
    tone: LEVEL_TONE[m.riskLevel],
    lines: [`Risk level ${m.riskLevel.toUpperCase()}${m.stale ? ' · data is STALE (last sync failed)' : ''}`],
    fields: [
      { name: 'Equity', value: usd(m.equity), inline: true },
      { name: 'Available', value: usd(m.available), inline: true },
      { name: 'Used', value: usd(m.used), inline: true },
      { name: 'Utilization', value: pct(m.utilization), inline: true },
      { name: 'Leverage', value: ratio(m.leverage), inline: true },
      { name: 'Gross notional', value: usd(m.grossNotional), inline: true },
      { name: 'Unrealized PnL', value: usd(m.unrealizedPnl), inline: true },
      { name: 'Margin ratio', value: pct(m.marginRatio), inline: true },
      { name: 'Liquidation distance', value: pct(m.liquidationDistance), inline: true },
      { name: 'Max drawdown (window)', value: pct(m.maxDrawdown), inline: true },
    ],
  };
}

/** `/risk`: the portfolio, its accounts and its net exposure per symbol. */
export function portfolioRiskView(risk: RiskReport): View {
  const p = risk.portfolio;
  return {
    title: 'Risk — portfolio',
    tone: LEVEL_TONE[p.riskLevel],
    lines: [`Risk level ${p.riskLevel.toUpperCase()}`],
    fields: [
      { name: 'Total equity', value: usd(p.totalEquity), inline: true },
      { name: 'Utilization', value: pct(p.utilization), inline: true },
      { name: 'Leverage', value: ratio(p.leverage), inline: true },
      { name: 'Unrealized PnL', value: usd(p.totalUnrealizedPnl), inline: true },
      { name: 'Max drawdown (window)', value: pct(p.maxDrawdown), inline: true },
      { name: '1-day VaR 95% (net)', value: varText(p), inline: true },
    ],
    tables: [
      {
        title: 'Accounts',
        columns: [{ header: 'Account' }, { header: 'Level' }, { header: 'Util', align: 'right' }, { header: 'Lev', align: 'right' }, { header: 'Liq dist', align: 'right' }, { header: 'Drawdown', align: 'right' }],
        rows: risk.accounts.map((a) => [a.account + (a.stale ? ' (stale)' : ''), a.riskLevel, pct(a.utilization, 1), ratio(a.leverage), pct(a.liquidationDistance, 1), pct(a.maxDrawdown, 1)]),
      },
      {
        title: 'Net exposure',
        columns: [{ header: 'Symbol' }, { header: 'Net', align: 'right' }, { header: 'Net USD', align: 'right' }, { header: 'Deviation', align: 'right' }],
        rows: p.deltas.map((d) => [d.symbol, qty(d.net), usd(d.netUsd), pct(d.deviation)]),
      },
    ],
  };
}
