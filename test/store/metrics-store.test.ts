import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { m001Core } from '../../src/store/sqlite/migrations/001-core.js';
import { MIGRATIONS } from '../../src/store/sqlite/migrations/index.js';
import { openDatabase } from '../../src/store/sqlite/open-database.js';
import { STAGING_SLOTS } from '../../src/store/staged-samples.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { MetricSample } from '../../src/core/ports/store.js';
import { tempDir } from '../helpers/run-cli.js';

const T0 = Date.UTC(2026, 0, 1);
const STEP = 15_000;
let open: { close(): unknown }[] = [];
afterEach(async () => {
  for (const s of open) await s.close();
  open = [];
});
const store = (path: string): SqliteStore => {
  const s = SqliteStore.open(path);
  open.push(s);
  return s;
};
const tick = (i: number, accounts = 40): MetricSample[] =>
  Array.from({ length: accounts }, (_, a) => [
    { ts: T0 + i * STEP, metric: 'equity', scope: `acct-${a}`, value: 1_000 + a + i / 3 },
    { ts: T0 + i * STEP, metric: 'utilization', scope: `acct-${a}`, value: 0.1 * (a % 7) },
  ]).flat();
const rawRows = (s: SqliteStore): number => (s.db.prepare('SELECT COUNT(*) AS n FROM metrics_raw').get() as { n: number }).n;

describe('SqliteMetricsStore staging', () => {
  it('answers reads with every appended sample, staged or moved, oldest first', async () => {
    const s = store(':memory:');
    for (let i = 0; i < 10; i++) await s.metrics.append(tick(i));
    // Ten appends moved ten of the 32 slots: some samples are still staged, yet count and range see all.
    expect(rawRows(s)).toBeLessThan(10 * 80);
    expect(await s.metrics.count()).toBe(10 * 80);
    const pts = await s.metrics.range('equity', 'acct-3', T0, T0 + 9 * STEP);
    expect(pts).toEqual(Array.from({ length: 10 }, (_, i) => ({ ts: T0 + i * STEP, value: 1_003 + i / 3 })));
    // A full round of slots moves everything appended before it.
    for (let i = 10; i < 10 + STAGING_SLOTS; i++) await s.metrics.append([]);
    expect(rawRows(s)).toBe(10 * 80);
  });

  it('keeps samples with the same timestamp in append order', async () => {
    const s = store(':memory:');
    await s.metrics.append([{ ts: T0, metric: 'm', scope: 'x', value: 3 }]);
    await s.metrics.append([{ ts: T0, metric: 'm', scope: 'x', value: 1 }, { ts: T0, metric: 'm', scope: 'x', value: 2 }]);
    expect((await s.metrics.range('m', 'x', T0, T0)).map((p) => p.value)).toEqual([3, 1, 2]);
  });

  it('loses no staged sample in a crash: the next open finds and moves them', async () => {
    const path = join(tempDir(), 'crash.sqlite');
    const first = SqliteStore.open(path);
    for (let i = 0; i < 5; i++) await first.metrics.append(tick(i));
    expect(rawRows(first)).toBeLessThan(5 * 80);
    // No close (a crash): a second process opens the same file.
    const second = store(path);
    expect(await second.metrics.count()).toBe(5 * 80);
    expect((await second.metrics.range('utilization', 'acct-6', T0, T0 + 4 * STEP)).map((p) => p.value)).toEqual(Array(5).fill(0.1 * 6));
    await second.close();
    open = open.filter((x) => x !== second);
    await first.close();
    // A clean close moves everything into metrics_raw.
    const third = store(path);
    expect(rawRows(third)).toBe(5 * 80);
    expect((third.db.prepare('SELECT COUNT(*) AS n FROM metrics_staged').get() as { n: number }).n).toBe(0);
  });

  it('compacts series by series: old samples fold into hourly rows, the rest stay raw', async () => {
    const s = store(':memory:');
    for (let i = 0; i < 2 * 240; i++) await s.metrics.append(tick(i, 2));
    const removed = await s.metrics.compact(T0 + 3_600_000 + 1, 0);
    expect(removed).toBe(240 * 4);
    const hourly = s.db.prepare("SELECT scope, avg, n FROM metrics_hourly WHERE metric = 'equity' ORDER BY scope").all();
    expect(hourly).toEqual([
      { scope: 'acct-0', avg: 1_000 + 239 / 6, n: 240 },
      { scope: 'acct-1', avg: 1_001 + 239 / 6, n: 240 },
    ]);
    expect(await s.metrics.count()).toBe(240 * 4 + 4);
  });
});

describe('migration 003 (metrics keyed by series)', () => {
  it('carries the samples of a database written by the first layout over, order and duplicates included', async () => {
    const path = join(tempDir(), 'old.sqlite');
    const old = openDatabase(path, [m001Core]);
    const ins = old.prepare('INSERT INTO metrics_raw (metric, scope, ts, value) VALUES (?, ?, ?, ?)');
    ins.run('equity', 'a1', T0, 100);
    ins.run('equity', 'a1', T0 + STEP, 90);
    ins.run('equity', 'a1', T0 + STEP, 95);
    ins.run('mark', 'BTC', T0, 60_000.5);
    old.close();
    const s = store(path);
    expect(await s.metrics.range('equity', 'a1', T0, T0 + STEP)).toEqual([
      { ts: T0, value: 100 },
      { ts: T0 + STEP, value: 90 },
      { ts: T0 + STEP, value: 95 },
    ]);
    expect(await s.metrics.range('mark', 'BTC', 0, T0)).toEqual([{ ts: T0, value: 60_000.5 }]);
    // New samples get later sequence numbers than the carried rows.
    await s.metrics.append([{ ts: T0 + STEP, metric: 'equity', scope: 'a1', value: 80 }]);
    expect((await s.metrics.range('equity', 'a1', T0 + STEP, T0 + STEP)).map((p) => p.value)).toEqual([90, 95, 80]);
  });

  it('is applied to a database already past it (numbers are reserved per area)', async () => {
    const path = join(tempDir(), 'later.sqlite');
    openDatabase(path, MIGRATIONS.filter((m) => m.version !== 3)).close();
    const db = openDatabase(path);
    open.push(db);
    const versions = (db.prepare('SELECT version FROM schema_version ORDER BY version').all() as { version: number }[]).map((r) => r.version);
    expect(versions).toEqual(MIGRATIONS.map((m) => m.version).sort((a, b) => a - b));
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'metrics_staged'").get()).toBeDefined();
  });
});
