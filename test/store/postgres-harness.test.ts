import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { freshDatabase, type FreshDatabase } from '../helpers/postgres/fresh-database.js';

// Proves the suite's PostgreSQL (test/helpers/postgres) is a real server, not a stand-in: the
// features a Postgres-backed store will lean on (locks, sessions that can die) behave as in production.
describe('test PostgreSQL server', () => {
  let db: FreshDatabase;
  const clients: Client[] = [];

  async function connect(url = db.url): Promise<Client> {
    const client = new Client({ connectionString: url });
    await client.connect();
    clients.push(client);
    return client;
  }

  beforeAll(async () => {
    db = await freshDatabase();
  });

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
    await db.drop();
  });

  it('is a real PostgreSQL, reached through a database of this file alone', async () => {
    const client = await connect();
    const { rows } = await client.query<{ version: string; db: string }>('select version(), current_database() as db');
    expect(rows[0]?.version).toContain('PostgreSQL');
    expect(db.url).toMatch(new RegExp(`^postgres://.+@127\\.0\\.0\\.1:\\d+/${rows[0]?.db ?? 'missing'}$`));
    // Child processes a test starts find the server through the environment.
    expect(process.env['DELTA_OPS_TEST_PG_URL']).toBe(inject('postgresAdminUrl'));
  });

  it('stores and reads rows', async () => {
    const client = await connect();
    await client.query('create table fills (id serial primary key, venue text not null, qty numeric not null)');
    await client.query('insert into fills (venue, qty) values ($1, $2), ($3, $4)', ['binance', '1.5', 'pacifica', '-0.25']);
    const { rows } = await client.query<{ venue: string; qty: string }>('select venue, qty from fills order by id');
    expect(rows).toEqual([
      { venue: 'binance', qty: '1.5' },
      { venue: 'pacifica', qty: '-0.25' },
    ]);
  });

  it('gives each caller of freshDatabase() its own database', async () => {
    const other = await freshDatabase();
    try {
      const client = await connect(other.url);
      const { rows } = await client.query<{ found: string | null }>("select to_regclass('fills')::text as found");
      expect(rows[0]?.found).toBeNull();
      await client.end();
    } finally {
      await other.drop();
    }
  });

  it('holds an advisory lock against a second session until released', async () => {
    const first = await connect();
    const second = await connect();
    await first.query('select pg_advisory_lock(4242)');
    const tryLock = async (): Promise<boolean | undefined> =>
      (await second.query<{ got: boolean }>('select pg_try_advisory_lock(4242) as got')).rows[0]?.got;
    expect(await tryLock()).toBe(false);
    await first.query('select pg_advisory_unlock(4242)');
    expect(await tryLock()).toBe(true);
  });

  it('ends a session terminated with pg_terminate_backend, and its client errors', async () => {
    const victim = await connect();
    const killer = await connect();
    // pg emits 'error' on an idle client whose session ends: once for the server's FATAL message, and
    // again when the socket closes. Every one needs a listener, or it crashes the worker.
    const errors: Error[] = [];
    const dropped = new Promise<void>((resolve) =>
      victim.on('error', (error) => {
        errors.push(error);
        resolve();
      }),
    );
    const pid = (await victim.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]?.pid;
    const { rows } = await killer.query<{ ok: boolean }>('select pg_terminate_backend($1) as ok', [pid]);
    expect(rows[0]?.ok).toBe(true);
    await dropped;
    expect(errors[0]?.message).toMatch(/terminating connection due to administrator command/);
    await expect(victim.query('select 1')).rejects.toThrow();
  });
});
