import { DeltaOpsError, ErrorCode } from '../errors.js';
import { planDelta, planUtilization, type DeltaPlan, type DeltaPlanAccount, type UtilizationPlan } from '../planners/index.js';
import { resolveMaxPositionSize, resolveSymbolLimits, type ThresholdSettings } from '../thresholds/resolve.js';
import type { MarketSpec, Snapshot, VenueId } from '../types.js';

/** A person's request; what it leaves out comes from the config (`symbols.<sym>`), then the defaults. */
export interface DeltaPlanRequest {
  operationId: string;
  symbol: string;
  target?: number;
  tolerance?: number;
  maxDeviation?: number;
  slippage?: number;
  /** A plan-wide cap on top of each account's own limit (never looser than it). */
  maxPositionSize?: number;
  accounts?: readonly string[];
}

/**
 * Feeds the pure delta planner from the snapshot: positions, available margin, market specs, mark, and
 * each account's maxPositionSize resolved as the position-limit alert resolves it.
 */
export function deltaPlanFromSnapshot(
  snapshot: Snapshot,
  settings: Pick<ThresholdSettings, 'overrides' | 'symbols'>,
  req: DeltaPlanRequest,
  now: number,
): DeltaPlan {
  const known = new Set(snapshot.accounts.map((a) => a.id));
  for (const id of req.accounts ?? []) {
    if (!known.has(id)) throw new DeltaOpsError(ErrorCode.InvalidAccount, `Unknown account "${id.slice(0, 64)}".`);
  }
  const accounts: DeltaPlanAccount[] = [];
  for (const a of snapshot.accounts) {
    if (!a.state) continue;
    const position = a.state.positions.filter((p) => p.symbol === req.symbol).reduce((s, p) => s + p.size, 0);
    const maxPositionSize = resolveMaxPositionSize(settings, a.id, req.symbol);
    accounts.push({ account: a.id, venue: a.venue, position, available: a.state.balance.available, maxPositionSize });
  }
  const markets: Partial<Record<VenueId, MarketSpec>> = {};
  for (const [venue, specs] of Object.entries(snapshot.markets) as [VenueId, Record<string, MarketSpec>][]) {
    const spec = specs[req.symbol];
    if (spec) markets[venue] = spec;
  }
  const limits = resolveSymbolLimits(settings.symbols, req.symbol);
  return planDelta({
    operationId: req.operationId,
    timestamp: now,
    symbol: req.symbol,
    accounts,
    markets,
    markPrice: snapshot.prices[req.symbol]?.mark,
    target: req.target ?? limits.target,
    tolerance: req.tolerance ?? limits.tolerance,
    maxDeviation: req.maxDeviation ?? limits.maxDeviation,
    slippage: req.slippage ?? limits.slippage,
    maxPositionSize: req.maxPositionSize,
    accountFilter: req.accounts?.length ? req.accounts : undefined,
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
