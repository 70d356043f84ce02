import type { PgMigration } from './index.js';

/**
 * Markers and metrics history. A series is named once in `metrics_series`; raw samples are keyed by
 * (series, ts, seq), `seq` keeping samples with the same ts in append order. The BRIN index on ts is
 * what retention scans by; it costs inserts almost nothing because samples arrive in time order.
 * `scope` sorts bytewise (COLLATE "C") as in SQLite, so drawdown buckets load in the same order.
 */
export const m001Core: PgMigration = {
  version: 1,
  name: 'core: kv markers, metrics history, drawdown buckets',
  sql: `
    CREATE TABLE kv (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE metrics_series (
      id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      metric TEXT NOT NULL, scope TEXT NOT NULL,
      UNIQUE (metric, scope)
    );
    CREATE TABLE metrics_raw (
      series BIGINT NOT NULL, ts BIGINT NOT NULL, seq BIGINT GENERATED ALWAYS AS IDENTITY, value DOUBLE PRECISION NOT NULL,
      PRIMARY KEY (series, ts, seq)
    );
    CREATE INDEX metrics_raw_ts ON metrics_raw USING brin (ts);
    CREATE TABLE metrics_hourly (
      metric TEXT NOT NULL, scope TEXT NOT NULL, ts BIGINT NOT NULL,
      avg DOUBLE PRECISION NOT NULL, min DOUBLE PRECISION NOT NULL, max DOUBLE PRECISION NOT NULL, n BIGINT NOT NULL,
      PRIMARY KEY (metric, scope, ts)
    );
    CREATE INDEX metrics_hourly_ts ON metrics_hourly (ts);
    CREATE TABLE metrics_drawdown_buckets (
      metric TEXT NOT NULL, scope TEXT COLLATE "C" NOT NULL, start BIGINT NOT NULL, span BIGINT NOT NULL,
      n BIGINT NOT NULL, max DOUBLE PRECISION NOT NULL, min DOUBLE PRECISION NOT NULL, dd DOUBLE PRECISION NOT NULL,
      peak DOUBLE PRECISION NOT NULL, trough DOUBLE PRECISION NOT NULL,
      PRIMARY KEY (metric, scope, start)
    );
    CREATE INDEX metrics_drawdown_buckets_start ON metrics_drawdown_buckets (start);
  `,
};
