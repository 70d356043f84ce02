import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SOLE_SENDER } from '../../src/core/outbox/dispatcher.js';
import type { LeaseGrant } from '../../src/core/ports/leader-lease.js';
import { PG_MIGRATIONS } from '../../src/store/postgres/migrations/index.js';
import { PostgresStore } from '../../src/store/postgres/pg-store.js';
import { freshDatabase, type FreshDatabase } from '../helpers/postgres/fresh-database.js';

const TTL = 300;
const T0 = Date.UTC(2026, 0, 5, 9);

/** Calls `attempt` until it returns something (every 20 ms, at most ~10 s): waiting out a lease, not timing it. */
async function until<T>(attempt: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 500; i++) {
    const got = await attempt();
    if (got !== undefined) return got;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('gave up waiting');
}

let db: FreshDatabase;
let stores: PostgresStore[] = [];
/** One store per replica: a pool of its own on the same database. */
const replica = async (): Promise<PostgresStore> => {
  const s = await PostgresStore.open(db.url);
  stores.push(s);
  return s;
};

beforeEach(async () => {
  db = await freshDatabase();
});
afterEach(async () => {
  await Promise.all(stores.map((s) => s.close()));
  stores = [];
  await db.drop();
});

describe('PostgresLeaderLease', () => {
  it('goes to exactly one of several replicas racing for it, with epoch 1', async () => {
    const replicas = await Promise.all(Array.from({ length: 8 }, () => replica()));
    expect(await replicas[0]!.lease.read()).toBeUndefined();
    const grants = await Promise.all(replicas.map((r, i) => r.lease.acquire(`r${i}`, 10_000)));
    const won = grants.filter((g): g is LeaseGrant => g !== undefined);
    expect(won).toHaveLength(1);
    const [grant] = won;
    expect(grant).toEqual({ holder: grant!.holder, epoch: 1, since: grant!.since, ttlMs: 10_000 });
    const held = await replicas[3]!.lease.read();
    expect(held).toEqual({ holder: grant!.holder, epoch: 1, since: grant!.since, expiresAt: grant!.since + 10_000, live: true });
    // A second round: still held, nobody else gets it.
    expect((await Promise.all(replicas.map((r, i) => (`r${i}` === grant!.holder ? undefined : r.lease.acquire(`r${i}`, 10_000))))).filter(Boolean)).toEqual([]);
  });

  it('passes to another replica only after expiry, with the next epoch; the old holder is fenced out', async () => {
    const [a, b] = [await replica(), await replica()];
    const first = await a.lease.acquire('a', TTL);
    expect(first?.epoch).toBe(1);
    expect(await b.lease.acquire('b', TTL)).toBeUndefined();
    const expiredAt = (await a.lease.read())!.expiresAt;

    // Taken for long, so that nothing below races its expiry.
    const second = await until(() => b.lease.acquire('b', 60_000));
    expect(second.holder).toBe('b');
    expect(second.epoch).toBe(2);
    // Taken by the database's clock no earlier than the first grant ran out.
    expect(second.since).toBeGreaterThanOrEqual(expiredAt);
    expect(await a.lease.read()).toEqual({ holder: 'b', epoch: 2, since: second.since, expiresAt: second.since + 60_000, live: true });

    // The old holder cannot renew under its epoch, and its sends are refused.
    expect(await a.lease.acquire('a', TTL, { epoch: 1 })).toBeUndefined();
    const row = await a.outbox.enqueue({ sink: 'discord', idempotencyKey: 'k', kind: 'fire', payload: {}, createdAt: T0 });
    expect(await a.outbox.claim(row.id, { holder: 'a', epoch: 1 }, T0)).toEqual({ kind: 'fenced' });
    expect(await a.outbox.claim(row.id, SOLE_SENDER, T0)).toEqual({ kind: 'fenced' });
    expect((await a.outbox.get(row.id))?.inFlightSince).toBeUndefined();
    const renewed = await b.lease.acquire('b', 60_000, { epoch: 2 });
    expect(renewed).toEqual({ holder: 'b', epoch: 2, since: second.since, ttlMs: 60_000 });
    expect(await b.outbox.claim(row.id, { holder: 'b', epoch: 2 }, T0 + 1)).toEqual({ kind: 'claimed', wasInFlight: false });
    expect(await b.outbox.claim(row.id, { holder: 'b', epoch: 1 }, T0 + 2)).toEqual({ kind: 'fenced' });
    await b.outbox.markSent(row.id, 'm', T0 + 3);
    expect(await b.outbox.claim(row.id, { holder: 'a', epoch: 1 }, T0 + 4)).toEqual({ kind: 'gone' });
  });

  it('renews an expired lease under the same epoch when nobody took it', async () => {
    const a = await replica();
    const grant = await a.lease.acquire('a', 1);
    await until(async () => ((await a.lease.read())?.live === false ? true : undefined));
    const renewed = await a.lease.acquire('a', 60_000, { epoch: grant!.epoch });
    expect(renewed).toEqual({ holder: 'a', epoch: 1, since: grant!.since, ttlMs: 60_000 });
    expect(await a.lease.acquire('a', TTL, { epoch: 7 })).toBeUndefined();
    expect((await a.lease.read())?.live).toBe(true);
  });

  it('is free at once after release; releasing under an old epoch changes nothing', async () => {
    const [a, b] = [await replica(), await replica()];
    const first = await a.lease.acquire('a', 60_000);
    await b.lease.release('b', first!.epoch);
    await a.lease.release('a', first!.epoch + 1);
    expect(await b.lease.acquire('b', 60_000)).toBeUndefined();
    await a.lease.release('a', first!.epoch);
    expect((await b.lease.read())?.live).toBe(false);
    const second = await b.lease.acquire('b', 60_000);
    expect(second).toEqual({ holder: 'b', epoch: 2, since: second!.since, ttlMs: 60_000 });
    await a.lease.release('a', 1);
    expect((await a.lease.read())?.live).toBe(true);
  });
});

