/**
 * Step 3–5 of the delta plan (design.md §2): split a needed change over accounts, reduce first, then
 * open, then round each order down to its venue's lot and drop the ones under the venue's minimum.
 *
 * Allocation works on capacity (position, maxPositionSize, margin) before rounding; whatever rounding
 * or a minimum-notional drop removes from an account's share stays unplanned rather than being pushed
 * onto the next account, whose order would be just as small. The plan reports it as `unplanned`.
 */
import type { MarketSpec, Symbol, VenueId } from '../types.js';
import { cleanMoney, cleanQuantity, subtractDecimals, sumDecimals } from '../decimal.js';
import type { DeltaPlanAccount, OrderLimit, OrderSide, PlannedOrder, SkippedOrder } from './delta-plan-types.js';
import { roundDownToLot } from './lot.js';

export interface AllocationContext {
  symbol: Symbol;
  mark: number;
  slippage: number;
  /** Plan-wide cap; an account with its own limit is held to the tighter one. */
  maxPositionSize?: number | undefined;
  markets: Partial<Record<VenueId, MarketSpec>>;
}

export interface Allocation {
  orders: PlannedOrder[];
  skipped: SkippedOrder[];
}

interface Share {
  account: DeltaPlanAccount;
  spec: MarketSpec;
  wanted: number;
  reduceOnly: boolean;
  limitedBy?: OrderLimit;
}

/** Plans orders that move the net by `change` (negative: sell, positive: buy). */
export function allocateChange(
  change: number,
  accounts: readonly DeltaPlanAccount[],
  ctx: AllocationContext,
): Allocation {
  const skipped: SkippedOrder[] = [];
  if (change === 0) return { orders: [], skipped };
  const direction = Math.sign(change);
  const side: OrderSide = direction < 0 ? 'sell' : 'buy';
  const estimatedPrice = cleanMoney(ctx.mark * (1 + direction * ctx.slippage));

  const tradable: { account: DeltaPlanAccount; spec: MarketSpec }[] = [];
  for (const account of accounts) {
    const spec = ctx.markets[account.venue];
    if (spec) tradable.push({ account, spec });
    else {
      const reason = `no market spec for ${ctx.symbol} on ${account.venue}: account left out`;
      skipped.push({ account: account.account, amount: 0, reason });
    }
  }

  const shares: Share[] = [];
  let remaining = Math.abs(change);

  // Reduce first: positions on the overweight side, largest first, ties by id; never past zero.
  const reducers = tradable
    .filter(({ account }) => Math.sign(account.position) === -direction)
    .sort((a, b) => Math.abs(b.account.position) - Math.abs(a.account.position) || byId(a.account, b.account));
  for (const { account, spec } of reducers) {
    if (remaining <= 0) break;
    const room = Math.abs(account.position);
    const wanted = Math.min(remaining, room);
    remaining = subtractDecimals(remaining, wanted);
    const limited = wanted === room && remaining > 0;
    shares.push({ account, spec, wanted, reduceOnly: true, ...(limited ? { limitedBy: 'position' as const } : {}) });
  }

  // Open only for what reducing cannot cover: flat accounts and those already on the wanted side,
  // most available margin first (they can carry the most), ties by id.
  const openers = tradable
    .filter(({ account }) => account.position === 0 || Math.sign(account.position) === direction)
    .sort((a, b) => b.account.available - a.account.available || byId(a.account, b.account));
  for (const { account, spec } of openers) {
    if (remaining <= 0) break;
    const { room, limit } = openingRoom(account, spec, estimatedPrice, ctx.maxPositionSize);
    if (room <= 0) continue;
    const wanted = Math.min(remaining, room);
    remaining = subtractDecimals(remaining, wanted);
    const limited = wanted === room && remaining > 0 && limit !== undefined;
    shares.push({ account, spec, wanted, reduceOnly: false, ...(limited ? { limitedBy: limit } : {}) });
  }

  const orders: PlannedOrder[] = [];
  for (const share of shares) {
    const order = toOrder(share, side, estimatedPrice, ctx);
    if ('reason' in order) skipped.push(order);
    else orders.push(order);
  }
  return { orders, skipped };
}

/**
 * The most an opening order may add on `account`: bounded by margin and by the tighter of the account's
 * own maxPositionSize and the plan-wide one, so a plan never leaves a size the position-limit alert
 * would flag.
 */
function openingRoom(
  account: DeltaPlanAccount,
  spec: MarketSpec,
  estimatedPrice: number,
  planLimit: number | undefined,
): { room: number; limit?: OrderLimit } {
  const leverage = account.leverage ?? spec.maxLeverage ?? 1;
  const marginRoom = Math.max(0, (account.available * leverage) / estimatedPrice);
  const maxPositionSize = tighter(account.maxPositionSize, planLimit);
  const positionRoom = maxPositionSize === undefined
    ? Number.POSITIVE_INFINITY
    : Math.max(0, subtractDecimals(maxPositionSize, Math.abs(account.position)));
  return positionRoom <= marginRoom
    ? { room: positionRoom, limit: 'maxPositionSize' }
    : { room: marginRoom, limit: 'margin' };
}

function toOrder(
  share: Share,
  side: OrderSide,
  estimatedPrice: number,
  ctx: AllocationContext,
): PlannedOrder | SkippedOrder {
  const { account, spec } = share;
  const amount = roundDownToLot(share.wanted, spec.lotSize);
  if (amount === 0) {
    const wanted = cleanQuantity(share.wanted);
    const reason = `${wanted} ${ctx.symbol} is less than one lot (${spec.lotSize}) on ${account.venue}`;
    return { account: account.account, amount: wanted, reason };
  }
  // Venues check the minimum at the order's price, unknown here; the mark is the neutral stand-in.
  const markNotional = cleanMoney(amount * ctx.mark);
  if (markNotional < spec.minNotional) {
    const reason = `notional $${markNotional} is below the ${account.venue} minimum of $${spec.minNotional}`;
    return { account: account.account, amount, reason };
  }
  const notional = cleanMoney(amount * estimatedPrice);
  return {
    account: account.account,
    venue: account.venue,
    symbol: ctx.symbol,
    venueSymbol: spec.venueSymbol,
    side,
    amount,
    contracts: cleanQuantity(amount / (spec.multiplier > 0 ? spec.multiplier : 1)),
    estimatedPrice,
    notional,
    fee: cleanMoney(notional * spec.takerFee),
    reduceOnly: share.reduceOnly,
    ...(share.limitedBy ? { limitedBy: share.limitedBy } : {}),
  };
}

function tighter(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  return b === undefined ? a : Math.min(a, b);
}

function byId(a: DeltaPlanAccount, b: DeltaPlanAccount): number {
  return a.account < b.account ? -1 : a.account > b.account ? 1 : 0;
}

/** Signed change each order makes to its account's position. */
export function signedAmount(order: PlannedOrder): number {
  return order.side === 'buy' ? order.amount : -order.amount;
}

export function sumOrders(orders: readonly PlannedOrder[], pick: (o: PlannedOrder) => number): number {
  return cleanMoney(sumDecimals(orders.map(pick)));
}
