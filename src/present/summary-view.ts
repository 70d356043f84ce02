import type { DailySummary } from '../core/summary/types.js';
import { isoTime, pct, usd } from './format.js';
import type { View, ViewTable } from './view.js';

/** `2026-03-29 09:00 Europe/Berlin`: the time the desk scheduled, in its own zone. */
export function localTime(ms: number, timeZone: string): string {
  try {
    const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(new Date(ms));
    const get = (t: Intl.DateTimeFormatPartTypes): string => parts.find((p) => p.type === t)?.value ?? '';
    return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')} ${timeZone}`;
  } catch {
    return isoTime(ms);
  }
}

function signedUsd(v: number | undefined): string {
  if (v === undefined) return '—';
  return v > 0 ? `+${usd(v)}` : usd(v);
}

function signedPct(v: number | undefined): string {
  if (v === undefined) return '—';
  return v > 0 ? `+${pct(v, 1)}` : pct(v, 1);
}

function accountsTable(s: DailySummary): ViewTable {
  return {
    title: `Utilization per account (target ${pct(s.target, 0)} ± ${pct(s.tolerance, 0)} of it)`,
    columns: [
      { header: 'Account' }, { header: 'Now', align: 'right' }, { header: '24h avg', align: 'right' }, { header: 'Min', align: 'right' }, { header: 'Max', align: 'right' },
      { header: 'vs target', align: 'right' }, { header: 'Equity', align: 'right' }, { header: 'Δ equity', align: 'right' }, { header: 'Δ uPnL', align: 'right' },
    ],
    rows: s.accounts.map((a) => [
      a.label && a.label !== a.account ? `${a.account} (${a.label})` : a.account,
      pct(a.utilization.now, 1), pct(a.utilization.avg, 1), pct(a.utilization.min, 1), pct(a.utilization.max, 1),
      `${signedPct(a.deviationPercent)}${a.withinTolerance === false ? ' !' : ''}`,
      usd(a.equity, 0), signedUsd(a.equityChange), signedUsd(a.upnlChange),
    ]),
  };
}

/** The daily utilization summary as a View (the PNG chart is the Discord layer's addition). */
export function summaryView(s: DailySummary, timeZone: string): View {
  const p = s.portfolio;
  const lines = [
    `Portfolio utilization ${pct(p.utilization.now, 1)} (weighted) · 24h avg ${pct(p.utilization.avg, 1)}, min ${pct(p.utilization.min, 1)}, max ${pct(p.utilization.max, 1)} · target ${pct(s.target, 0)}`,
    `Equity ${usd(p.equity, 0)} (${signedUsd(p.equityChange)} in 24h) · uPnL ${usd(p.upnl, 0)} (${signedUsd(p.upnlChange)})`,
    `Alerts in 24h: ${s.alerts.fired} fired, ${s.alerts.acknowledged} acknowledged, ${s.alerts.resolved} resolved · ${s.alerts.openCritical.length} CRITICAL still open`,
  ];
  const tables: ViewTable[] = [accountsTable(s)];
  const transfers = s.rebalance?.transfers ?? [];
  if (s.rebalance) {
    if (transfers.length === 0) lines.push('Rebalance: no transfer suggested.');
    else
      tables.push({
        title: 'Suggested transfers (dry run: nothing is moved)',
        columns: [{ header: 'From' }, { header: 'To' }, { header: 'Amount', align: 'right' }],
        rows: transfers.map((t) => [t.from, t.to, usd(t.amount)]),
      });
    if (s.rebalance.externalDeposit !== undefined && s.rebalance.externalDeposit > 0) lines.push(`External deposit needed: ${usd(s.rebalance.externalDeposit)}`);
  }
  if (s.symbols.length)
    tables.push({
      title: 'Delta deviation per symbol (24h)',
      columns: [{ header: 'Symbol' }, { header: 'Max', align: 'right' }, { header: 'At' }, { header: 'Now', align: 'right' }, { header: 'Tolerance', align: 'right' }, { header: 'Limit', align: 'right' }],
      rows: s.symbols.map((x) => [x.symbol, pct(x.maxDeviation, 1), x.maxAt !== undefined ? isoTime(x.maxAt) : '—', pct(x.deviation, 1), pct(x.tolerance, 0), pct(x.limit, 0)]),
    });
  if (s.alerts.openCritical.length)
    tables.push({
      title: 'CRITICAL alerts still open',
      columns: [{ header: 'Id' }, { header: 'Type' }, { header: 'Where' }, { header: 'Since' }, { header: 'Acked' }, { header: 'Summary' }],
      rows: s.alerts.openCritical.map((a) => [a.shortId, a.type, [a.account, a.symbol].filter(Boolean).join(' · ') || '—', isoTime(a.since), a.acked ? 'yes' : 'no', a.summary]),
    });
  const worstTone = s.alerts.openCritical.length > 0 ? 'critical' : s.accounts.some((a) => a.withinTolerance === false) ? 'warn' : 'ok';
  return {
    title: `Daily utilization summary · ${localTime(s.scheduledFor, timeZone)}`,
    tone: worstTone,
    lines,
    tables,
    footer: `Window ${isoTime(s.generatedAt - s.windowMs)} → ${isoTime(s.generatedAt)}`,
  };
}