describe('outbox claims between replicas', () => {
  it('lets the sole sender claim only while no replica has ever taken the lease', async () => {
    const a = await replica();
    const row = await a.outbox.enqueue({ sink: 'discord', idempotencyKey: 'k', kind: 'fire', payload: {}, createdAt: T0 });
    expect(await a.outbox.claim(row.id, SOLE_SENDER, T0)).toEqual({ kind: 'claimed', wasInFlight: false });
    expect(await a.outbox.claim(row.id, { holder: 'a', epoch: 1 }, T0)).toEqual({ kind: 'fenced' });
    await a.lease.acquire('a', 60_000);
    expect(await a.outbox.claim(row.id, SOLE_SENDER, T0)).toEqual({ kind: 'fenced' });
    expect(await a.outbox.claim(row.id, { holder: 'a', epoch: 1 }, T0 + 1)).toEqual({ kind: 'claimed', wasInFlight: true });
  });

  it('serialises two claims of one row: exactly one of them sees it in flight', async () => {
    const [a, b] = [await replica(), await replica()];
    await a.lease.acquire('leader', 60_000);
    const fence = { holder: 'leader', epoch: 1 };
    for (let i = 0; i < 10; i++) {
      const row = await a.outbox.enqueue({ sink: 'discord', idempotencyKey: `k${i}`, kind: 'fire', payload: {}, createdAt: T0 });
      const claims = await Promise.all([a.outbox.claim(row.id, fence, T0), b.outbox.claim(row.id, fence, T0)]);
      expect(claims.map((c) => (c.kind === 'claimed' ? c.wasInFlight : c.kind)).sort()).toEqual([false, true]);
    }
  });
});

describe('PostgreSQL migrations', () => {
  it('run once when four stores open a fresh database at the same time', async () => {
    await Promise.all(Array.from({ length: 4 }, () => replica()));
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ version: number; n: number }>('SELECT version, count(*)::int AS n FROM schema_version GROUP BY version ORDER BY version');
      expect(rows).toEqual(PG_MIGRATIONS.map((m) => ({ version: m.version, n: 1 })).sort((x, y) => x.version - y.version));
    } finally {
      await client.end();
    }
    // Opening again applies nothing and works.
    const again = await replica();
    await again.ping();
  });
});
