import type { Database } from './driver.js';
import type { DrawdownBucketStore, KvStore, Store, StoreScope } from '../../core/ports/store.js';
import type { AlertStore, AuditStore, OutboxStore, SilenceStore } from '../../core/ports/alerts.js';
import { makeDirectory, openDatabase } from './open-database.js';
import { lockInstance, type InstanceLock } from './instance-lock.js';
import { SqliteMetricsStore } from './sqlite-metrics.js';
import { SqliteDrawdownBucketStore } from './sqlite-drawdown-buckets.js';
import { SqliteAlertStore } from './sqlite-alerts.js';
import { SqliteSilenceStore } from './sqlite-alerts-silences.js';
import { SqliteAuditStore } from './sqlite-audit.js';
import { SqliteOutboxStore } from './sqlite-outbox.js';
import { TransactionGate } from './transaction-gate.js';
import { watchFileIdentity, type FileIdentityWatch } from './file-identity.js';

class SqliteKv implements KvStore {
  constructor(private readonly db: Database) {}
  async get(key: string): Promise<string | undefined> {
    const row = this.db.prepare('SELECT value FROM kv WHERE key = ?').get(key) as { value: string } | undefined;
    return row?.value;
  }
  async set(key: string, value: string): Promise<void> {
    this.db.prepare('INSERT INTO kv (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value);
  }
}

/**
 * The embedded default store: one SQLite file in WAL mode, for one process (src/store/sqlite/instance-lock.ts
 * keeps a second one out). The port is async; the statements underneath run synchronously.
 */
export class SqliteStore implements Store {
  readonly metrics: SqliteMetricsStore;
  readonly drawdownBuckets: DrawdownBucketStore;
  readonly kv: KvStore;
  readonly alerts: AlertStore;
  readonly silences: SilenceStore;
  readonly audit: AuditStore;
  readonly outbox: OutboxStore;
  readonly description: string;
  /** The stores without the gate: what a transaction's `fn` gets. */
  private readonly inside: StoreScope;
  /** The metrics store without the gate, for `close` (which runs inside the gate: a guarded call would wait for it). */
  private readonly metricsInside: SqliteMetricsStore;
  private readonly gate = new TransactionGate();
  private readonly file: FileIdentityWatch | undefined;
  private closed = false;
  private lock: InstanceLock | undefined;

  constructor(
    readonly db: Database,
    readonly path = db.name,
  ) {
    // A checkpoint rewinds the WAL but keeps the file at its high-water mark (the hourly retention
    // writes tens of MB at once); past 16 MB it is truncated back.
    db.pragma('journal_size_limit = 16777216');
    this.description = `sqlite:${path}`;
    this.file = path === ':memory:' ? undefined : watchFileIdentity(path);
    const metrics = new SqliteMetricsStore(db);
    this.metricsInside = metrics;
    const drawdownBuckets = new SqliteDrawdownBucketStore(db);
    this.inside = {
      metrics,
      drawdownBuckets,
      kv: new SqliteKv(db),
      alerts: new SqliteAlertStore(db),
      silences: new SqliteSilenceStore(db),
      audit: new SqliteAuditStore(db),
      outbox: new SqliteOutboxStore(db),
    };
    const g = <T extends object>(t: T): T => this.gate.guard(t);
    this.metrics = g(metrics);
    this.drawdownBuckets = g(drawdownBuckets);
    this.kv = g(this.inside.kv);
    this.alerts = g(this.inside.alerts);
    this.silences = g(this.inside.silences);
    this.audit = g(this.inside.audit);
    this.outbox = g(this.inside.outbox);
  }

  /**
   * Opens (creating and migrating) the file. With `lockAs` (the app does this), the file is first locked
   * for this process: a second delta-ops on it fails here with one line naming the holder.
   */
  static open(path: string, opts: { lockAs?: string } = {}): SqliteStore {
    if (opts.lockAs === undefined || path === ':memory:') return new SqliteStore(openDatabase(path), path);
    makeDirectory(path);
    const lock = lockInstance(path, opts.lockAs);
    try {
      const store = new SqliteStore(openDatabase(path), path);
      store.lock = lock;
      return store;
    } catch (err) {
      lock.release();
      throw err;
    }
  }

  transaction<T>(fn: (tx: StoreScope) => Promise<T>): Promise<T> {
    return this.gate.run(async () => {
      this.db.exec('BEGIN IMMEDIATE');
      try {
        const result = await fn(this.inside);
        this.db.exec('COMMIT');
        return result;
      } catch (err) {
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
        // The metrics store caches series ids and staged samples: make them match the rolled-back file.
        this.metricsInside.reload();
        throw err;
      }
    });
  }

  /**
   * Fails when the file this process opened is no longer the file at its path (deleted or replaced):
   * writes would go on into an unlinked file and be gone at the next start.
   */
  async ping(): Promise<void> {
    this.file?.check();
    this.db.prepare('SELECT 1').get();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.gate.run(async () => {
      try {
        // Not `this.metrics`: its guard would defer the flush until the gate is idle, after the close.
        this.metricsInside.flush();
      } catch {
        // The staged samples stay in metrics_staged and move on the next start: nothing is lost.
      }
      this.db.close();
      this.lock?.release();
    });
  }
}
