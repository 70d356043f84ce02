import { randomUUID } from 'node:crypto';
import { createRoute } from '@hono/zod-openapi';
import { resolveAccount } from '../../../commands/context.js';
import { DeltaOpsError, ErrorCode } from '../../core/errors.js';
import { syncNow } from '../../core/on-demand-sync.js';
import { deltaPlanFromSnapshot, utilizationPlanFromSnapshot } from '../../core/queries/plans.js';
import { canonicalSymbol } from '../../core/symbols.js';
import { ApiError, errorResponse, okEnvelope } from '../envelope.js';
import { assertLeading, BEARER, DATA_ERRORS, liveData, type ApiApp, type HttpHost } from '../host.js';
import { DeltaControlRequest, DeltaControlResponse, RebalanceRequest, RebalanceResponse, SyncRequest, SyncResponse } from '../plan-schemas.js';

const json = <T>(schema: T): { content: { 'application/json': { schema: T } }; required: true } => ({ content: { 'application/json': { schema } }, required: true });
const refused = { 403: errorResponse('dryRun false (delta-ops never places orders), or not the admin token (code 3001)') };
const unknownAccount = { 404: errorResponse('Unknown account (code 1001)') };

const deltaRoute = createRoute({
  method: 'post',
  path: '/api/v1/delta/control',
  tags: ['plans'],
  summary: 'Dry-run delta plan: the orders that would bring a symbol\'s net delta back to target (never placed)',
  security: BEARER,
  request: { body: json(DeltaControlRequest) },
  responses: { 200: { description: 'The plan (blocked: true with errorCode 1002 when the deviation is over maxDeviation)', content: { 'application/json': { schema: okEnvelope(DeltaControlResponse) } } }, ...refused, ...unknownAccount, ...DATA_ERRORS },
});

const rebalanceRoute = createRoute({
  method: 'post',
  path: '/api/v1/utilization/rebalance',
  tags: ['plans'],
  summary: 'Dry-run utilization rebalance: collateral transfers toward the target (never executed)',
  security: BEARER,
  request: { body: json(RebalanceRequest) },
  responses: { 200: { description: 'The plan', content: { 'application/json': { schema: okEnvelope(RebalanceResponse) } } }, ...refused, ...unknownAccount, ...DATA_ERRORS },
});

const syncRoute = createRoute({
  method: 'post',
  path: '/api/v1/account/sync',
  tags: ['accounts'],
  summary: 'Sync now (admin token): joins a tick in flight or runs one, each venue call bounded by the account timeout',
  security: BEARER,
  request: { body: { content: { 'application/json': { schema: SyncRequest } }, required: false } },
  responses: { 200: { description: 'Synced and failed accounts', content: { 'application/json': { schema: okEnvelope(SyncResponse) } } }, ...refused, ...unknownAccount, ...DATA_ERRORS },
});

function refuseLiveOrders(dryRun: boolean): void {
  if (!dryRun) throw new ApiError(403, ErrorCode.PermissionDenied, 'delta-ops never places orders: only dry runs (dryRun: true) are answered.');
}

export function planRoutes(app: ApiApp, host: HttpHost): void {
  app.openapi(deltaRoute, (c) => {
    const body = c.req.valid('json');
    refuseLiveOrders(body.dryRun);
    const symbol = canonicalSymbol(body.symbol).symbol;
    if (!symbol) throw new DeltaOpsError(ErrorCode.HedgePlanFailed, 'Give a symbol, e.g. "BTC".');
    const accounts = body.accounts?.map((a) => resolveAccount(host.config, a));
    const { snapshot } = liveData(host);
    // The same query /delta plan answers from.
    const plan = deltaPlanFromSnapshot(
      snapshot,
      host.config,
      { operationId: randomUUID(), symbol, target: body.target, tolerance: body.tolerance, maxDeviation: body.maxDeviation, slippage: body.slippage, maxPositionSize: body.maxPositionSize, accounts },
      host.ops.now(),
    );
    return c.json({ success: true as const, data: { dryRun: true as const, ...plan }, timestamp: host.ops.now() }, 200);
  });

  app.openapi(rebalanceRoute, (c) => {
    const body = c.req.valid('json');
    refuseLiveOrders(body.dryRun);
    const only = body.accounts ? new Set(body.accounts.map((a) => resolveAccount(host.config, a))) : undefined;
    const { snapshot } = liveData(host);
    const u = host.config.utilization;
    const plan = utilizationPlanFromSnapshot(only ? { ...snapshot, accounts: snapshot.accounts.filter((a) => only.has(a.id)) } : snapshot, {
      targetUtilization: body.targetUtilization ?? u.target,
      tolerance: body.tolerance ?? u.tolerance,
      maxRebalanceAmount: body.maxRebalanceAmount ?? u.maxRebalanceAmount,
    });
    return c.json({ success: true as const, data: { dryRun: true as const, timestamp: host.ops.now(), ...plan }, timestamp: host.ops.now() }, 200);
  });

  app.openapi(syncRoute, async (c) => {
    if (c.get('access') !== 'admin') throw new ApiError(403, ErrorCode.PermissionDenied, 'Permission denied: an on-demand sync needs the admin token (HTTP_ADMIN_TOKEN).');
    const accounts = c.req.valid('json').accounts?.map((a) => resolveAccount(host.config, a));
    assertLeading(host);
    const r = await syncNow(host.engine, accounts);
    return c.json(
      {
        success: true as const,
        data: { seq: r.seq, synced: r.synced, failed: r.failed.map((f) => ({ accountId: f.account, code: f.code, message: f.message })), durationMs: r.ms, timestamp: host.ops.now() },
        timestamp: host.ops.now(),
      },
      200,
    );
  });
}
