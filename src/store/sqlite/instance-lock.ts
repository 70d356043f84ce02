import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { openSqlite, type Database } from './driver.js';
import { StoreError } from '../store-error.js';

interface LockOwner {
  pid: number;
  host: string;
  instance: string;
  startedAt: string;
}

export interface InstanceLock {
  readonly path: string;
  release(): void;
}

/**
 * One process per SQLite file (PostgreSQL is for several replicas). A second delta-ops on the same file
 * would run its own tick and post every alert again, so it stops at once, naming the file and the
 * process that has it.
 *
 * The lock is a write transaction held open on a small SQLite file beside the database: the operating
 * system releases it when the process dies however it dies, so there is no stale lock to guess about
 * (a pid file cannot tell a live owner from a reused pid, or a container restarted under a new host
 * name). Who holds it is written next to it for the message.
 */
export function lockInstance(dbPath: string, instance: string): InstanceLock {
  const path = `${dbPath}.lock`;
  const ownerPath = `${path}.json`;
  let db: Database | undefined;
  try {
    db = openSqlite(path, { timeout: 0 });
    db.pragma('journal_mode = DELETE');
    db.exec('CREATE TABLE IF NOT EXISTS instance_lock (id INTEGER PRIMARY KEY)');
    db.exec('BEGIN IMMEDIATE');
  } catch (err) {
    db?.close();
    if (err instanceof StoreError) throw err; // the driver itself could not load: its message says why
    if (codeOf(err) === 'SQLITE_BUSY') throw new StoreError(inUse(dbPath, readOwner(ownerPath)), err);
    throw new StoreError(`database ${dbPath}: cannot take its lock file ${path} (${codeOf(err)})`, err);
  }
  const me: LockOwner = { pid: process.pid, host: hostname(), instance, startedAt: new Date().toISOString() };
  writeFileSync(`${ownerPath}.tmp`, `${JSON.stringify(me)}\n`);
  renameSync(`${ownerPath}.tmp`, ownerPath);
  const held = db;
  return {
    path,
    release() {
      if (!held.open) return;
      rmSync(ownerPath, { force: true });
      held.close();
    },
  };
}

function inUse(dbPath: string, owner: LockOwner | undefined): string {
  const who = owner ? `${owner.instance}, pid ${owner.pid}${owner.host !== hostname() ? ` on host ${owner.host}` : ''}, since ${owner.startedAt}` : 'starting right now';
  return `database ${dbPath} is in use by another delta-ops (${who}); stop it first, or give this one another store.path (several replicas need PostgreSQL: DATABASE_URL)`;
}

function readOwner(path: string): LockOwner | undefined {
  try {
    const o = JSON.parse(readFileSync(path, 'utf8')) as Partial<LockOwner>;
    if (typeof o.pid !== 'number') return undefined;
    return { pid: o.pid, host: String(o.host ?? 'unknown'), instance: String(o.instance ?? 'unknown'), startedAt: String(o.startedAt ?? 'unknown') };
  } catch {
    return undefined;
  }
}

function codeOf(err: unknown): string {
  return err && typeof err === 'object' && 'code' in err && typeof err.code === 'string' ? err.code : err instanceof Error ? err.message : String(err);
}
