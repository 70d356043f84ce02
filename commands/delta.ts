import { randomUUID } from 'node:crypto';
import { DeltaOpsError, ErrorCode } from '../src/core/errors.js';
import { requireData, resolveAccount, type CoreContext } from '../src/app/context.js';
import { deltaPlanFromSnapshot } from '../src/core/queries/plans.js';
import { canonicalSymbol } from '../src/core/symbols.js';
import type { Command, CommandInput } from '../src/present/command.js';
import { pct, price, qty, usd } from '../src/present/format.js';
import type { View } from '../src/present/view.js';

function num(input: CommandInput, name: string): number | undefined {
  const v = input.options[name];
  return typeof v === 'number' ? v : undefined;
}

export const deltaCommand = {
  name: 'delta',
  description: 'Dry-run delta hedge plans (never places orders)',
  subcommands: [
    {
      name: 'plan',
      description: 'Orders that would bring a symbol\'s net delta back to target (dry run)',
      options: [
        { name: 'symbol', description: 'Symbol, e.g. BTC', type: 'string', required: true, autocomplete: 'symbol', maxLength: 32 },
        { name: 'target', description: 'Target net delta in base units (default from config, usually 0)', type: 'number', min: -1e12, max: 1e12 },
        { name: 'tolerance', description: 'No plan at or below this deviation (default 0.05)', type: 'number', min: 0, max: 1 },
        { name: 'max_deviation', description: 'Above this the plan is blocked, error 1002 (default 0.10)', type: 'number', min: 0, max: 10 },
        { name: 'slippage', description: 'Slippage estimate for prices (default 0.005)', type: 'number', min: 0, max: 0.5 },
        { name: 'accounts', description: 'Comma-separated account ids (default: all that hold the symbol)', type: 'string', maxLength: 500 },
      ],
    },
  ],
  handle(ctx, input): View {
    const { snapshot } = requireData(ctx);
    const symbol = canonicalSymbol(String(input.options['symbol'] ?? '')).symbol;
    if (!symbol) throw new DeltaOpsError(ErrorCode.HedgePlanFailed, 'Give a symbol, e.g. symbol:BTC.');
    const cfg = ctx.config.symbols[symbol];
    const accountsOpt = input.options['accounts'];
    const accounts = typeof accountsOpt === 'string' && accountsOpt.trim() ? accountsOpt.split(',').map((s) => resolveAccount(ctx.config, s)) : undefined;
    const target = num(input, 'target') ?? cfg?.target;
    const tolerance = num(input, 'tolerance') ?? cfg?.tolerance;
    const maxDeviation = num(input, 'max_deviation') ?? cfg?.maxDeviation;
    const slippage = num(input, 'slippage') ?? cfg?.slippage;
    const plan = deltaPlanFromSnapshot(snapshot, {
      operationId: randomUUID(),
      symbol,
      ...(target !== undefined ? { target } : {}),
      ...(tolerance !== undefined ? { tolerance } : {}),
      ...(maxDeviation !== undefined ? { maxDeviation } : {}),
      ...(slippage !== undefined ? { slippage } : {}),
      ...(cfg?.maxPositionSize !== undefined ? { maxPositionSize: cfg.maxPositionSize } : {}),
      ...(accounts ? { accounts } : {}),
    }, ctx.now());
    const tone = plan.blocked ? 'critical' : plan.adjustmentNeeded ? 'warn' : 'ok';
    const lines = [
      `DRY RUN — nothing is sent to any venue.${plan.blocked ? ` BLOCKED (error ${plan.errorCode}): ${plan.reason}` : ` ${plan.reason}`}`,
      `Net ${qty(plan.initialDelta)} → ${qty(plan.finalDelta)} ${symbol} (target ${qty(plan.target)}) · deviation ${pct(plan.deltaDeviation)} → ${pct(plan.finalDeviation)} (tolerance ${pct(plan.tolerance)}, max ${pct(plan.maxDeviation)})`,
      `Mark ${price(plan.markPrice)} · ${plan.totalAdjustments} order(s) over ${plan.accountsProcessed} account(s) · cost ${usd(plan.totalCost)} · fees ${usd(plan.totalFees)}`,
    ];
    if (plan.unplanned > 0) lines.push(`Left unplanned: ${qty(plan.unplanned)} ${symbol} (lot size, minimum notional or limits).`);
    const view: View = {
      title: `Delta plan — ${symbol}`,
      tone,
      lines,
      tables: [{
        title: 'Planned orders',
        columns: [{ header: 'Account' }, { header: 'Side' }, { header: 'Amount', align: 'right' }, { header: 'Contract' }, { header: 'Est. price', align: 'right' }, { header: 'Notional', align: 'right' }, { header: 'Fee', align: 'right' }, { header: 'Type' }],
        rows: plan.orders.map((o) => [o.account, o.side.toUpperCase(), qty(o.amount), `${qty(o.contracts)} ${o.venueSymbol}`, price(o.estimatedPrice), usd(o.notional), usd(o.fee), o.reduceOnly ? 'reduce' : 'open']),
      }],
      footer: `operationId ${plan.operationId}`,
    };
    if (plan.skipped.length) {
      view.tables!.push({ title: 'Skipped', columns: [{ header: 'Account' }, { header: 'Amount', align: 'right' }, { header: 'Reason' }], rows: plan.skipped.map((s) => [s.account, qty(s.amount), s.reason]) });
    }
    return view;
  },
} satisfies Command<CoreContext>;
