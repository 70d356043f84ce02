import { m001Core } from './001-core.js';
import { m002LeaderLease } from './002-leader-lease.js';
import { m003MetricsStaged } from './003-metrics-staged.js';
import { m010Outbox } from './010-outbox.js';
import { m011Alerts } from './011-alerts.js';
import { m012Audit } from './012-audit.js';
import { m014Paging } from './014-paging.js';

/** One schema change: SQL statements run in the migration transaction. */
export interface PgMigration {
  version: number;
  name: string;
  sql: string;
}

/**
 * Every schema change, in order. Append new files here; never edit one that has shipped. Numbers are
 * reserved per area as in src/store/sqlite/migrations (001-009 core/metrics, 010-019 alerts/outbox/audit),
 * and the schema is the SQLite one adapted: identity ids, BIGINT ms timestamps,
 * DOUBLE PRECISION values, TEXT[] for alert sources.
 */
export const PG_MIGRATIONS: readonly PgMigration[] = [m001Core, m002LeaderLease, m003MetricsStaged, m010Outbox, m011Alerts, m012Audit, m014Paging];
