import { createServer, type Server, type Socket } from 'node:net';
import pg from 'pg';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { PoolContext, STATEMENT_TIMEOUT_MS, type PgContext } from '../../src/store/postgres/pg-context.js';
import { describeUrl, PostgresStore } from '../../src/store/postgres/pg-store.js';
import { postgresStores } from '../helpers/postgres/store-fixture.js';

const { database, open, cleanup } = postgresStores();

/** A TCP server that accepts connections and never answers: a database that hangs. */
async function silentServer(): Promise<number> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => void sockets.add(socket));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanup(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((r) => server.close(() => r()));
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

describe('PostgresStore', () => {
  it('describes itself without the password', async () => {
    const url = new URL(await database());
    expect(url.password).not.toBe('');
    const store = await open(url.toString());
    expect(store.description).toBe(`postgres://${url.username}@${url.hostname}:${url.port}${url.pathname}`);
    expect(store.description).not.toContain(url.password);
    expect(describeUrl('postgresql://ops:s3cret@db.internal/delta?sslmode=require&password=x')).toBe('postgres://ops@db.internal:5432/delta');
    expect(describeUrl('not a url')).toBe('postgres://(unparsable url)');
  });

  it('fails to open with a message that names the database but not the password', async () => {
    const url = new URL(await database());
    url.password = 'wrong-password-123';
    const opening = PostgresStore.open(url.toString());
    await expect(opening).rejects.toThrow(/^database postgres:\/\/\S+: cannot open it \(.*password/);
    await expect(opening).rejects.not.toThrow(/wrong-password-123/);
  });

  it('fails to open a database that accepts the connection and never answers, instead of hanging', async () => {
    const port = await silentServer();
    await expect(PostgresStore.open(`postgres://ops:pw@127.0.0.1:${port}/delta`)).rejects.toThrow(/^database postgres:\/\/ops@127\.0\.0\.1:\d+\/delta: cannot open it \(.*timeout/i);
  });

  it('logs an idle connection the server ends, and goes on with a new one', async () => {
    const url = await database();
    const lines: { level: number; msg: string }[] = [];
    const logger = pino({ level: 'debug' }, { write: (s: string) => void lines.push(JSON.parse(s) as { level: number; msg: string }) });
    const store = await open(url, { logger, poolSize: 2 });
    await Promise.all([store.ping(), store.ping()]);
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()');
    } finally {
      await admin.end();
    }
    for (let i = 0; i < 250 && !lines.some((l) => l.msg === 'postgres: idle connection failed'); i++) await new Promise((r) => setTimeout(r, 20));
    expect(lines.filter((l) => l.msg === 'postgres: idle connection failed').length).toBeGreaterThan(0);
    await store.ping();
    expect(await store.kv.get('missing')).toBeUndefined();
  });

  it('gives a savepoint a longer statement timeout and the enclosing transaction its own back', async () => {
    const pool = new pg.Pool({ connectionString: await database(), statement_timeout: STATEMENT_TIMEOUT_MS });
    cleanup(() => pool.end());
    const db = new PoolContext(pool, undefined);
    const show = async (ctx: PgContext): Promise<string> => (await ctx.query<{ statement_timeout: string }>('SHOW statement_timeout')).rows[0]!.statement_timeout;
    const seen = await db.atomic(async (tx) => {
      const before = await show(tx);
      const inside = await tx.atomic((sp) => show(sp), 300_000);
      const after = await show(tx);
      const failed = await tx.atomic(async (sp) => {
        await sp.query("SELECT 1/0");
      }, 300_000).catch((err: unknown) => (err instanceof Error ? err.message : 'not an error'));
      return { before, inside, after, failed, afterFailure: await show(tx) };
    });
    expect(seen).toEqual({ before: '5s', inside: '5min', after: '5s', failed: 'division by zero', afterFailure: '5s' });
    expect(await db.atomic((tx) => show(tx), 60_000)).toBe('1min');
    expect(await show(db)).toBe('5s');
  });

  it('refuses to report a commit when a statement failed inside the transaction and the error was caught', async () => {
    const pool = new pg.Pool({ connectionString: await database() });
    cleanup(() => pool.end());
    const db = new PoolContext(pool, undefined);
    await expect(
      db.atomic(async (tx) => {
        await tx.query('SELECT 1/0').catch(() => undefined);
      }),
    ).rejects.toThrow('transaction rolled back: a statement inside it failed');
  });
});
