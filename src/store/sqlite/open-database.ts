import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { openSqlite, type Database } from './driver.js';
import { MIGRATIONS, type Migration } from './migrations/index.js';
import { StoreError } from '../store-error.js';


/** How long opening the file waits for another connection's lock before failing with SQLITE_BUSY. */
export const BUSY_TIMEOUT_MS = 2000;
/**
 * The same wait once running. better-sqlite3 waits synchronously, blocking the event loop (and so
 * every Discord interaction, which must be answered within 3 s): a tick writes three times, so a lock
 * that outlives the wait costs a tick 1.5 s, not 6. In WAL mode only another writer can hold us up.
 */
export const RUNNING_BUSY_TIMEOUT_MS = 500;

/**
 * Opens (creating if needed) the SQLite file in WAL mode, checks that it can be written, and applies
 * pending migrations. A file another process keeps locked fails here, after the busy timeout, with one
 * line that says so: starting anyway would only fail every tick.
 */
export function openDatabase(path: string, migrations: readonly Migration[] = MIGRATIONS): Database {
  let db: Database | undefined;
  try {
    if (path !== ':memory:') makeDirectoryOf(dirname(path));
    // The timeout first: switching to WAL needs the lock too.
    db = openSqlite(path, { timeout: BUSY_TIMEOUT_MS });
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    // A write lock taken and given back: proves no other process holds the file.
    db.exec('BEGIN IMMEDIATE');
    db.exec('ROLLBACK');
  } catch (err) {
    db?.close();
    if (err instanceof StoreError) throw err; // the driver itself could not load: its message says why
    throw new StoreError(`database ${path}: ${cannotOpen(err)}`, err);
  }
  try {
    migrate(db, migrations);
  } catch (err) {
    db.close();
    throw new StoreError(`database ${path}: migration failed (${describe(err)})`, err);
  }
  db.pragma(`busy_timeout = ${RUNNING_BUSY_TIMEOUT_MS}`);
  return db;
}

class DirectoryError extends Error {
  constructor(readonly code: string, readonly dir: string) {
    super(code);
  }
}

/** Creates the directory of a database file (and its parents); throws a one-line StoreError. */
export function makeDirectory(dbPath: string): void {
  try {
    makeDirectoryOf(dirname(dbPath));
  } catch (err) {
    throw new StoreError(`database ${dbPath}: ${cannotOpen(err)}`, err);
  }
}

function makeDirectoryOf(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (err) {
    throw new DirectoryError(describe(err), dir);
  }
}

function cannotOpen(err: unknown): string {
  if (err instanceof DirectoryError) {
    const why = err.code === 'EEXIST' || err.code === 'ENOTDIR' ? ': part of that path is a file' : '';
    return `cannot create its directory ${err.dir} (${err.code})${why}`;
  }
  const code = describe(err);
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') return `locked by another process for more than ${BUSY_TIMEOUT_MS / 1000} s (${code}); is another delta-ops using this file?`;
  if (code.startsWith('SQLITE_READONLY')) return `cannot write to it (${code})`;
  return `cannot open it (${code})`;
}

function describe(err: unknown): string {
  if (err && typeof err === 'object' && 'code' in err && typeof err.code === 'string') return err.code;
  return err instanceof Error ? err.message : String(err);
}

function migrate(db: Database, migrations: readonly Migration[]): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)');
  // Numbers are reserved per area (001-009 core, 010-019 alerts …), so a new core migration can carry a
  // lower number than one already applied: apply every migration not yet recorded, in number order.
  const applied = new Set((db.prepare('SELECT version FROM schema_version').all() as { version: number }[]).map((r) => r.version));
  const insert = db.prepare('INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)');
  for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
    if (applied.has(m.version)) continue;
    db.transaction(() => {
      m.up(db);
      insert.run(m.version, m.name, Date.now());
    })();
  }
}
