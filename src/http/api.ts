import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { getConnInfo } from '@hono/node-server/conninfo';
import { HTTPException } from 'hono/http-exception';
import { routePath } from 'hono/route';
import { ErrorCode, isDeltaOpsError } from '../core/errors.js';
import { newErrorId } from '../present/execute.js';
import { BearerAuth, type Tokens } from './auth.js';
import { ApiError, errorBody, fromDeltaOpsError } from './envelope.js';
import type { ApiApp, ApiEnv, HttpHost } from './host.js';
import { RateLimiter } from './rate-limit.js';
import { feedRoutes } from './routes/feed-routes.js';
import { planRoutes } from './routes/plan-routes.js';
import { riskRoutes } from './routes/risk-routes.js';
import { systemRoutes } from './routes/system-routes.js';

export const OPENAPI_PATH = '/api/v1/openapi.json';
/** Probes and the API description: answered without a token and outside the rate limit (probes only). */
const PROBES = new Set(['/healthz', '/readyz']);
const PUBLIC = new Set([...PROBES, OPENAPI_PATH]);
const MAX_BODY_BYTES = 64 * 1024;

export interface ApiOptions {
  tokens: Tokens;
  /** Requests per client per window before 429 (3002). */
  rateLimit: { requests: number; windowMs: number };
  /** A clock that never jumps, for the rate limit (default performance.now). */
  monotonicNow?: () => number;
}

const openapiRoute = createRoute({
  method: 'get',
  path: OPENAPI_PATH,
  tags: ['system'],
  summary: 'This document (OpenAPI 3, generated from the routes\' zod schemas)',
  responses: { 200: { description: 'OpenAPI 3 document', content: { 'application/json': { schema: z.object({ openapi: z.string() }).passthrough() } } } },
});

/**
 * The control-plane HTTP API (read-only, dry-run), /metrics and the probes, on Hono with zod-validated
 * routes; the OpenAPI document comes from the same schemas. Every request is rate-limited per client
 * (probes excepted), authenticated by bearer token (probes and the document excepted), timed into the
 * ops model, and every error is `{success:false, error:{code, message}, timestamp}`.
 */
export function createApi(host: HttpHost, opts: ApiOptions): ApiApp {
  const auth = new BearerAuth(opts.tokens);
  const limiter = new RateLimiter({ limit: opts.rateLimit.requests, windowMs: opts.rateLimit.windowMs, monotonicNow: opts.monotonicNow ?? (() => performance.now()) });
  const log = host.logger.child({ component: 'http' });
  const now = (): number => host.ops.now();
  const app: ApiApp = new OpenAPIHono<ApiEnv>({
    defaultHook: (result, c) => {
      if (result.success) return undefined;
      const issue = result.error.issues[0];
      const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
      return c.json(errorBody(400, `Invalid request: ${where}${issue?.message ?? 'invalid'}`.slice(0, 300), now()), 400);
    },
  });

  app.use('*', async (c, next) => {
    const started = performance.now();
    host.ops.httpRequestStarted();
    await next();
    const seconds = (performance.now() - started) / 1000;
    const matched = routePath(c, -1);
    const route = matched === '*' || matched === '/*' ? 'unmatched' : matched;
    host.ops.recordHttpRequest({ method: c.req.method, route, status: c.res.status, seconds });
    if (route.startsWith('/api/v1/') && route !== OPENAPI_PATH) host.ops.recordOperation({ kind: 'api', name: `${c.req.method} ${route}`, seconds });
  });
  app.use('*', async (c, next) => {
    const client = clientOf(c);
    c.set('client', client);
    if (!PROBES.has(c.req.path)) {
      const waitMs = limiter.take(client);
      if (waitMs !== undefined) {
        const retry = String(Math.ceil(waitMs / 1000));
        throw new ApiError(429, ErrorCode.TooManyRequests, `Too many requests: at most ${opts.rateLimit.requests} per ${Math.round(opts.rateLimit.windowMs / 1000)} s from one client; retry in ${retry} s.`, { 'retry-after': retry });
      }
    }
    c.set('access', PUBLIC.has(c.req.path) ? 'read' : auth.authenticate(c.req.header('authorization')));
    await next();
  });
  app.use('/api/*', async (c, next) => {
    // Bodies are small JSON: a declared length over the limit is refused before it is read, and a body
    // without a declared length (chunked) is not read at all.
    const length = c.req.header('content-length');
    if (length === undefined && c.req.header('transfer-encoding') !== undefined) throw new ApiError(411, 411, 'Send the body with a Content-Length.');
    if (length !== undefined && !(Number(length) <= MAX_BODY_BYTES)) throw new ApiError(413, 413, `Request body over ${MAX_BODY_BYTES / 1024} KiB.`);
    await next();
  });

  systemRoutes(app, host);
  riskRoutes(app, host);
  planRoutes(app, host);
  feedRoutes(app, host);
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', { type: 'http', scheme: 'bearer', description: 'HTTP_READ_TOKEN for reads, HTTP_ADMIN_TOKEN for everything' });
  app.openapi(openapiRoute, (c) => c.json({ ...openApiDocument(app) }, 200));

  app.notFound((c) => c.json(errorBody(404, `No route ${c.req.method} ${c.req.path.slice(0, 100)}.`, now()), 404));
  app.onError((err, c) => {
    const e = err instanceof ApiError ? err : isDeltaOpsError(err) ? fromDeltaOpsError(err) : err instanceof HTTPException && err.status < 500 ? clientError(err) : undefined;
    if (e) return c.json(errorBody(e.code, e.message, now()), e.status, e.headers);
    const errorId = newErrorId();
    log.error({ errorId, err, method: c.req.method, path: c.req.path }, 'request failed');
    return c.json(errorBody(500, `Something went wrong on our side; the log has it under error id ${errorId}.`, now()), 500);
  });
  return app;
}

/** The OpenAPI 3 document of every route, from their zod schemas. */
export function openApiDocument(app: ApiApp): ReturnType<ApiApp['getOpenAPIDocument']> {
  return app.getOpenAPIDocument({
    openapi: '3.0.3',
    info: {
      title: 'delta-ops control plane',
      version: '1',
      description: 'Read-only and dry-run: delta-ops never places orders or moves funds. Errors are {success:false, error:{code, message}, timestamp} with the design.md §5 codes.',
    },
  });
}

/** A framework refusal (malformed JSON, unsupported media type) in the error envelope. */
function clientError(err: HTTPException): ApiError {
  const status = err.status === 415 || err.status === 413 ? err.status : 400;
  return new ApiError(status, status, err.message.slice(0, 200) || 'Bad request.');
}

function clientOf(c: Parameters<typeof getConnInfo>[0]): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown';
  }
}
