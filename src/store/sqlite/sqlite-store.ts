import type { Database } from 'better-sqlite3';
import type { DrawdownBucketStore, KvStore, Store } from '../types.js';
import { openDatabase } from './open-database.js';
import { SqliteMetricsStore } from './sqlite-metrics.js';
import { SqliteDrawdownBucketStore } from './sqlite-drawdown-buckets.js';
import { SqliteAlertStore } from './sqlite-alerts.js';
import { SqliteSilenceStore } from './sqlite-alerts-silences.js';
import { SqliteAuditStore } from './sqlite-audit.js';
import { SqliteOutboxStore } from './sqlite-outbox.js';

class SqliteKv implements KvStore {
  constructor(private readonly db: Database) {}
  get(key: string): string | undefined {
    const row = this.db.prepare('SELECT value FROM kv WHERE key = ?').get(key) as { value: string } | undefined;
    return row?.value;
  }
  set(key: string, value: string): void {
    this.db.prepare('INSERT INTO kv (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value);
  }
}

/** The embedded default store: one SQLite file in WAL mode. */
export class SqliteStore implements Store {
  readonly metrics: SqliteMetricsStore;
  readonly drawdownBuckets: DrawdownBucketStore;
  readonly kv: KvStore;
  readonly alerts: SqliteAlertStore;
  readonly silences: SqliteSilenceStore;
  readonly audit: SqliteAuditStore;
  readonly outbox: SqliteOutboxStore;
  private closed = false;

  constructor(readonly db: Database) {
    // A checkpoint rewinds the WAL but keeps the file at its high-water mark (the hourly retention
    // writes tens of MB at once); past 16 MB it is truncated back.
    db.pragma('journal_size_limit = 16777216');
    this.metrics = new SqliteMetricsStore(db);
    this.drawdownBuckets = new SqliteDrawdownBucketStore(db);
    this.kv = new SqliteKv(db);
    this.alerts = new SqliteAlertStore(db);
    this.silences = new SqliteSilenceStore(db);
    this.audit = new SqliteAuditStore(db);
    this.outbox = new SqliteOutboxStore(db);
  }

  static open(path: string): SqliteStore {
    return new SqliteStore(openDatabase(path));
  }

  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.metrics.flush();
    } catch {
      // The staged samples stay in metrics_staged and move on the next start: nothing is lost.
    }
    this.db.close();
  }
}
