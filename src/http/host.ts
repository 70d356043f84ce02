import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Logger } from 'pino';
import type { AppConfig } from '../config/load-config.js';
import type { AlertService } from '../core/alerts/service.js';
import type { Engine } from '../core/engine.js';
import { ErrorCode } from '../core/errors.js';
import type { FeedControl } from '../core/feeds/feed-control.js';
import type { FeedEvent } from '../core/feeds/types.js';
import type { LeadershipStatus } from '../core/leadership/leader-elector.js';
import type { OpsModel } from '../core/ops/ops-model.js';
import type { Readiness, SystemStatus } from '../core/ops/system-status.js';
import type { Store } from '../core/ports/store.js';
import type { RiskReport } from '../core/risk/types.js';
import type { Snapshot } from '../core/types.js';
import type { AppMetrics } from '../metrics/prometheus.js';
import type { Access } from './auth.js';
import { ApiError, errorResponse } from './envelope.js';

/** What the HTTP API reads from the app (App satisfies it). */
export interface HttpHost {
  config: AppConfig;
  engine: Pick<Engine, 'snapshot' | 'risk' | 'tick'>;
  store: Pick<Store, 'metrics'>;
  alerts: Pick<AlertService, 'list'>;
  feeds: Pick<FeedControl, 'status' | 'failover'>;
  feedEvents(): readonly FeedEvent[];
  ops: OpsModel;
  metrics: Pick<AppMetrics, 'render' | 'contentType'>;
  system(): Promise<SystemStatus>;
  readiness(): Promise<Readiness>;
  leadership?: () => LeadershipStatus;
  logger: Logger;
}

/** Set by the middleware for the handlers: who asks (their access) and from where. */
export interface ApiEnv {
  Variables: { access: Access; client: string };
}

export type ApiApp = OpenAPIHono<ApiEnv>;

/** The latest snapshot and risk report, or 503 (1005) on a standby or before the first sync. */
export function liveData(host: HttpHost): { snapshot: Snapshot; risk: RiskReport } {
  assertLeading(host);
  const snapshot = host.engine.snapshot();
  const risk = host.engine.risk();
  if (!snapshot || !risk) throw new ApiError(503, ErrorCode.MarketDataUnavailable, 'No data yet: the first sync has not finished. Try again in a few seconds.');
  return { snapshot, risk };
}

/** 503 (1005) on a standby: it syncs nothing and holds no data; the answer names the leader. */
export function assertLeading(host: HttpHost): void {
  const l = host.leadership?.();
  if (l?.role !== 'standby') return;
  const leader = l.leader ? `; the leader is ${l.leader.instance}` : '; no instance leads right now';
  throw new ApiError(503, ErrorCode.MarketDataUnavailable, `This instance (${l.instance}) is a standby and holds no data${leader}.`);
}

/** The error responses every authenticated route may give, for the OpenAPI document. */
export const COMMON_ERRORS = {
  400: errorResponse('Invalid request (code 400)'),
  401: errorResponse('Missing or invalid bearer token (code 3001)'),
  429: errorResponse('More requests than the limit per minute from this client (code 3002)'),
  500: errorResponse('Internal error; the log has it under the error id'),
} as const;

export const DATA_ERRORS = {
  ...COMMON_ERRORS,
  503: errorResponse('No data: a standby, or the first sync has not finished (code 1005)'),
} as const;

/** Bearer auth, as the OpenAPI document names it. */
export const BEARER = [{ bearerAuth: [] }];
