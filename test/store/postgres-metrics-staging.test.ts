import pg from 'pg';
import { describe, expect, it } from 'vitest';
import type { MetricSample } from '../../src/core/ports/store.js';
import { PostgresStore } from '../../src/store/postgres/pg-store.js';
import { STAGING_SLOTS } from '../../src/store/staged-samples.js';
import { postgresStores } from '../helpers/postgres/store-fixture.js';

const T0 = Date.UTC(2026, 0, 1);
const STEP = 15_000;

const { database, open } = postgresStores();

/** Counts rows with a connection of its own (what the database holds, not what a store remembers). */
async function rows(url: string, table: 'metrics_raw' | 'metrics_staged'): Promise<number> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return Number((await c.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`)).rows[0]!.n);
  } finally {
    await c.end();
  }
}

const tick = (i: number, accounts = 40): MetricSample[] =>
  Array.from({ length: accounts }, (_, a) => [
    { ts: T0 + i * STEP, metric: 'equity', scope: `acct-${a}`, value: 1_000 + a + i / 3 },
    { ts: T0 + i * STEP, metric: 'utilization', scope: `acct-${a}`, value: 0.1 * (a % 7) },
  ]).flat();

describe('PostgreSQL metrics staging', () => {
  it('stages a tick in one row per slot and moves one slot per append; reads see every sample', async () => {
    const url = await database();
    const s = await open(url);
    for (let i = 0; i < 10; i++) await s.metrics.append(tick(i));
    // 80 series over 32 slots; ten appends moved ten slots, so most samples are still staged.
    expect(await rows(url, 'metrics_raw')).toBeLessThan(10 * 80);
    expect(await rows(url, 'metrics_staged')).toBeGreaterThan(0);
    expect(await s.metrics.count()).toBe(10 * 80);
    expect(await s.metrics.range('equity', 'acct-3', T0, T0 + 9 * STEP)).toEqual(Array.from({ length: 10 }, (_, i) => ({ ts: T0 + i * STEP, value: 1_003 + i / 3 })));
    // A full round of slots moves everything appended before it, and leaves no staged row behind.
    for (let i = 0; i < STAGING_SLOTS; i++) await s.metrics.append([{ ts: T0 + (10 + i) * STEP, metric: 'm', scope: 'x', value: i }]);
    expect(await rows(url, 'metrics_raw')).toBeGreaterThanOrEqual(10 * 80);
    expect(await s.metrics.count()).toBe(10 * 80 + STAGING_SLOTS);
    expect((await s.metrics.range('equity', 'acct-3', T0, T0 + 9 * STEP)).length).toBe(10);
  });

  it('keeps samples with the same timestamp in append order, staged and moved alike', async () => {
    const s = await open(await database());
    await s.metrics.append([{ ts: T0, metric: 'm', scope: 'x', value: 3 }]);
    for (let i = 0; i < STAGING_SLOTS; i++) await s.metrics.append([]);
    await s.metrics.append([{ ts: T0, metric: 'm', scope: 'x', value: 1 }, { ts: T0, metric: 'm', scope: 'x', value: 2 }]);
    expect((await s.metrics.range('m', 'x', T0, T0)).map((p) => p.value)).toEqual([3, 1, 2]);
    for (let i = 0; i < STAGING_SLOTS; i++) await s.metrics.append([{ ts: T0 + 1, metric: 'other', scope: 'y', value: i }]);
    expect((await s.metrics.range('m', 'x', T0, T0)).map((p) => p.value)).toEqual([3, 1, 2]);
  });

  it('loses no staged sample when its process dies: the next store (a new leader) reads and moves them', async () => {
    const url = await database();
    const first = await PostgresStore.open(url);
    for (let i = 0; i < 5; i++) await first.metrics.append(tick(i));
    // The first process stops without a word (its pool simply goes away); a second one opens the database.
    await first.close();
    expect(await rows(url, 'metrics_staged')).toBeGreaterThan(0);
    const second = await open(url);
    expect(await second.metrics.count()).toBe(5 * 80);
    expect((await second.metrics.range('utilization', 'acct-6', T0, T0 + 4 * STEP)).map((p) => p.value)).toEqual(Array(5).fill(0.1 * 6));
    for (let i = 0; i < STAGING_SLOTS; i++) await second.metrics.append([]);
    expect(await rows(url, 'metrics_staged')).toBe(0);
    expect(await rows(url, 'metrics_raw')).toBe(5 * 80);
    expect(await second.metrics.count()).toBe(5 * 80);
  });

  it('never counts a sample twice or misses one while reads overlap the appends that move them', async () => {
    const s = await open(await database());
    const appends = (async () => {
      for (let i = 0; i < 3 * STAGING_SLOTS; i++) await s.metrics.append(tick(i, 8));
    })();
    const seen: number[] = [];
    let done = false;
    void appends.finally(() => (done = true));
    while (!done) {
      const before = (await s.metrics.range('equity', 'acct-5', T0, T0 + 1_000 * STEP)).length;
      seen.push(before);
      // Every read is a whole number of ticks (one sample per tick), each at most one tick ahead of the last.
      const pts = await s.metrics.range('equity', 'acct-5', T0, T0 + 1_000 * STEP);
      expect(pts.map((p) => p.ts)).toEqual(Array.from({ length: pts.length }, (_, i) => T0 + i * STEP));
    }
    await appends;
    expect(await s.metrics.range('equity', 'acct-5', T0, T0 + 1_000 * STEP)).toHaveLength(3 * STAGING_SLOTS);
    expect(seen.length).toBeGreaterThan(1);
    expect(await s.metrics.count()).toBe(3 * STAGING_SLOTS * 16);
  });

  it('thins staged and moved samples together as range would', async () => {
    const s = await open(await database());
    for (let i = 0; i < 50; i++) await s.metrics.append([{ ts: T0 + i * STEP, metric: 'm', scope: 'x', value: i }]);
    const all = await s.metrics.range('m', 'x', T0, T0 + 49 * STEP);
    expect(all).toHaveLength(50);
    const thin = await s.metrics.rangeSampled('m', 'x', T0, T0 + 49 * STEP, 10);
    // More than the 10 slices: `samples` is exact only up to the slices (MetricsStore.rangeSampled).
    expect(thin.samples).toBeGreaterThan(10);
    expect(thin.points).toHaveLength(10);
    // The last sample of each of the 10 slices of the window.
    const width = (49 * STEP) / 10;
    const expected = new Map<number, { ts: number; value: number }>();
    for (const p of all) expected.set(Math.min(9, Math.floor((p.ts - T0) / width)), p);
    expect(thin.points).toEqual([...expected.values()]);
    expect((await s.metrics.rangeSampled('m', 'x', T0, T0 + 49 * STEP, 100)).points).toEqual(all);
  });
});
