import type { DeltaPlan } from '../core/planners/index.js';
import { pct, price, qty, usd } from './format.js';
import type { View, ViewTable } from './view.js';

/**
 * What the plan means in words. A blocked plan (deviation over maxDeviation, error 1002) still lists
 * the orders a full correction would take, because their size is what a person needs to judge; so
 * the view says plainly, before the table, that these orders are not a fix to execute.
 */
function headline(plan: DeltaPlan): string[] {
  const dryRun = 'DRY RUN — nothing is sent to any venue.';
  if (!plan.blocked) return [`${dryRun} ${plan.reason}`];
  return [
    `${dryRun} BLOCKED (error ${plan.errorCode}): deviation ${pct(plan.deltaDeviation)} is over the ${pct(plan.maxDeviation)} limit, too large to correct without a person.`,
    'This plan is NOT a fix: the orders below only show the size of the gap. Do not execute them as they are; a person decides what to do.',
  ];
}

function ordersTable(plan: DeltaPlan): ViewTable {
  return {
    title: plan.blocked ? 'Orders a full correction would take (NOT a fix: blocked)' : 'Planned orders',
    columns: [
      { header: 'Account' }, { header: 'Side' }, { header: 'Amount', align: 'right' }, { header: 'Contract' },
      { header: 'Est. price', align: 'right' }, { header: 'Notional', align: 'right' }, { header: 'Fee', align: 'right' }, { header: 'Type' },
    ],
    rows: plan.orders.map((o) => [
      o.account, o.side.toUpperCase(), qty(o.amount), `${qty(o.contracts)} ${o.venueSymbol}`,
      price(o.estimatedPrice), usd(o.notional), usd(o.fee), o.reduceOnly ? 'reduce' : 'open',
    ]),
  };
}

/** `/delta plan`: the dry-run plan, its orders and what it skipped. */
export function deltaPlanView(plan: DeltaPlan): View {
  const s = plan.symbol;
  const lines = [
    ...headline(plan),
    `Net ${qty(plan.initialDelta)} → ${qty(plan.finalDelta)} ${s} (target ${qty(plan.target)}) · deviation ${pct(plan.deltaDeviation)} → ${pct(plan.finalDeviation)} (tolerance ${pct(plan.tolerance)}, max ${pct(plan.maxDeviation)})`,
    `Mark ${price(plan.markPrice)} · ${plan.totalAdjustments} order(s) over ${plan.accountsProcessed} account(s) · cost ${usd(plan.totalCost)} · fees ${usd(plan.totalFees)}`,
  ];
  if (plan.unplanned > 0) lines.push(`Left unplanned: ${qty(plan.unplanned)} ${s} (lot size, minimum notional or limits).`);
  const tables = [ordersTable(plan)];
  if (plan.skipped.length) {
    tables.push({
      title: 'Skipped',
      columns: [{ header: 'Account' }, { header: 'Amount', align: 'right' }, { header: 'Reason' }],
      rows: plan.skipped.map((x) => [x.account, qty(x.amount), x.reason]),
    });
  }
  return {
    title: `Delta plan — ${s}`,
    tone: plan.blocked ? 'critical' : plan.adjustmentNeeded ? 'warn' : 'ok',
    lines,
    tables,
    footer: `operationId ${plan.operationId}`,
  };
}
