import { z } from '@hono/zod-openapi';
import { ALERT_TYPES, SEVERITIES } from '../core/ports/alerts.js';
import { SERVICE_NAMES } from '../core/ops/service-health.js';
import { VENUE_IDS } from '../core/types.js';

/** Schemas of the read routes; the OpenAPI document is generated from these (src/http/api.ts). */

const epochMs = z.number().int().openapi({ description: 'Epoch ms' });

export const ServiceSchema = z
  .object({
    name: z.enum(SERVICE_NAMES),
    status: z.enum(['healthy', 'degraded', 'down', 'idle', 'off']).openapi({ description: 'idle: expected here, not running yet (standby, before the first tick); off: not used by this instance' }),
    lastHeartbeat: epochMs.nullable(),
    errorCount: z.number().int(),
    lastError: z.object({ at: epochMs, message: z.string() }).optional(),
    detail: z.string().optional(),
  })
  .openapi('Service');

export const SystemStatusSchema = z
  .object({
    status: z.enum(['healthy', 'degraded', 'unhealthy', 'starting', 'standby']),
    timestamp: epochMs,
    startedAt: epochMs,
    uptime: z.number().openapi({ description: 'Seconds since start' }),
    instance: z.object({ id: z.string(), role: z.enum(['leader', 'standby', 'single']) }),
    leader: z.object({ instance: z.string(), since: epochMs, epoch: z.number().int() }).nullable().openapi({ description: 'The leading replica; null with one process or when none leads' }),
    services: z.array(ServiceSchema),
    performance: z.object({
      avgResponseTime: z.number().openapi({ description: 'Mean time to answer a command or API request, ms' }),
      operationsPerSecond: z.number().openapi({ description: 'Commands and API requests over the last minute, per second' }),
      memoryUsage: z.number().openapi({ description: 'Resident memory, MB' }),
      cpuUsage: z.number().openapi({ description: 'CPU, % of one core over the last sample window' }),
      ticksPerMinute: z.number().int(),
      totalTicks: z.number().int(),
    }),
    activeAccounts: z.number().int().openapi({ description: 'Accounts whose last sync succeeded' }),
    totalAccounts: z.number().int(),
    totalOperations: z.number().int(),
    alerts: z
      .object({
        total: z.number().int(),
        bySeverity: z.object({ INFO: z.number().int(), WARN: z.number().int(), CRITICAL: z.number().int() }),
        byTypeAndSeverity: z.array(z.object({ type: z.enum(ALERT_TYPES), severity: z.enum(SEVERITIES), count: z.number().int() })),
      })
      .nullable()
      .openapi({ description: 'Open (pending or firing) alerts; null when the store did not answer' }),
    feeds: z.object({
      onBackup: z.array(z.object({ symbol: z.string(), active: z.string(), primary: z.string(), reason: z.string() })),
      noFeed: z.array(z.string()),
    }),
  })
  .openapi('SystemStatus');

export const HealthSchema = z.object({ status: z.literal('ok'), uptime: z.number() }).openapi('Health');

export const ReadinessSchema = z
  .object({
    ready: z.boolean(),
    checks: z.object({ leading: z.boolean(), firstSync: z.boolean(), store: z.boolean(), discord: z.boolean().nullable() }),
    timestamp: epochMs,
  })
  .openapi('Readiness');

const accountId = z.string().min(1).max(64).openapi({ param: { name: 'accountId', in: 'path' }, example: 'acc-1' });
export const AccountParams = z.object({ accountId });

export const RiskMetricsSchema = z
  .object({
    accountId: z.string(),
    venue: z.enum(VENUE_IDS),
    deltaDeviation: z.number().openapi({ description: 'The largest net-delta deviation among the symbols this account holds (0 when it holds none)' }),
    utilizationRate: z.number(),
    leverageRatio: z.number(),
    unrealizedPnl: z.number(),
    maxDrawdown: z.number(),
    marginRatio: z.number().nullable(),
    liquidationDistance: z.number().nullable(),
    riskLevel: z.enum(['low', 'medium', 'high']),
    equity: z.number(),
    available: z.number(),
    stale: z.boolean().openapi({ description: 'The numbers come from the last good sync; the latest one failed' }),
    timestamp: epochMs,
  })
  .openapi('RiskMetrics');

export const HistoryQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100).openapi({ param: { name: 'limit', in: 'query' }, example: 100 }),
  since: z.coerce.number().int().min(0).optional().openapi({ param: { name: 'since', in: 'query' }, description: 'Epoch ms; default 24 h ago' }),
});

export const HistorySchema = z
  .object({
    accountId: z.string(),
    samples: z.array(
      z.object({
        timestamp: epochMs,
        utilizationRate: z.number().optional(),
        equity: z.number().optional(),
        available: z.number().optional(),
        leverageRatio: z.number().optional(),
        unrealizedPnl: z.number().optional(),
        maxDrawdown: z.number().optional(),
      }),
    ),
  })
  .openapi('RiskHistory');

export const AlertsQuery = z.object({
  accountId: z.string().max(64).optional().openapi({ param: { name: 'accountId', in: 'query' } }),
  severity: z.enum(SEVERITIES).optional().openapi({ param: { name: 'severity', in: 'query' } }),
  type: z.enum(ALERT_TYPES).optional().openapi({ param: { name: 'type', in: 'query' } }),
  state: z.enum(['active', 'pending', 'firing', 'resolved', 'all']).default('active').openapi({ param: { name: 'state', in: 'query' } }),
  limit: z.coerce.number().int().min(1).max(1000).default(100).openapi({ param: { name: 'limit', in: 'query' } }),
});

export const RiskAlertSchema = z
  .object({
    id: z.string().openapi({ description: 'The short id people type (/alerts ack id:…)', example: '7k2q' }),
    type: z.enum(ALERT_TYPES),
    severity: z.enum(SEVERITIES),
    accountId: z.string().nullable(),
    symbol: z.string().nullable(),
    message: z.string(),
    timestamp: epochMs.openapi({ description: 'When the condition started' }),
    state: z.enum(['pending', 'firing', 'resolved']),
    data: z.object({
      value: z.number(),
      threshold: z.number(),
      updatedAt: epochMs,
      firedAt: epochMs.nullable(),
      acknowledgedBy: z.string().nullable(),
      acknowledgedAt: epochMs.nullable(),
      resolvedAt: epochMs.nullable(),
      silencedUntil: epochMs.nullable(),
      inhibitedBy: z.array(z.string()),
    }),
  })
  .openapi('RiskAlert');
