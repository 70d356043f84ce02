import type { Migration } from './index.js';

export const m001Core: Migration = {
  version: 1,
  name: 'core: kv markers and metrics history',
  up(db) {
    db.exec(`
      CREATE TABLE kv (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE metrics_raw (
        metric TEXT NOT NULL, scope TEXT NOT NULL, ts INTEGER NOT NULL, value REAL NOT NULL
      );
      CREATE INDEX metrics_raw_series ON metrics_raw (metric, scope, ts);
      CREATE INDEX metrics_raw_ts ON metrics_raw (ts);
      CREATE TABLE metrics_hourly (
        metric TEXT NOT NULL, scope TEXT NOT NULL, ts INTEGER NOT NULL,
        avg REAL NOT NULL, min REAL NOT NULL, max REAL NOT NULL, n INTEGER NOT NULL,
        PRIMARY KEY (metric, scope, ts)
      ) WITHOUT ROWID;
      CREATE INDEX metrics_hourly_ts ON metrics_hourly (ts);
    `);
  },
};
