import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openSqlite, type Database } from '../../src/store/sqlite/driver.js';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { runCli, tempDir, type CliResult } from '../helpers/run-cli.js';
import { startInProcess, type InProcessApp } from './in-process-app.js';

const SCENARIO = 'test/fixtures/scenario.yaml';

/** One line on stderr, nothing on stdout, exit 1, no stack trace. */
function expectOneLineFailure(r: CliResult, pattern: RegExp): void {
  expect(r.code).toBe(1);
  expect(r.stdout).toBe('');
  expect(r.stderr.split('\n').filter(Boolean)).toHaveLength(1);
  expect(r.stderr).toMatch(pattern);
  expect(r.stderr).not.toMatch(/\n\s+at |SqliteError|node_modules/);
}

describe('the database file locked or unusable at start (real entry point)', () => {
  const dir = tempDir('delta-ops-db-');
  const holders: Database[] = [];
  afterAll(() => {
    for (const h of holders) if (h.open) h.close();
  });

  /** Another process's write transaction, held until the test ends. */
  const holdExclusive = async (path: string, wal: boolean): Promise<void> => {
    if (wal) await SqliteStore.open(path).close();
    const holder = openSqlite(path);
    holders.push(holder);
    holder.exec('CREATE TABLE IF NOT EXISTS other (x)');
    holder.exec('BEGIN EXCLUSIVE');
    holder.exec('INSERT INTO other VALUES (1)');
  };

  // A supervisor restarting the process meets the same: each start waits out the busy timeout (no hot
  // loop) and fails the same way. Both journal modes: our WAL file, and a file another tool created.
  it('held by another writer: one clear line and exit 1 after the busy timeout', async () => {
    const wal = join(dir, 'wal.sqlite');
    const fresh = join(dir, 'rollback.sqlite');
    await holdExclusive(wal, true);
    await holdExclusive(fresh, false);
    const runs = await Promise.all([
      runCli(['--config', SCENARIO, '--once', '/status'], { DELTA_OPS_DB: wal }),
      runCli(['--config', SCENARIO, '--once', '/status'], { DELTA_OPS_DB: fresh }),
    ]);
    for (const r of runs) {
      expectOneLineFailure(r, /^delta-ops: database \S+\.sqlite: locked by another process for more than 2 s \(SQLITE_BUSY\); is another delta-ops using this file\?\n$/);
    }
    // Nothing of ours got in: the other writer's transaction is intact and commits.
    for (const h of holders) h.exec('COMMIT');
    const check = openSqlite(wal, { readonly: true });
    expect(check.prepare('SELECT COUNT(*) AS n FROM other').get()).toEqual({ n: 1 });
    check.close();
  });

  it('a path that cannot be a file (under a regular file; a directory): one line, exit 1', async () => {
    const file = join(dir, 'plain.txt');
    writeFileSync(file, 'not a directory');
    const asDir = join(dir, 'a-directory.sqlite');
    mkdirSync(asDir);
    const [underFile, directory] = await Promise.all([
      runCli(['--config', SCENARIO, '--once', '/status'], { DELTA_OPS_DB: join(file, 'db.sqlite') }),
      runCli(['--config', SCENARIO, '--once', '/status'], { DELTA_OPS_DB: asDir }),
    ]);
    expectOneLineFailure(underFile, /^delta-ops: database \S+plain\.txt\/db\.sqlite: cannot create its directory \S+plain\.txt \((EEXIST|ENOTDIR)\): part of that path is a file\n$/);
    expectOneLineFailure(directory, /^delta-ops: database \S+a-directory\.sqlite: cannot open it \(SQLITE_CANTOPEN\)\n$/);
  });
});

/*
 * Mid-run: another connection holds a write transaction during a tick. The tick logs the failed stages
 * and finishes, commands still answer, and once the lock is gone the writes resume: the alert that
 * could not be stored is stored and sent, and the notification whose "sent" mark was lost is sent
 * again with the same idempotency key (the sink returns the first message: posted once).
 */
describe('the database locked during a tick (in process)', () => {
  let t: InProcessApp;
  afterAll(async () => {
    await t?.close();
  });

  it('logs the failure, keeps answering, and resumes writing with nothing lost or doubled', async () => {
    t = await startInProcess();
    // Tick 2 raises the BTC delta alert; its first delivery fails, so it is pending when the lock comes.
    t.sink.failNext({ kind: 'retry', reason: 'sink hiccup' });
    await t.tick();
    expect(await t.app.store.outbox.counts()).toMatchObject({ pending: 1, sent: 0 });

    const other = openSqlite(t.dbPath);
    other.exec('BEGIN EXCLUSIVE');
    other.exec("INSERT INTO kv (key, value) VALUES ('other-writer', 'x')");
    await t.app.alerts.list(); // reads still work in WAL mode
    t.clock.advance(60_000); // past the retry backoff
    const locked = await t.tick(); // tick 3 raises acc-4's utilization alert: cannot be stored now
    expect(locked.seq).toBe(3);
    const failedStages = t.logs.filter((l) => l.msg === 'tick stage failed').map((l) => [l['stage'], (l['err'] as { code?: string }).code]);
    expect(failedStages).toEqual(expect.arrayContaining([['persist-metrics', 'SQLITE_BUSY'], ['alerts', 'SQLITE_BUSY']]));
    // Nothing is sent while the send cannot first be claimed in the store (no unrecorded delivery).
    expect(t.sink.posts).toHaveLength(0);
    expect(await t.app.store.outbox.counts()).toMatchObject({ pending: 1, sent: 0 });
    expect(t.app.engine.snapshot()?.seq).toBe(3);

    // Commands answer: reads from memory and the store work; an admin write fails with an error id.
    const status = await t.run('status', undefined);
    expect(status.title).toBe('delta-ops status');
    const list = await t.run('alerts', 'list');
    expect(list.tables?.[0]?.rows).toHaveLength(1);
    const ack = await t.run('alerts', 'ack', { id: (await t.app.alerts.list())[0]!.shortId });
    expect(ack.title).toBe('Error 500');
    expect(ack.lines?.join(' ')).toMatch(/Error id: [0-9a-f]{8}/);

    other.exec('COMMIT');
    other.close();
    await t.tick(); // tick 4: tick 3's evaluation is applied first, at its own time, then tick 4's
    const posted = t.sink.postedAlerts().map((a) => `${a.type}:${a.account ?? a.symbol ?? ''}`);
    expect(posted.sort()).toEqual(['delta:BTC', 'delta:ETH', 'utilization:acc-4']);
    // Each in its own message: BTC (retried), acc-4 (raised at tick 3, replayed), ETH (tick 4).
    expect(t.sink.posts.map((p) => p.notification.payload.type === 'alerts' && p.notification.payload.alerts.length)).toEqual([1, 1, 1]);
    expect(t.sink.duplicates).toBe(0);
    expect(await t.app.store.outbox.counts()).toMatchObject({ pending: 0, dead: 0, sent: 3 });
    const kv = openSqlite(t.dbPath, { readonly: true });
    expect(kv.prepare("SELECT value FROM kv WHERE key = 'other-writer'").get()).toEqual({ value: 'x' });
    kv.close();
  });
});
