import { requireData, symbolLimits, type CoreContext } from './context.js';
import { buildStatus } from '../src/core/queries/status.js';
import type { Command } from '../src/present/command.js';
import { age, isoTime, pct, qty, usd } from '../src/present/format.js';
import { servicesTable, systemLines } from '../src/present/system-view.js';
import type { Tone, View } from '../src/present/view.js';

/** Which replica answered, and which one leads since when. */
function instanceLine(ctx: CoreContext): string {
  const l = ctx.leadership?.();
  if (!l) return `Instance ${ctx.config.instanceId} (single instance)`;
  const leader = l.leader;
  if (l.role === 'leader' && leader) return `Instance ${l.instance} · leader since ${isoTime(leader.since)}${l.fenceValid === false ? ' · lease not renewed: not sending' : ''}`;
  return `Instance ${l.instance} · standby${leader ? ` · leader ${leader.instance} since ${isoTime(leader.since)}` : ' · no leader'}`;
}

export const statusCommand = {
  name: 'status',
  description: 'Every account, net delta and deviation per symbol, portfolio utilization and the last sync',
  async handle(ctx): Promise<View> {
    const { snapshot, risk } = requireData(ctx);
    const s = buildStatus(snapshot, risk, symbolLimits(ctx.config));
    // The process itself (src/core/ops), the same model GET /api/v1/system/status answers from.
    const system = await ctx.system?.();
    const unwell = system?.status === 'unhealthy' || system?.status === 'degraded';
    const worst = s.deltas.some((d) => d.level === 'critical') ? 'critical' : s.deltas.some((d) => d.level === 'warn') || s.syncedFailed > 0 || unwell ? 'warn' : 'ok';
    return {
      title: 'delta-ops status',
      tone: worst satisfies Tone,
      lines: [
        `Last sync #${s.seq} at ${isoTime(s.takenAt)} (${age(ctx.now() - s.takenAt)}): ${s.syncedOk} ok, ${s.syncedFailed} failed`,
        `Portfolio equity ${usd(s.portfolio.equity)} · utilization ${pct(s.portfolio.utilization)} · uPnL ${usd(s.portfolio.unrealizedPnl)}`,
        instanceLine(ctx),
        ...(system ? systemLines(system) : []),
      ],
      tables: [
        {
          title: 'Accounts',
          columns: [{ header: 'Account' }, { header: 'Venue' }, { header: 'Equity', align: 'right' }, { header: 'Available', align: 'right' }, { header: 'Util', align: 'right' }, { header: 'uPnL', align: 'right' }, { header: 'Sync' }],
          rows: s.accounts.map((a) => [
            a.id, a.venue, usd(a.equity), usd(a.available), pct(a.utilization, 1), usd(a.unrealizedPnl),
            a.status === 'ok' ? 'ok' : `${a.status}${a.lastSuccessAt !== undefined ? ` (last ok ${age(ctx.now() - a.lastSuccessAt)})` : ''}`,
          ]),
        },
        {
          title: 'Net delta',
          columns: [{ header: 'Symbol' }, { header: 'Net', align: 'right' }, { header: 'Net USD', align: 'right' }, { header: 'Hedge', align: 'right' }, { header: 'Deviation', align: 'right' }, { header: 'Tol', align: 'right' }, { header: 'State' }],
          rows: s.deltas.map((d) => [d.symbol, qty(d.net), usd(d.netUsd), qty(d.hedgeSize), pct(d.deviation), pct(d.tolerance, 0), d.level.toUpperCase()]),
        },
        ...(system ? [servicesTable(system)] : []),
      ],
    };
  },
} satisfies Command<CoreContext>;
