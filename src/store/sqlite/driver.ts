import { createRequire } from 'node:module';
import type BetterSqlite3 from 'better-sqlite3';
import { StoreError } from '../store-error.js';
import { openNodeSqlite } from './node-sqlite.js';

/**
 * The SQLite driver seam: the few calls the store makes, in better-sqlite3's shape.
 *
 * Why two drivers: better-sqlite3 12's statement destructor aborts the process on Node 24
 * (`Assertion failed: (env) != nullptr` in node::RemoveEnvironmentCleanupHook, SIGABRT; nodejs/node#65446),
 * and better-sqlite3 13, which does not, refuses Node 20. Node's own `node:sqlite` (no native addon at
 * all) covers what the store needs from Node 22.16 on. So Node 20 keeps better-sqlite3 12 and every newer
 * Node uses `node:sqlite`; when Node 20 support ends, the better-sqlite3 branch and dependency go.
 */
export interface RunResult {
  changes: number;
  lastInsertRowid: number | bigint;
}

/** A prepared statement. Parameters: positional values, one array of them, or one object of named ones. */
export interface Statement {
  run(...params: unknown[]): RunResult;
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
}

export interface Database {
  /** The path it was opened with. */
  readonly name: string;
  readonly open: boolean;
  readonly inTransaction: boolean;
  prepare(sql: string): Statement;
  exec(sql: string): unknown;
  /** `PRAGMA <source>`; returns its rows. */
  pragma(source: string): unknown;
  /** `fn` wrapped in BEGIN/COMMIT (a SAVEPOINT when a transaction is open); rolled back when it throws. */
  transaction<R>(fn: () => R): () => R;
  close(): unknown;
}

export interface OpenOptions {
  /** Busy timeout in ms. */
  timeout?: number;
  /** Open read-only; the file must exist. */
  readonly?: boolean;
}

export type DriverName = 'better-sqlite3' | 'node:sqlite';

/** node:sqlite is unflagged from Node 22.13; `timeout` and `isTransaction`, which the store needs, from 22.16. */
function nodeSqliteUsable(version: string): boolean {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  return major > 22 || (major === 22 && minor >= 16);
}

/** The driver this Node runs: node:sqlite from Node 22.16 on, better-sqlite3 before. */
export const driverName: DriverName = nodeSqliteUsable(process.versions.node) ? 'node:sqlite' : 'better-sqlite3';

let betterSqlite3: typeof BetterSqlite3 | undefined;

/** better-sqlite3 missing, unbuilt (an optional dependency whose build failed) or built for another Node. */
function notLoadable(err: unknown): StoreError {
  const text = (err instanceof Error ? err.message : String(err)).replace(/\s+/g, ' ').trim();
  const why = text.length > 240 ? `${text.slice(0, 239)}…` : text;
  return new StoreError(`SQLite on Node ${process.versions.node} needs the better-sqlite3 package built for it, and it did not load (${why}); run \`npm rebuild better-sqlite3\` (python3, make and a C++ compiler), or use Node ≥ 22.16, which has SQLite built in`, err);
}

/** Loaded on first use only: on Node ≥ 22.16 it is never loaded (and need not even be built). */
function loadBetterSqlite3(): typeof BetterSqlite3 {
  try {
    betterSqlite3 ??= createRequire(import.meta.url)('better-sqlite3') as typeof BetterSqlite3;
    return betterSqlite3;
  } catch (err) {
    throw notLoadable(err);
  }
}

/** Opens a SQLite file (or `:memory:`) with this Node's driver. SQLite failures carry `code: 'SQLITE_…'`. */
export function openSqlite(path: string, opts: OpenOptions = {}): Database {
  if (driverName === 'node:sqlite') return openNodeSqlite(path, opts);
  const Driver = loadBetterSqlite3();
  const readonly = opts.readonly ?? false;
  try {
    // better-sqlite3 rejects `timeout: undefined` (its default, 5 s, applies only when the key is absent).
    return new Driver(path, opts.timeout === undefined ? { readonly, fileMustExist: readonly } : { timeout: opts.timeout, readonly, fileMustExist: readonly });
  } catch (err) {
    // Its native addon loads with the first database, so a missing or mismatched build shows here.
    const addon = err instanceof Error && (('code' in err && err.code === 'ERR_DLOPEN_FAILED') || err.message.startsWith('Could not locate the bindings file'));
    throw addon ? notLoadable(err) : err;
  }
}
