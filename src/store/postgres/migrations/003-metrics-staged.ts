import type { PgMigration } from './index.js';

/**
 * Staged samples (src/store/postgres/pg-metrics-staging.ts): each append writes one row per slot of
 * series (series id mod 32) holding its samples as little-endian float64 triples, instead of one
 * `metrics_raw` row and one index entry per sample; a slot's samples move to `metrics_raw` together,
 * ~32 of a series side by side. `metrics_raw` keeps its own identity for `seq`, drawn in move order.
 */
export const m003MetricsStaged: PgMigration = {
  version: 3,
  name: 'metrics: staged samples',
  sql: `
    CREATE TABLE metrics_staged (
      id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      slot INTEGER NOT NULL,
      data BYTEA NOT NULL
    );
    CREATE INDEX metrics_staged_slot ON metrics_staged (slot, id);
  `,
};
