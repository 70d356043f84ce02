import { DeltaOpsError, ErrorCode } from '../errors.js';
import { planDelta, planUtilization, type DeltaPlan, type DeltaPlanAccount, type UtilizationPlan } from '../planners/index.js';
import type { MarketSpec, Snapshot, VenueId } from '../types.js';

export interface DeltaPlanRequest {
  operationId: string;
  symbol: string;
  target?: number;
  tolerance?: number;
  maxDeviation?: number;
  slippage?: number;
  maxPositionSize?: number;
  accounts?: readonly string[];
}

/** Feeds the pure delta planner from the snapshot: positions, available margin, market specs, mark. */
export function deltaPlanFromSnapshot(snapshot: Snapshot, req: DeltaPlanRequest, now: number): DeltaPlan {
  const known = new Set(snapshot.accounts.map((a) => a.id));
  for (const id of req.accounts ?? []) {
    if (!known.has(id)) throw new DeltaOpsError(ErrorCode.InvalidAccount, `Unknown account "${id.slice(0, 64)}".`);
  }
  const accounts: DeltaPlanAccount[] = [];
  for (const a of snapshot.accounts) {
    if (!a.state) continue;
    const position = a.state.positions.filter((p) => p.symbol === req.symbol).reduce((s, p) => s + p.size, 0);
    accounts.push({ account: a.id, venue: a.venue, position, available: a.state.balance.available });
  }
  const markets: Partial<Record<VenueId, MarketSpec>> = {};
  for (const [venue, specs] of Object.entries(snapshot.markets) as [VenueId, Record<string, MarketSpec>][]) {
    const spec = specs[req.symbol];
    if (spec) markets[venue] = spec;
  }
  const mark = snapshot.prices[req.symbol]?.mark;
  return planDelta({
    operationId: req.operationId,
    timestamp: now,
    symbol: req.symbol,
    accounts,
    markets,
    ...(mark !== undefined ? { markPrice: mark } : {}),
    ...(req.target !== undefined ? { target: req.target } : {}),
    ...(req.tolerance !== undefined ? { tolerance: req.tolerance } : {}),
    ...(req.maxDeviation !== undefined ? { maxDeviation: req.maxDeviation } : {}),
    ...(req.slippage !== undefined ? { slippage: req.slippage } : {}),
    ...(req.maxPositionSize !== undefined ? { maxPositionSize: req.maxPositionSize } : {}),
    ...(req.accounts?.length ? { accountFilter: req.accounts } : {}),
  });
}

export interface UtilizationRequest {
  targetUtilization: number;
  tolerance: number;
  maxRebalanceAmount?: number;
}

/** The utilization rebalance over every account with data. */
export function utilizationPlanFromSnapshot(snapshot: Snapshot, req: UtilizationRequest): UtilizationPlan {
  const accounts = snapshot.accounts.flatMap((a) => (a.state ? [{ account: a.id, equity: a.state.balance.equity, available: a.state.balance.available }] : []));
  return planUtilization({ ...req, accounts });
}
