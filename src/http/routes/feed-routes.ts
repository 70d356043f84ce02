import { createRoute } from '@hono/zod-openapi';
import { ErrorCode } from '../../core/errors.js';
import type { FeedEvent } from '../../core/feeds/types.js';
import type { Actor } from '../../core/ports/actor.js';
import { ApiError, errorResponse, okEnvelope } from '../envelope.js';
import { assertLeading, BEARER, DATA_ERRORS, type ApiApp, type HttpHost } from '../host.js';
import { FailoverRequest, FeedsResponse, SymbolFeedsSchema } from '../plan-schemas.js';

const feedsRoute = createRoute({
  method: 'get',
  path: '/api/v1/market-data/feeds',
  tags: ['market-data'],
  summary: 'Price feeds per symbol: health, the active feed, the last failover',
  security: BEARER,
  responses: { 200: { description: 'Feeds', content: { 'application/json': { schema: okEnvelope(FeedsResponse) } } }, ...DATA_ERRORS },
});

const failoverRoute = createRoute({
  method: 'post',
  path: '/api/v1/market-data/failover',
  tags: ['market-data'],
  summary: 'Pin a symbol to a feed, or "auto" to return to automatic choice (admin token; audited like the Discord command)',
  security: BEARER,
  request: { body: { content: { 'application/json': { schema: FailoverRequest } }, required: true } },
  responses: {
    200: { description: 'The symbol\'s feeds after the change', content: { 'application/json': { schema: okEnvelope(SymbolFeedsSchema) } } },
    403: errorResponse('Not the admin token (code 3001); the attempt is in the audit log'),
    404: errorResponse('No such symbol or feed (code 404)'),
    ...DATA_ERRORS,
  },
});

const FAILOVER_KINDS: ReadonlySet<FeedEvent['kind']> = new Set(['failover', 'manual']);

export function feedRoutes(app: ApiApp, host: HttpHost): void {
  app.openapi(feedsRoute, (c) => {
    assertLeading(host);
    const feeds = host.feeds.status();
    const active = Object.fromEntries(feeds.map((f) => [f.symbol, f.active ?? null]));
    const last = host.feedEvents().filter((e) => FAILOVER_KINDS.has(e.kind)).at(-1);
    return c.json({ success: true as const, data: { feeds, active, lastFailover: last ?? null }, timestamp: host.ops.now() }, 200);
  });

  app.openapi(failoverRoute, async (c) => {
    assertLeading(host);
    const body = c.req.valid('json');
    // FeedControl checks the admin flag and writes the audit row, refusals included, as for /feeds.
    const actor: Actor = { id: `http:${c.get('access')}-token`, name: `HTTP API (${c.get('access')} token)`, source: `http:${c.get('client')}`, isAdmin: c.get('access') === 'admin' };
    const r = await host.feeds.failover(actor, body.symbol, body.targetFeed, body.reason);
    if (r.ok) return c.json({ success: true as const, data: r.value, timestamp: host.ops.now() }, 200);
    if (r.reason === 'refused') throw new ApiError(403, ErrorCode.PermissionDenied, 'Permission denied: a feed failover needs the admin token (HTTP_ADMIN_TOKEN).');
    throw new ApiError(r.reason === 'not-found' ? 404 : 400, r.reason === 'not-found' ? 404 : 400, r.message);
  });
}
