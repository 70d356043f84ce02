import { requireData, resolveAccount, type CoreContext } from '../src/app/context.js';
import type { AccountMetrics, RiskLevel } from '../src/core/risk/types.js';
import type { Command } from '../src/present/command.js';
import { pct, qty, usd } from '../src/present/format.js';
import type { Tone, View } from '../src/present/view.js';

const TONE: Record<RiskLevel, Tone> = { low: 'ok', medium: 'warn', high: 'critical' };

function ratio(v: number | undefined): string {
  return v === undefined || !Number.isFinite(v) ? '—' : `${v.toFixed(2)}x`;
}

function accountView(m: AccountMetrics): View {
  return {
    title: `Risk — ${m.account} (${m.venue})`,
    tone: TONE[m.riskLevel],
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

export const riskCommand = {
  name: 'risk',
  description: 'Risk metrics for the portfolio, or for one account',
  options: [{ name: 'account', description: 'Account id (default: portfolio)', type: 'string', autocomplete: 'account', maxLength: 64 }],
  handle(ctx, input): View {
    const { risk } = requireData(ctx);
    const raw = input.options['account'];
    if (typeof raw === 'string' && raw.trim()) {
      const id = resolveAccount(ctx.config, raw);
      const m = risk.accounts.find((a) => a.account === id);
      if (!m) return { title: `Risk — ${id}`, tone: 'warn', lines: ['No data for this account yet: its first sync has not succeeded.'] };
      return accountView(m);
    }
    const p = risk.portfolio;
    return {
      title: 'Risk — portfolio',
      tone: TONE[p.riskLevel],
      lines: [`Risk level ${p.riskLevel.toUpperCase()}`],
      fields: [
        { name: 'Total equity', value: usd(p.totalEquity), inline: true },
        { name: 'Utilization', value: pct(p.utilization), inline: true },
        { name: 'Leverage', value: ratio(p.leverage), inline: true },
        { name: 'Unrealized PnL', value: usd(p.totalUnrealizedPnl), inline: true },
        { name: 'Max drawdown (window)', value: pct(p.maxDrawdown), inline: true },
        { name: '1-day VaR 95% (net)', value: usd(p.var95), inline: true },
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
  },
} satisfies Command<CoreContext>;
