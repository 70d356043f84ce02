import type { ErrorCode } from '../errors.js';
import type { AccountId, MarketSpec, Symbol, VenueId } from '../types.js';

/** One account as the delta planner needs it; the caller extracts these from the snapshot. */
export interface DeltaPlanAccount {
  account: AccountId;
  venue: VenueId;
  /** Signed size of the plan's symbol in base units (0 when flat). */
  position: number;
  /** Available margin, USD. */
  available: number;
  /**
   * Leverage assumed for the margin of an opening order (margin = notional / leverage).
   * Default: the venue market's `maxLeverage`, else 1.
   */
  leverage?: number;
  /**
   * Largest |size| this account may hold of the symbol, base units: the limit the position-limit alert
   * uses (src/core/thresholds: overrides over `symbols.<sym>.maxPositionSize`). None: no limit.
   */
  maxPositionSize?: number;
}

export interface DeltaPlanInput {
  /** Passed in so the function stays pure and the answer can be correlated with logs. */
  operationId: string;
  /** Epoch ms. */
  timestamp: number;
  /** Canonical symbol. */
  symbol: Symbol;
  /** Target net delta in base units (default: SYMBOL_DEFAULTS in src/core/thresholds, as the next three). */
  target?: number;
  /** Deviation at or below this needs no adjustment. */
  tolerance?: number;
  /** Deviation above this blocks the plan with 1002. */
  maxDeviation?: number;
  /** Fractional slippage for the estimated price. */
  slippage?: number;
  /** Accounts to plan over; default: every account in `accounts` with a non-zero position. */
  accountFilter?: readonly AccountId[];
  /**
   * Largest |size| an opening order may leave on any account, base units. An account with its own
   * `maxPositionSize` is held to the tighter of the two.
   */
  maxPositionSize?: number;
  /** All known accounts (positions of `symbol`, 0 when flat). */
  accounts: readonly DeltaPlanAccount[];
  /** MarketSpec of `symbol` per venue. */
  markets: Partial<Record<VenueId, MarketSpec>>;
  /** Mark price of `symbol`, USD; missing → DeltaOpsError 1005. */
  markPrice?: number;
}

export type OrderSide = 'buy' | 'sell';

/** Why an order is smaller than the change still needed when it was allocated. */
export type OrderLimit = 'position' | 'maxPositionSize' | 'margin';

export interface PlannedOrder {
  account: AccountId;
  venue: VenueId;
  symbol: Symbol;
  /** The venue's contract name, for the person entering the order. */
  venueSymbol: string;
  side: OrderSide;
  /** Base units of `symbol`, a whole number of the venue's lots. */
  amount: number;
  /** `amount / multiplier`: the quantity in the venue's own contract units. */
  contracts: number;
  /** mark × (1 + slippage) for buys, mark × (1 − slippage) for sells. */
  estimatedPrice: number;
  /** amount × estimatedPrice, USD. */
  notional: number;
  /** notional × takerFee, USD. */
  fee: number;
  /** True when the order only shrinks an existing position. */
  reduceOnly: boolean;
  /** Set when a limit, not the remaining change, decided the size. */
  limitedBy?: OrderLimit;
}

export interface SkippedOrder {
  account: AccountId;
  /** Base units that would have been ordered (after lot rounding where a lot size is known). */
  amount: number;
  reason: string;
}

/** A dry-run plan; field names follow the control-plane contract. */
export interface DeltaPlan {
  operationId: string;
  timestamp: number;
  symbol: Symbol;
  target: number;
  tolerance: number;
  maxDeviation: number;
  slippage: number;
  markPrice: number;
  /** Net delta before the plan, base units. */
  initialDelta: number;
  /** Net delta if every planned order fills, base units. */
  finalDelta: number;
  /** Initial deviation. */
  deltaDeviation: number;
  finalDeviation: number;
  /** Hedge size before the plan. */
  hedgeSize: number;
  /** Accounts the plan considered, ascending id. */
  accounts: AccountId[];
  accountsProcessed: number;
  /** Number of planned orders. */
  totalAdjustments: number;
  adjustmentNeeded: boolean;
  orders: PlannedOrder[];
  skipped: SkippedOrder[];
  /** |Δ| in base units left without an order (lot rounding, minimums, limits, no capacity). */
  unplanned: number;
  /** Σ notional, USD. */
  totalCost: number;
  /** Σ fee, USD. */
  totalFees: number;
  /** finalDelta − initialDelta. */
  netDeltaChange: number;
  blocked: boolean;
  errorCode?: typeof ErrorCode.DeviationOverLimit;
  reason: string;
}
