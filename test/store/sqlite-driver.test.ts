import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { driverName, openSqlite, type Database } from '../../src/store/sqlite/driver.js';
import { tempDir } from '../helpers/run-cli.js';

/**
 * The SQLite driver seam behaves the same on every Node: better-sqlite3 on Node 20, node:sqlite from
 * 22.16 (CI runs this file on both). What the store relies on is pinned here; the store contract suite
 * covers the rest through the store itself.
 */
describe(`SQLite driver (${driverName} on Node ${process.versions.node})`, () => {
  const dir = tempDir('delta-ops-driver-');
  const open: Database[] = [];
  const db = (name = ':memory:', opts?: Parameters<typeof openSqlite>[1]): Database => {
    const d = openSqlite(name === ':memory:' ? name : join(dir, name), opts);
    open.push(d);
    return d;
  };
  afterAll(() => {
    for (const d of open) if (d.open) d.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is node:sqlite from Node 22.16 on, better-sqlite3 before', () => {
    const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
    expect(driverName).toBe(major > 22 || (major === 22 && minor >= 16) ? 'node:sqlite' : 'better-sqlite3');
  });

  it('binds positional values, one array of them, and named values (extra keys ignored)', () => {
    const d = db();
    d.exec('CREATE TABLE t (a INTEGER, b TEXT, c REAL)');
    const insert = d.prepare('INSERT INTO t (a, b, c) VALUES (?, ?, ?)');
    expect(insert.run(1, 'x', 1.5)).toEqual({ changes: 1, lastInsertRowid: 1 });
    expect(insert.run([2, 'y', 2.5])).toEqual({ changes: 1, lastInsertRowid: 2 });
    d.prepare('INSERT INTO t (a, b, c) VALUES (@a, @b, @c)').run({ a: 3, b: 'z', c: 3.5, unused: 'ignored' });
    expect(d.prepare('SELECT a, b, c FROM t ORDER BY a').all()).toStrictEqual([
      { a: 1, b: 'x', c: 1.5 },
      { a: 2, b: 'y', c: 2.5 },
      { a: 3, b: 'z', c: 3.5 },
    ]);
    expect(d.prepare('SELECT b FROM t WHERE a = ?').get(9)).toBeUndefined();
    expect(d.prepare('SELECT NULL AS n').get()).toStrictEqual({ n: null });
  });

  it('reads a BLOB back as a Buffer', () => {
    const d = db();
    d.exec('CREATE TABLE blobs (data BLOB)');
    const bytes = Buffer.from([0, 1, 2, 250, 255]);
    d.prepare('INSERT INTO blobs (data) VALUES (?)').run(bytes);
    const row = d.prepare('SELECT data FROM blobs').get() as { data: Buffer };
    expect(Buffer.isBuffer(row.data)).toBe(true);
    expect(row.data.equals(bytes)).toBe(true);
    expect(row.data.readUInt8(3)).toBe(250);
  });

  it('transactions commit, roll back when the function throws, and nest as savepoints', () => {
    const d = db();
    d.exec('CREATE TABLE n (v INTEGER)');
    const add = d.prepare('INSERT INTO n (v) VALUES (?)');
    expect(d.transaction(() => add.run(1).changes)()).toBe(1);
    expect(() =>
      d.transaction(() => {
        add.run(2);
        throw new Error('undo');
      })(),
    ).toThrow('undo');
    expect(d.inTransaction).toBe(false);
    d.transaction(() => {
      add.run(3);
      expect(d.inTransaction).toBe(true);
      expect(() =>
        d.transaction(() => {
          add.run(4);
          throw new Error('inner');
        })(),
      ).toThrow('inner');
      add.run(5);
    })();
    expect((d.prepare('SELECT v FROM n ORDER BY v').all() as { v: number }[]).map((r) => r.v)).toEqual([1, 3, 5]);
  });

  it('pragma sets WAL mode on a file; the page cache is better-sqlite3\'s 16 MB on both drivers', () => {
    const d = db('wal.sqlite');
    expect(d.pragma('journal_mode = WAL')).toEqual([{ journal_mode: 'wal' }]);
    expect(d.pragma('cache_size')).toEqual([{ cache_size: -16000 }]);
    expect(d.name).toBe(join(dir, 'wal.sqlite'));
  });

  it('failures carry the SQLite result code name', () => {
    const d = db();
    d.exec('CREATE TABLE u (k TEXT UNIQUE)');
    d.prepare("INSERT INTO u VALUES ('a')").run();
    expect(() => d.prepare("INSERT INTO u VALUES ('a')").run()).toThrow(expect.objectContaining({ code: 'SQLITE_CONSTRAINT_UNIQUE' }));
    expect(() => d.prepare('SELECT * FROM missing')).toThrow(expect.objectContaining({ code: 'SQLITE_ERROR', message: 'no such table: missing' }));

    const first = db('busy.sqlite', { timeout: 0 });
    first.exec('CREATE TABLE x (v)');
    first.exec('BEGIN IMMEDIATE');
    const second = db('busy.sqlite', { timeout: 0 });
    expect(() => second.exec('BEGIN IMMEDIATE')).toThrow(expect.objectContaining({ code: 'SQLITE_BUSY' }));
    first.exec('ROLLBACK');

    const readonly = db('busy.sqlite', { readonly: true });
    expect(() => readonly.exec('INSERT INTO x VALUES (1)')).toThrow(expect.objectContaining({ code: 'SQLITE_READONLY' }));
    expect(() => openSqlite(join(dir, 'absent.sqlite'), { readonly: true })).toThrow(expect.objectContaining({ code: 'SQLITE_CANTOPEN' }));
  });

  it('close is idempotent and reported by `open`', () => {
    const d = db();
    expect(d.open).toBe(true);
    d.close();
    d.close();
    expect(d.open).toBe(false);
  });
});
