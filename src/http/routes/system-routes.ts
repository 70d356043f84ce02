import { createRoute, z } from '@hono/zod-openapi';
import { okEnvelope } from '../envelope.js';
import { BEARER, COMMON_ERRORS, type ApiApp, type HttpHost } from '../host.js';
import { HealthSchema, ReadinessSchema, SystemStatusSchema } from '../schemas.js';

const healthz = createRoute({
  method: 'get',
  path: '/healthz',
  tags: ['health'],
  summary: 'Alive: the process answers (no token needed)',
  responses: { 200: { description: 'Alive', content: { 'application/json': { schema: HealthSchema } } } },
});

const readyz = createRoute({
  method: 'get',
  path: '/readyz',
  tags: ['health'],
  summary: 'Ready: leading, first sync done, store answering, Discord connected when configured (no token needed)',
  responses: {
    200: { description: 'Ready', content: { 'application/json': { schema: ReadinessSchema } } },
    503: { description: 'Not ready (a standby is never ready)', content: { 'application/json': { schema: ReadinessSchema } } },
  },
});

const metrics = createRoute({
  method: 'get',
  path: '/metrics',
  tags: ['health'],
  summary: 'Prometheus metrics (text exposition format)',
  security: BEARER,
  responses: { 200: { description: 'Metrics', content: { 'text/plain': { schema: z.string() } } }, ...COMMON_ERRORS },
});

const status = createRoute({
  method: 'get',
  path: '/api/v1/system/status',
  tags: ['system'],
  summary: 'Uptime, services, performance, open alerts, feeds off primary, instance and leader (what /status shows)',
  security: BEARER,
  responses: { 200: { description: 'System status', content: { 'application/json': { schema: okEnvelope(SystemStatusSchema) } } }, ...COMMON_ERRORS },
});

export function systemRoutes(app: ApiApp, host: HttpHost): void {
  app.openapi(healthz, (c) => c.json({ status: 'ok' as const, uptime: (host.ops.now() - host.ops.startedAt) / 1000 }, 200));
  app.openapi(readyz, async (c) => {
    const r = await host.readiness();
    return r.ready ? c.json({ ...r, timestamp: host.ops.now() }, 200) : c.json({ ...r, timestamp: host.ops.now() }, 503);
  });
  app.openapi(metrics, async (c) => {
    const text = await host.metrics.render();
    return c.text(text, 200, { 'content-type': host.metrics.contentType });
  });
  app.openapi(status, async (c) => c.json({ success: true as const, data: await host.system(), timestamp: host.ops.now() }, 200));
}
