import { createRoute } from '@hono/zod-openapi';
import { resolveAccount } from '../../../commands/context.js';
import type { AlertListItem } from '../../core/alerts/service.js';
import { accountHistory } from '../../core/queries/account-history.js';
import type { RiskReport } from '../../core/risk/types.js';
import { ErrorCode } from '../../core/errors.js';
import { ApiError, errorResponse, okEnvelope } from '../envelope.js';
import { BEARER, DATA_ERRORS, liveData, type ApiApp, type HttpHost } from '../host.js';
import { AccountParams, AlertsQuery, HistoryQuery, HistorySchema, RiskAlertSchema, RiskMetricsSchema } from '../schemas.js';
import { z } from '@hono/zod-openapi';

const DAY_MS = 86_400_000;
const unknownAccount = { 404: errorResponse('Unknown account (code 1001)') };

const metricsRoute = createRoute({
  method: 'get',
  path: '/api/v1/risk/metrics/{accountId}',
  tags: ['risk'],
  summary: 'Risk metrics of one account from the latest sync',
  security: BEARER,
  request: { params: AccountParams },
  responses: { 200: { description: 'Risk metrics', content: { 'application/json': { schema: okEnvelope(RiskMetricsSchema) } } }, ...unknownAccount, ...DATA_ERRORS },
});

const historyRoute = createRoute({
  method: 'get',
  path: '/api/v1/risk/metrics/{accountId}/history',
  tags: ['risk'],
  summary: 'Stored risk samples of one account, newest first',
  security: BEARER,
  request: { params: AccountParams, query: HistoryQuery },
  responses: { 200: { description: 'Samples', content: { 'application/json': { schema: okEnvelope(HistorySchema) } } }, ...unknownAccount, ...DATA_ERRORS },
});

const alertsRoute = createRoute({
  method: 'get',
  path: '/api/v1/risk/alerts',
  tags: ['risk'],
  summary: 'Alerts (active by default), most severe first',
  security: BEARER,
  request: { query: AlertsQuery },
  responses: { 200: { description: 'Alerts', content: { 'application/json': { schema: okEnvelope(z.array(RiskAlertSchema)) } } }, ...unknownAccount, ...DATA_ERRORS },
});

/** The worst deviation among the symbols the account holds: its share of the book's imbalance. */
function accountDeviation(risk: RiskReport, account: string): number {
  let worst = 0;
  for (const d of risk.portfolio.deltas) if (d.accounts.includes(account) && d.deviation > worst) worst = d.deviation;
  return worst;
}

export function riskAlert(a: AlertListItem): z.infer<typeof RiskAlertSchema> {
  return {
    id: a.shortId,
    type: a.type,
    severity: a.severity,
    accountId: a.account ?? null,
    symbol: a.symbol ?? null,
    message: a.summary,
    timestamp: a.startsAt,
    state: a.state,
    data: {
      value: a.value,
      threshold: a.threshold,
      updatedAt: a.updatedAt,
      firedAt: a.firedAt ?? null,
      acknowledgedBy: a.ackedBy ?? null,
      acknowledgedAt: a.ackedAt ?? null,
      resolvedAt: a.resolvedAt ?? null,
      silencedUntil: a.silence?.endsAt ?? null,
      inhibitedBy: a.inhibitedBy,
    },
  };
}

export function riskRoutes(app: ApiApp, host: HttpHost): void {
  app.openapi(metricsRoute, (c) => {
    const id = resolveAccount(host.config, c.req.valid('param').accountId);
    const { risk } = liveData(host);
    const m = risk.accounts.find((x) => x.account === id);
    // Configured but never synced: no numbers exist to answer with.
    if (!m) throw new ApiError(503, ErrorCode.MarketDataUnavailable, `No data for ${id} yet: it has not synced successfully.`);
    const data = {
      accountId: m.account,
      venue: m.venue,
      deltaDeviation: accountDeviation(risk, m.account),
      utilizationRate: m.utilization,
      leverageRatio: m.leverage,
      unrealizedPnl: m.unrealizedPnl,
      maxDrawdown: m.maxDrawdown,
      marginRatio: m.marginRatio ?? null,
      liquidationDistance: m.liquidationDistance ?? null,
      riskLevel: m.riskLevel,
      equity: m.equity,
      available: m.available,
      stale: m.stale,
      timestamp: risk.computedAt,
    };
    return c.json({ success: true as const, data, timestamp: host.ops.now() }, 200);
  });

  app.openapi(historyRoute, async (c) => {
    const id = resolveAccount(host.config, c.req.valid('param').accountId);
    const q = c.req.valid('query');
    const now = host.ops.now();
    const samples = await accountHistory(host.store.metrics, id, q.since ?? now - DAY_MS, now, q.limit);
    return c.json({ success: true as const, data: { accountId: id, samples }, timestamp: now }, 200);
  });

  app.openapi(alertsRoute, async (c) => {
    const q = c.req.valid('query');
    const account = q.accountId === undefined ? undefined : resolveAccount(host.config, q.accountId);
    const items = await host.alerts.list({ state: q.state, limit: q.limit, ...(account ? { account } : {}), ...(q.severity ? { severity: q.severity } : {}), ...(q.type ? { type: q.type } : {}) });
    return c.json({ success: true as const, data: items.map(riskAlert), timestamp: host.ops.now() }, 200);
  });
}
