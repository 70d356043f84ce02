import type { Migration } from './index.js';

/**
 * Metrics at scale (see SqliteMetricsStore):
 * - `metrics_series` names each (metric, scope) once; `metrics_raw` is rebuilt keyed by (series, ts,
 *   seq), one B-tree and no separate indexes: rows are a third of the size, and a sample costs one
 *   B-tree insert instead of three. `seq` orders samples with the same ts as they were appended
 *   (the old rowid); the next one is kept in kv `metrics.rawSeq`.
 * - `metrics_staged`: each tick's samples land here first (one row per slot of series) and move to
 *   `metrics_raw` a slot at a time, grouped by series.
 * - `metrics_drawdown_buckets`: per equity series, the max, min and worst internal drawdown of each
 *   time bucket, so the drawdown window is seeded at start-up without reading a day of samples.
 * Existing samples are copied over (a one-time cost on upgrade).
 */
export const m003MetricsStaging: Migration = {
  version: 3,
  name: 'metrics: series ids, raw samples keyed by series, staging, drawdown buckets',
  up(db) {
    db.exec(`
      CREATE TABLE metrics_series (
        id INTEGER PRIMARY KEY, metric TEXT NOT NULL, scope TEXT NOT NULL, UNIQUE (metric, scope)
      );
      INSERT INTO metrics_series (metric, scope) SELECT DISTINCT metric, scope FROM metrics_raw ORDER BY metric, scope;
      ALTER TABLE metrics_raw RENAME TO metrics_raw_001;
      CREATE TABLE metrics_raw (
        series INTEGER NOT NULL, ts INTEGER NOT NULL, seq INTEGER NOT NULL, value REAL NOT NULL,
        PRIMARY KEY (series, ts, seq)
      ) WITHOUT ROWID;
      INSERT INTO metrics_raw (series, ts, seq, value)
        SELECT s.id, r.ts, r.rowid, r.value FROM metrics_raw_001 r JOIN metrics_series s ON s.metric = r.metric AND s.scope = r.scope
        ORDER BY s.id, r.ts, r.rowid;
      INSERT INTO kv (key, value) SELECT 'metrics.rawSeq', CAST(COALESCE(MAX(rowid), 0) AS TEXT) FROM metrics_raw_001 WHERE true
        ON CONFLICT (key) DO UPDATE SET value = excluded.value;
      DROP TABLE metrics_raw_001;
      CREATE TABLE metrics_staged (
        slot INTEGER NOT NULL, id INTEGER NOT NULL, data BLOB NOT NULL,
        PRIMARY KEY (slot, id)
      ) WITHOUT ROWID;
      CREATE TABLE metrics_drawdown_buckets (
        metric TEXT NOT NULL, scope TEXT NOT NULL, start INTEGER NOT NULL, span INTEGER NOT NULL,
        n INTEGER NOT NULL, max REAL NOT NULL, min REAL NOT NULL, dd REAL NOT NULL, peak REAL NOT NULL, trough REAL NOT NULL,
        PRIMARY KEY (metric, scope, start)
      ) WITHOUT ROWID;
      CREATE INDEX metrics_drawdown_buckets_start ON metrics_drawdown_buckets (start);
    `);
  },
};
