import pg from 'pg';
import type { Pool, PoolClient, QueryConfig, QueryResult, QueryResultRow } from 'pg';
import type { Logger } from 'pino';

/**
 * A statement the server has not finished after this long is cancelled (server side), so a stuck lock
 * or an overloaded database fails one tick instead of hanging it. A few statements that scan a lot
 * (retention, migrations) ask for longer through `atomic`.
 */
export const STATEMENT_TIMEOUT_MS = 5_000;
/** The client gives up this long after the server should have: a dead network still ends the call. */
const CLIENT_GRACE_MS = 1_000;

/**
 * BIGINT (ms timestamps, ids, counts) as JS numbers, for this pool only (pg.types is process-global).
 * Every value the store writes is a safe integer; anything else is a bug worth failing on.
 */
export function int8AsNumber(): pg.TypeOverrides {
  const types = new pg.TypeOverrides();
  types.setTypeParser(pg.types.builtins.INT8, 'text', (text: string) => {
    const n = Number(text);
    if (!Number.isSafeInteger(n)) throw new RangeError(`bigint ${text} is beyond a safe JS integer`);
    return n;
  });
  return types;
}

/** Where a store's statements run: the pool (each statement on its own) or one transaction's connection. */
export interface PgContext {
  /**
   * Runs one statement. A `name` makes it a prepared statement on each connection that runs it: parsed
   * and planned once per connection instead of per call (for hot reads; the same name, the same text).
   */
  query<R extends QueryResultRow = Record<string, unknown>>(text: string, values?: readonly unknown[], name?: string): Promise<QueryResult<R>>;
  /**
   * `fn`'s statements commit together or not at all: a transaction of its own on the pool, a savepoint
   * inside a transaction. `timeoutMs` replaces the statement timeout for them.
   */
  atomic<T>(fn: (ctx: PgContext) => Promise<T>, timeoutMs?: number): Promise<T>;
  /**
   * `fn` runs once what was written here is committed: after the transaction's COMMIT (dropped if it
   * or the savepoint around it rolls back), or at once outside a transaction.
   */
  onCommit(fn: () => void): void;
}

type TimedQuery = QueryConfig<unknown[]> & { query_timeout: number };

function timed(text: string, values: readonly unknown[] | undefined, timeoutMs: number, name?: string): TimedQuery {
  return { text, values: values ? [...values] : undefined, query_timeout: timeoutMs + CLIENT_GRACE_MS, ...(name ? { name } : {}) };
}

async function setStatementTimeout(client: PoolClient, ms: number): Promise<void> {
  await client.query(timed(`SELECT set_config('statement_timeout', $1, true)`, [String(ms)], STATEMENT_TIMEOUT_MS));
}

class ClientContext implements PgContext {
  constructor(
    private readonly client: PoolClient,
    private readonly timeoutMs: number,
    private readonly depth: number,
    /** Callbacks for after COMMIT registered at this level (a savepoint hands them up on RELEASE). */
    readonly committed: (() => void)[] = [],
  ) {}

  onCommit(fn: () => void): void {
    this.committed.push(fn);
  }

  query<R extends QueryResultRow>(text: string, values?: readonly unknown[], name?: string): Promise<QueryResult<R>> {
    return this.client.query<R>(timed(text, values, this.timeoutMs, name));
  }

  async atomic<T>(fn: (ctx: PgContext) => Promise<T>, timeoutMs = this.timeoutMs): Promise<T> {
    const savepoint = `s${this.depth + 1}`;
    await this.query(`SAVEPOINT ${savepoint}`);
    try {
      if (timeoutMs !== this.timeoutMs) await setStatementTimeout(this.client, timeoutMs);
      const inner = new ClientContext(this.client, timeoutMs, this.depth + 1);
      const result = await fn(inner);
      await this.query(`RELEASE SAVEPOINT ${savepoint}`);
      this.committed.push(...inner.committed);
      // A SET LOCAL outlives RELEASE: give the enclosing transaction its own timeout back.
      if (timeoutMs !== this.timeoutMs) await setStatementTimeout(this.client, this.timeoutMs);
      return result;
    } catch (err) {
      // Rolling back to the savepoint also undoes the SET LOCAL. If the connection is gone this fails
      // too, and the enclosing transaction rolls back on the original error.
      await this.query(`ROLLBACK TO SAVEPOINT ${savepoint}`).catch(() => undefined);
      throw err;
    }
  }
}

export class PoolContext implements PgContext {
  constructor(
    private readonly pool: Pool,
    private readonly logger: Logger | undefined,
  ) {}

  query<R extends QueryResultRow>(text: string, values?: readonly unknown[], name?: string): Promise<QueryResult<R>> {
    return this.pool.query<R>(timed(text, values, STATEMENT_TIMEOUT_MS, name));
  }

  onCommit(fn: () => void): void {
    fn();
  }

  /** One connection, BEGIN … COMMIT; a connection that failed mid-way is discarded, not pooled again. */
  async atomic<T>(fn: (ctx: PgContext) => Promise<T>, timeoutMs = STATEMENT_TIMEOUT_MS): Promise<T> {
    const client = await this.pool.connect();
    // A checked-out client has no pool listener: an error event on it would otherwise crash the process.
    const onError = (err: Error): void => this.logger?.warn({ err: err.message }, 'postgres: connection failed during a transaction');
    client.on('error', onError);
    let broken: Error | undefined;
    try {
      await client.query(timed('BEGIN', undefined, STATEMENT_TIMEOUT_MS));
      if (timeoutMs !== STATEMENT_TIMEOUT_MS) await setStatementTimeout(client, timeoutMs);
      const ctx = new ClientContext(client, timeoutMs, 0);
      const result = await fn(ctx);
      const commit = await client.query(timed('COMMIT', undefined, STATEMENT_TIMEOUT_MS));
      // COMMIT of a transaction that an earlier (caught) error aborted answers ROLLBACK, not an error.
      if (commit.command === 'ROLLBACK') throw new Error('transaction rolled back: a statement inside it failed');
      for (const done of ctx.committed) done();
      return result;
    } catch (err) {
      try {
        await client.query(timed('ROLLBACK', undefined, STATEMENT_TIMEOUT_MS));
      } catch (rollbackErr) {
        broken = rollbackErr instanceof Error ? rollbackErr : new Error(String(rollbackErr));
      }
      throw err;
    } finally {
      client.off('error', onError);
      client.release(broken);
    }
  }
}
