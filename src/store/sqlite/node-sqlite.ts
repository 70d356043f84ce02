import { createRequire } from 'node:module';
import type { Database, OpenOptions, RunResult, Statement } from './driver.js';
import { resultCodeName } from './sqlite-result-codes.js';

/**
 * Node's built-in `node:sqlite` (Node ≥ 22.16) behind the store's driver seam, behaving as better-sqlite3
 * does where the store can tell: ordinary row objects with BLOBs as Buffers, a SAVEPOINT for a nested
 * transaction, an array argument spread into positional parameters, extra keys of a named-parameter
 * object ignored, and failures that carry SQLite's result code name (`err.code === 'SQLITE_BUSY'`).
 */

/** The part of node:sqlite used here (typed locally: @types/node stays at the oldest supported Node, 20). */
interface StatementSync {
  run(...params: unknown[]): RunResult;
  /** A row as an array of column values (after `setReturnArrays(true)`). */
  get(...params: unknown[]): unknown[] | undefined;
  all(...params: unknown[]): unknown[][];
  columns(): { name: string }[];
  setAllowUnknownNamedParameters(enabled: boolean): void;
  setReturnArrays(enabled: boolean): void;
}
interface DatabaseSync {
  readonly isOpen: boolean;
  readonly isTransaction: boolean;
  prepare(sql: string): StatementSync;
  exec(sql: string): void;
  close(): void;
}
interface NodeSqliteModule {
  DatabaseSync: new (path: string, options: { timeout?: number; readOnly?: boolean }) => DatabaseSync;
}

/**
 * better-sqlite3's error shape: `name` SqliteError, `code` the result code name. (No `cause`: it would
 * only repeat the message, and pino's serializer appends a cause's message to the error's.)
 */
class SqliteError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
    this.name = 'SqliteError';
  }
}

/** A node:sqlite failure (`ERR_SQLITE_ERROR` with a numeric `errcode`) as a SqliteError; anything else unchanged. */
function translate(err: unknown): unknown {
  if (err instanceof Error && 'errcode' in err && typeof err.errcode === 'number') return new SqliteError(err.message, resultCodeName(err.errcode));
  return err;
}

/**
 * A row as better-sqlite3 returns it: an ordinary object, BLOBs as Buffers. node:sqlite's own row objects
 * have a null prototype, are built in dictionary mode and hold BLOBs as Uint8Array; reading rows as arrays
 * and building the objects here is ~2× faster, and a first tick after 24 h of history (1.2 M rows read)
 * peaks ~45 MB lower (measured on Node 24).
 */
function rowObject(names: readonly string[], values: readonly unknown[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (let i = 0; i < names.length; i++) {
    const v = values[i];
    out[names[i]!] = v instanceof Uint8Array ? Buffer.from(v.buffer, v.byteOffset, v.byteLength) : v;
  }
  return out;
}

const columnNames = (stmt: StatementSync): string[] => stmt.columns().map((c) => c.name);

/** better-sqlite3 binds an array argument as its elements. */
function bindable(params: unknown[]): unknown[] {
  return params.length === 1 && Array.isArray(params[0]) ? (params[0] as unknown[]) : params;
}

class NodeSqliteStatement implements Statement {
  constructor(private readonly stmt: StatementSync) {
    stmt.setAllowUnknownNamedParameters(true);
    stmt.setReturnArrays(true);
  }

  run(...params: unknown[]): RunResult {
    try {
      return this.stmt.run(...bindable(params));
    } catch (err) {
      throw translate(err);
    }
  }

  get(...params: unknown[]): unknown {
    try {
      const row = this.stmt.get(...bindable(params));
      // Column names per call, not per statement: a statement prepared before a schema change still answers right.
      return row === undefined ? undefined : rowObject(columnNames(this.stmt), row);
    } catch (err) {
      throw translate(err);
    }
  }

  all(...params: unknown[]): unknown[] {
    try {
      const rows = this.stmt.all(...bindable(params));
      if (rows.length === 0) return rows;
      const names = columnNames(this.stmt);
      return rows.map((values) => rowObject(names, values));
    } catch (err) {
      throw translate(err);
    }
  }
}

const SAVEPOINT = '`\t_bs3.\t`';
/** better-sqlite3's SQLITE_DEFAULT_CACHE_SIZE: 16,000 KiB. */
const BETTER_SQLITE3_CACHE_SIZE = -16000;

class NodeSqliteDatabase implements Database {
  constructor(
    private readonly db: DatabaseSync,
    readonly name: string,
  ) {}

  get open(): boolean {
    return this.db.isOpen;
  }

  get inTransaction(): boolean {
    return this.db.isOpen && this.db.isTransaction;
  }

  prepare(sql: string): Statement {
    try {
      return new NodeSqliteStatement(this.db.prepare(sql));
    } catch (err) {
      throw translate(err);
    }
  }

  exec(sql: string): this {
    try {
      this.db.exec(sql);
      return this;
    } catch (err) {
      throw translate(err);
    }
  }

  pragma(source: string): unknown[] {
    return this.prepare(`PRAGMA ${source}`).all();
  }

  /** As better-sqlite3's: BEGIN … COMMIT, or a savepoint inside an open transaction; undone when `fn` throws. */
  transaction<R>(fn: () => R): () => R {
    return () => {
      const nested = this.inTransaction;
      this.exec(nested ? `SAVEPOINT ${SAVEPOINT}` : 'BEGIN');
      try {
        const result = fn();
        this.exec(nested ? `RELEASE ${SAVEPOINT}` : 'COMMIT');
        return result;
      } catch (err) {
        if (this.inTransaction) {
          this.exec(nested ? `ROLLBACK TO ${SAVEPOINT}` : 'ROLLBACK');
          if (nested) this.exec(`RELEASE ${SAVEPOINT}`);
        }
        throw err;
      }
    };
  }

  close(): this {
    if (this.db.isOpen) this.db.close();
    return this;
  }
}

let nodeSqlite: NodeSqliteModule | undefined;

/**
 * Node 22 still labels node:sqlite experimental and prints an ExperimentalWarning line on stderr when it
 * loads (Node 24 no longer does), in the middle of the JSON log. That one warning is dropped, for the
 * duration of the load only; every other warning goes through.
 */
function loadQuietly(): NodeSqliteModule {
  const emitWarning = process.emitWarning;
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]): void => {
    const text = typeof warning === 'string' ? warning : warning.message;
    if (/^SQLite is an experimental feature/.test(text)) return;
    Reflect.apply(emitWarning, process, [warning, ...rest]);
  }) as typeof process.emitWarning;
  try {
    return createRequire(import.meta.url)('node:sqlite') as NodeSqliteModule;
  } finally {
    process.emitWarning = emitWarning;
  }
}

export function openNodeSqlite(path: string, opts: OpenOptions): Database {
  // Loaded on first use: a process that never opens a SQLite file (PostgreSQL, doctor, a config error)
  // has no reason to.
  nodeSqlite ??= loadQuietly();
  try {
    const db = new nodeSqlite.DatabaseSync(path, { timeout: opts.timeout ?? 5000, readOnly: opts.readonly ?? false });
    // better-sqlite3 builds SQLite with a 16 MB page cache, Node with SQLite's 2 MB: at 1,000 accounts the
    // smaller cache costs a metrics append ~20 % more CPU (measured), so both drivers get the same cache.
    db.exec(`PRAGMA cache_size = ${BETTER_SQLITE3_CACHE_SIZE}`);
    return new NodeSqliteDatabase(db, path);
  } catch (err) {
    throw translate(err);
  }
}
