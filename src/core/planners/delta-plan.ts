/**
 * Dry-run delta plan (design.md §2). Pure: every input, including the operation id and the time, is
 * passed in, so the same input always gives the same plan and tests can work the numbers by hand.
 */
import { DeltaOpsError, ErrorCode } from '../errors.js';
import type { AccountId } from '../types.js';
import { cleanQuantity, subtractDecimals, sumDecimals } from '../decimal.js';
import { allocateChange, signedAmount, sumOrders } from './delta-allocate.js';
import type { DeltaPlan, DeltaPlanAccount, DeltaPlanInput, PlannedOrder } from './delta-plan-types.js';
import { computeDeviation, summarizeSizes } from '../risk/deviation.js';
import { SYMBOL_DEFAULTS } from '../thresholds/defaults.js';

/**
 * Plans the orders that bring the symbol's net delta back to target: reduce the overweight side
 * first (largest position first, ties by account id, never past zero), then open on the other side
 * within each account's maxPositionSize and margin (most available margin first, ties by id).
 * Orders are rounded down to lots; ones under the venue's minimum notional are listed in `skipped`.
 *
 * A deviation above maxDeviation still gets a plan, marked `blocked` with 1002.
 * @throws DeltaOpsError 1005 without a usable mark price; 1001 for an unknown account in the filter.
 */
export function planDelta(input: DeltaPlanInput): DeltaPlan {
  const { symbol, markPrice } = input;
  if (markPrice === undefined || !Number.isFinite(markPrice) || markPrice <= 0) {
    throw new DeltaOpsError(ErrorCode.MarketDataUnavailable, `no mark price for ${symbol}`);
  }
  const target = input.target ?? SYMBOL_DEFAULTS.target;
  const tolerance = input.tolerance ?? SYMBOL_DEFAULTS.tolerance;
  const maxDeviation = input.maxDeviation ?? SYMBOL_DEFAULTS.maxDeviation;
  const slippage = input.slippage ?? SYMBOL_DEFAULTS.slippage;

  const accounts = selectAccounts(input.accounts, input.accountFilter);
  const initial = summarizeSizes(accounts.map((a) => a.position));
  const deltaDeviation = computeDeviation(initial.net, target, initial.hedgeSize);
  const adjustmentNeeded = deltaDeviation > tolerance;
  const blocked = deltaDeviation > maxDeviation;
  const change = subtractDecimals(target, initial.net);

  const { orders, skipped } = adjustmentNeeded
    ? allocateChange(change, accounts, {
        symbol,
        mark: markPrice,
        slippage,
        markets: input.markets,
        maxPositionSize: input.maxPositionSize,
      })
    : { orders: [], skipped: [] };

  const final = summarizeSizes(accounts.map((a) => finalPosition(a, orders)));
  const finalDeviation = computeDeviation(final.net, target, final.hedgeSize);
  const netDeltaChange = subtractDecimals(final.net, initial.net);
  const unplanned = adjustmentNeeded ? cleanQuantity(Math.abs(subtractDecimals(change, netDeltaChange))) : 0;

  const reason = blocked
    ? `deviation ${fmt(deltaDeviation)} over maxDeviation ${fmt(maxDeviation)}: too large to correct without a person`
    : !adjustmentNeeded
      ? `deviation ${fmt(deltaDeviation)} within tolerance ${fmt(tolerance)}: no adjustment needed`
      : describePlan(symbol, change, orders, unplanned, finalDeviation);

  return {
    operationId: input.operationId,
    timestamp: input.timestamp,
    symbol,
    target,
    tolerance,
    maxDeviation,
    slippage,
    markPrice,
    initialDelta: initial.net,
    finalDelta: final.net,
    deltaDeviation,
    finalDeviation,
    hedgeSize: initial.hedgeSize,
    accounts: accounts.map((a) => a.account),
    accountsProcessed: accounts.length,
    totalAdjustments: orders.length,
    adjustmentNeeded,
    orders,
    skipped,
    unplanned,
    totalCost: sumOrders(orders, (o) => o.notional),
    totalFees: sumOrders(orders, (o) => o.fee),
    netDeltaChange,
    blocked,
    ...(blocked ? { errorCode: ErrorCode.DeviationOverLimit } : {}),
    reason,
  };
}

/** The filter's accounts (each must exist), else every account holding the symbol; ascending id. */
function selectAccounts(
  all: readonly DeltaPlanAccount[],
  filter: readonly AccountId[] | undefined,
): DeltaPlanAccount[] {
  const byId = new Map<AccountId, DeltaPlanAccount>();
  for (const a of all) if (!byId.has(a.account)) byId.set(a.account, a);
  let chosen: DeltaPlanAccount[];
  if (filter) {
    chosen = [...new Set(filter)].map((id) => {
      const found = byId.get(id);
      if (!found) throw new DeltaOpsError(ErrorCode.InvalidAccount, `unknown account "${id}"`);
      return found;
    });
  } else {
    chosen = [...byId.values()].filter((a) => a.position !== 0);
  }
  return chosen.sort((a, b) => (a.account < b.account ? -1 : a.account > b.account ? 1 : 0));
}

function finalPosition(account: DeltaPlanAccount, orders: readonly PlannedOrder[]): number {
  const own = orders.filter((o) => o.account === account.account).map(signedAmount);
  return sumDecimals([account.position, ...own]);
}

function describePlan(
  symbol: string,
  change: number,
  orders: readonly PlannedOrder[],
  unplanned: number,
  finalDeviation: number,
): string {
  const side = change < 0 ? 'sell' : 'buy';
  const reducing = orders.filter((o) => o.reduceOnly).length;
  const parts = [
    `${side} ${cleanQuantity(Math.abs(change))} ${symbol}: ${orders.length} order(s), ` +
      `${reducing} reducing, ${orders.length - reducing} opening`,
    `final deviation ${fmt(finalDeviation)}`,
  ];
  if (unplanned > 0) parts.push(`${unplanned} ${symbol} left unplanned (lot size, minimum notional or limits)`);
  return parts.join('; ');
}

/** Ratios in reasons: at most 4 decimals, no trailing zeros (0.25, not 0.2500). */
function fmt(x: number): string {
  return String(Number(x.toFixed(4)));
}
