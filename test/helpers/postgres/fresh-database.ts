import { randomBytes } from 'node:crypto';
import { Client, escapeIdentifier } from 'pg';
import { inject } from 'vitest';
import { PG_URL_ENV } from './global-setup.js';

export interface FreshDatabase {
  /** postgres:// URL of a new, empty database that no other test uses. */
  url: string;
  /** Drops the database, ending any connections still open to it. Safe to call twice. */
  drop(): Promise<void>;
}

function adminUrl(): string {
  // inject() is what vitest hands the worker; the variable covers code run outside a vitest worker.
  const url = inject('postgresAdminUrl') ?? process.env[PG_URL_ENV];
  if (!url) throw new Error('no test PostgreSQL server: is test/helpers/postgres/global-setup.ts in vitest globalSetup?');
  return url;
}

async function asAdmin(url: string, sql: string): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Creates a uniquely named database on the suite's server, so each test file works in isolation. */
export async function freshDatabase(): Promise<FreshDatabase> {
  const admin = adminUrl();
  const name = `test_${process.pid}_${randomBytes(6).toString('hex')}`;
  const ident = escapeIdentifier(name);
  await asAdmin(admin, `CREATE DATABASE ${ident}`);
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    // FORCE: a test that forgot to close a pool must not make the drop fail or hang.
    drop: () => asAdmin(admin, `DROP DATABASE IF EXISTS ${ident} WITH (FORCE)`),
  };
}
