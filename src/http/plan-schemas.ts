import { z } from '@hono/zod-openapi';
import { VENUE_IDS } from '../core/types.js';

/** Schemas of the dry-run, sync and feed routes. */

const epochMs = z.number().int().openapi({ description: 'Epoch ms' });
const accounts = z.array(z.string().min(1).max(64)).max(1000);
const dryRun = z.boolean().default(true).openapi({ description: 'Must be true (or left out): delta-ops never places orders; false is refused with 403, error 3001' });

export const DeltaControlRequest = z
  .object({
    symbol: z.string().min(1).max(32).openapi({ example: 'BTC' }),
    target: z.number().min(-1e12).max(1e12).optional().openapi({ description: 'Target net delta, base units (default from config, usually 0)' }),
    tolerance: z.number().min(0).max(1).optional(),
    maxDeviation: z.number().min(0).max(10).optional(),
    slippage: z.number().min(0).max(0.5).optional(),
    maxPositionSize: z.number().positive().optional(),
    accounts: accounts.optional().openapi({ description: 'Default: every account that holds the symbol' }),
    dryRun,
  })
  .openapi('DeltaControlRequest');

const OrderSchema = z.object({
  account: z.string(),
  venue: z.enum(VENUE_IDS),
  symbol: z.string(),
  venueSymbol: z.string(),
  side: z.enum(['buy', 'sell']),
  amount: z.number(),
  contracts: z.number(),
  estimatedPrice: z.number(),
  notional: z.number(),
  fee: z.number(),
  reduceOnly: z.boolean(),
  limitedBy: z.enum(['position', 'maxPositionSize', 'margin']).optional(),
});

export const DeltaControlResponse = z
  .object({
    dryRun: z.literal(true),
    operationId: z.string(),
    timestamp: epochMs,
    symbol: z.string(),
    target: z.number(),
    tolerance: z.number(),
    maxDeviation: z.number(),
    slippage: z.number(),
    markPrice: z.number(),
    initialDelta: z.number(),
    finalDelta: z.number(),
    deltaDeviation: z.number(),
    finalDeviation: z.number(),
    hedgeSize: z.number(),
    accounts: z.array(z.string()),
    accountsProcessed: z.number().int(),
    totalAdjustments: z.number().int(),
    adjustmentNeeded: z.boolean(),
    orders: z.array(OrderSchema),
    skipped: z.array(z.object({ account: z.string(), amount: z.number(), reason: z.string() })),
    unplanned: z.number(),
    totalCost: z.number(),
    totalFees: z.number(),
    netDeltaChange: z.number(),
    blocked: z.boolean().openapi({ description: 'Deviation over maxDeviation: too large to correct without a person (errorCode 1002)' }),
    errorCode: z.literal(1002).optional(),
    reason: z.string(),
  })
  .openapi('DeltaControlResponse');

export const RebalanceRequest = z
  .object({
    targetUtilization: z.number().min(0.01).max(1).optional(),
    tolerance: z.number().min(0).max(10).optional(),
    maxRebalanceAmount: z.number().positive().optional(),
    accounts: accounts.optional().openapi({ description: 'Default: every account with data' }),
    dryRun,
  })
  .openapi('UtilizationRebalanceRequest');

export const RebalanceResponse = z
  .object({
    dryRun: z.literal(true),
    timestamp: epochMs,
    targetUtilization: z.number(),
    tolerance: z.number(),
    maxRebalanceAmount: z.number().optional(),
    accounts: z.array(
      z.object({
        account: z.string(),
        equity: z.number(),
        available: z.number(),
        used: z.number(),
        utilization: z.number(),
        deviationPercent: z.number(),
        withinTolerance: z.boolean(),
        action: z.enum(['decrease', 'increase', 'maintain']),
        adjustmentAmount: z.number(),
      }),
    ),
    totalEquity: z.number(),
    totalUsed: z.number(),
    portfolioUtilization: z.number(),
    transfers: z.array(z.object({ from: z.string(), to: z.string(), amount: z.number() })),
    totalTransferred: z.number(),
    externalDeposits: z.array(z.object({ account: z.string(), amount: z.number() })),
    totalExternalDeposits: z.number(),
    capped: z.boolean(),
    heldBackByCap: z.number(),
    reason: z.string(),
  })
  .openapi('UtilizationRebalanceResponse');

export const SyncRequest = z.object({ accounts: accounts.optional().openapi({ description: 'Default: every account' }) }).openapi('AccountSyncRequest');

export const SyncResponse = z
  .object({
    seq: z.number().int().openapi({ description: 'The tick that served the request (joined when one was running)' }),
    synced: z.array(z.string()),
    failed: z.array(z.object({ accountId: z.string(), code: z.number().int(), message: z.string() })),
    durationMs: z.number(),
    timestamp: epochMs,
  })
  .openapi('AccountSyncResponse');

const FeedSchema = z.object({
  name: z.string(),
  state: z.enum(['healthy', 'degraded', 'failing']),
  ok: z.boolean(),
  reason: z.string(),
  mark: z.number().optional(),
  lastUpdateAt: epochMs.optional(),
  latencyMs: z.number().optional(),
  errorCount: z.number().int(),
  consecutiveErrors: z.number().int(),
  lastError: z.object({ code: z.number().int(), message: z.string() }).optional(),
});

export const SymbolFeedsSchema = z
  .object({
    symbol: z.string(),
    primary: z.string(),
    active: z.string().optional(),
    activeReason: z.string(),
    pinned: z.object({ source: z.string(), by: z.string(), reason: z.string(), at: epochMs }).optional(),
    feeds: z.array(FeedSchema),
  })
  .openapi('SymbolFeeds');

const FeedEventSchema = z
  .object({
    at: epochMs,
    symbol: z.string(),
    kind: z.enum(['failover', 'failback', 'manual', 'auto', 'lost', 'restored']),
    from: z.string().optional(),
    to: z.string().optional(),
    reason: z.string(),
    actor: z.string().optional(),
  })
  .openapi('FeedEvent');

export const FeedsResponse = z
  .object({
    feeds: z.array(SymbolFeedsSchema),
    active: z.record(z.string(), z.string().nullable()).openapi({ description: 'The active feed per symbol (null: no feed can serve it)' }),
    lastFailover: FeedEventSchema.nullable().openapi({ description: 'The latest automatic or manual failover' }),
  })
  .openapi('MarketDataFeeds');

export const FailoverRequest = z
  .object({
    symbol: z.string().min(1).max(32).openapi({ example: 'BTC' }),
    targetFeed: z.string().min(1).max(32).openapi({ description: 'A feed of the symbol, or "auto" to return to automatic choice', example: 'binance' }),
    reason: z.string().min(1).max(500),
  })
  .openapi('FailoverRequest');
