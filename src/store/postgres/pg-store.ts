import pg from 'pg';
import type { Logger } from 'pino';
import type { DrawdownBucketStore, KvStore, MetricsStore, Store, StoreScope } from '../../core/ports/store.js';
import type { AlertStore, AuditStore, OutboxStore, SilenceStore } from '../../core/ports/alerts.js';
import type { LeaderLease } from '../../core/ports/leader-lease.js';
import { int8AsNumber, PoolContext, STATEMENT_TIMEOUT_MS, type PgContext } from './pg-context.js';
import { migrate } from './pg-migrate.js';
import { PgAlertStore } from './pg-alerts.js';
import { PgSilenceStore } from './pg-silences.js';
import { PgAuditStore } from './pg-audit.js';
import { PgOutboxStore } from './pg-outbox.js';
import { PgMetricsStore } from './pg-metrics.js';
import { PgMetricsStaging } from './pg-metrics-staging.js';
import { PgDrawdownBucketStore } from './pg-drawdown-buckets.js';
import { StoreError } from '../store-error.js';
import { isConnectionError } from './pg-errors.js';
import { PostgresLeaderLease } from './pg-leader-lease.js';

export interface PostgresStoreOptions {
  logger?: Logger;
  /** Connections at most (default 10): a transaction holds one for its whole length. */
  poolSize?: number;
  /** This replica's name, shown as the connections' application_name. */
  instance?: string;
}

/** How long getting a connection may take before the call fails (a dead database fails a tick, not hangs it). */
const CONNECT_TIMEOUT_MS = 3_000;
/** A session left inside a transaction (its process froze) is ended by the server, releasing its locks. */
const IDLE_IN_TRANSACTION_MS = 60_000;

class PgKv implements KvStore {
  constructor(private readonly db: PgContext) {}
  async get(key: string): Promise<string | undefined> {
    const { rows } = await this.db.query<{ value: string }>('SELECT value FROM kv WHERE key = $1', [key]);
    return rows[0]?.value;
  }
  async set(key: string, value: string): Promise<void> {
    await this.db.query('INSERT INTO kv (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value', [key, value]);
  }
}

/** The stores over one context: the pool, or one transaction's connection (`inTransaction`). */
function scopeOn(db: PgContext, staging: PgMetricsStaging, inTransaction: boolean): Required<StoreScope> {
  return {
    metrics: new PgMetricsStore(db, staging, inTransaction),
    drawdownBuckets: new PgDrawdownBucketStore(db),
    kv: new PgKv(db),
    alerts: new PgAlertStore(db),
    silences: new PgSilenceStore(db),
    audit: new PgAuditStore(db),
    outbox: new PgOutboxStore(db),
  };
}

/** `postgres://user@host:port/db`: the URL without password or query string, for logs and /status. */
export function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    const user = u.username ? `${decodeURIComponent(u.username)}@` : '';
    return `postgres://${user}${u.hostname}:${u.port || '5432'}${u.pathname}`;
  } catch {
    return 'postgres://(unparsable url)';
  }
}

/**
 * The store of several replicas: PostgreSQL through a node-postgres pool. Outside a transaction every
 * call takes a pooled connection for its statements; `transaction` holds one connection from BEGIN to
 * COMMIT. Unlike SQLite's, calls made outside a transaction do not wait for one to finish: they run
 * beside it and see what it committed only once it has.
 */
export class PostgresStore implements Store {
  readonly metrics: MetricsStore;
  readonly drawdownBuckets: DrawdownBucketStore;
  readonly kv: KvStore;
  readonly alerts: AlertStore;
  readonly silences: SilenceStore;
  readonly audit: AuditStore;
  readonly outbox: OutboxStore;
  /** The replicas' leader lease, on the same database. */
  readonly lease: LeaderLease;
  private readonly db: PoolContext;
  /** Samples appended and not yet in `metrics_raw`, shared by every scope of this store. */
  private readonly staging: PgMetricsStaging;
  private closed = false;

  private constructor(
    private readonly pool: pg.Pool,
    readonly description: string,
    logger: Logger | undefined,
  ) {
    this.db = new PoolContext(pool, logger);
    this.staging = new PgMetricsStaging(this.db, logger);
    const scope = scopeOn(this.db, this.staging, false);
    this.metrics = scope.metrics;
    this.drawdownBuckets = scope.drawdownBuckets;
    this.kv = scope.kv;
    this.alerts = scope.alerts;
    this.silences = scope.silences;
    this.audit = scope.audit;
    this.outbox = scope.outbox;
    this.lease = new PostgresLeaderLease(this.db);
  }

  /** Connects, applies pending migrations (once across replicas starting together) and returns the store. */
  static async open(url: string, opts: PostgresStoreOptions = {}): Promise<PostgresStore> {
    const description = describeUrl(url);
    const log = opts.logger?.child({ store: description });
    const pool = new pg.Pool({
      connectionString: url,
      max: opts.poolSize ?? 10,
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      statement_timeout: STATEMENT_TIMEOUT_MS,
      idle_in_transaction_session_timeout: IDLE_IN_TRANSACTION_MS,
      keepAlive: true,
      // Names the replica in pg_stat_activity (which connections are whose).
      application_name: opts.instance ? `delta-ops ${opts.instance}`.slice(0, 63) : 'delta-ops',
      types: int8AsNumber(),
    });
    // An idle connection that breaks (server restart, network) is dropped from the pool and logged;
    // without a listener its error would crash the process.
    pool.on('error', (err) => log?.warn({ err: err.message }, 'postgres: idle connection failed'));
    const store = new PostgresStore(pool, description, log);
    try {
      const applied = await migrate(store.db);
      if (applied.length > 0) log?.info({ versions: applied }, 'postgres: migrations applied');
    } catch (err) {
      await pool.end().catch(() => undefined);
      const message = `database ${description}: cannot open it (${(err instanceof Error ? err.message : String(err)).split('\n')[0]})`;
      // Unreachable is waited for by the caller (open-store); anything else is for a person to fix.
      throw isConnectionError(err) ? new Error(message, { cause: err }) : new StoreError(message, err);
    }
    return store;
  }

  transaction<T>(fn: (tx: StoreScope) => Promise<T>): Promise<T> {
    return this.db.atomic((client) => fn(scopeOn(client, this.staging, true)));
  }

  async ping(): Promise<void> {
    await this.db.query('SELECT 1');
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // A move of staged samples may still run in the background: it ends first (or fails; they stay staged).
    await this.staging.idle();
    await this.pool.end();
  }
}
