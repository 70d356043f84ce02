import type { PgContext } from './pg-context.js';
import { PG_MIGRATIONS, type PgMigration } from './migrations/index.js';

/** Key of the advisory lock migrations run under ('delta' in ASCII): one per database, not per table. */
const MIGRATION_LOCK = 0x64656c7461;
/** Waiting for another replica's migration counts against this too. */
const MIGRATION_TIMEOUT_MS = 600_000;

/**
 * Applies the migrations not yet recorded in `schema_version`, in number order, in one transaction
 * that first takes a transaction-level advisory lock: replicas starting together queue on the lock,
 * and each one after the first finds everything recorded and applies nothing. DDL is transactional in
 * PostgreSQL, so a failed migration leaves the schema as it was. Returns the versions applied.
 */
export function migrate(db: PgContext, migrations: readonly PgMigration[] = PG_MIGRATIONS): Promise<number[]> {
  return db.atomic(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await tx.query('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)');
    const applied = new Set((await tx.query<{ version: number }>('SELECT version FROM schema_version')).rows.map((r) => r.version));
    const done: number[] = [];
    for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
      if (applied.has(m.version)) continue;
      await tx.query(m.sql);
      await tx.query('INSERT INTO schema_version (version, name, applied_at) VALUES ($1, $2, $3)', [m.version, m.name, Date.now()]);
      done.push(m.version);
    }
    return done;
  }, MIGRATION_TIMEOUT_MS);
}
