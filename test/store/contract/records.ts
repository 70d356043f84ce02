import { expect } from 'vitest';
import type { AuditEntry, Silence } from '../../../src/core/ports/alerts.js';
import type { DrawdownBucketRow, DrawdownBucketStore } from '../../../src/core/ports/store.js';
import { T0, type Contract, type UseStore } from './types.js';

function buckets(use: UseStore): DrawdownBucketStore {
  const b = use().store.drawdownBuckets;
  if (!b) throw new Error('this store keeps no drawdown buckets');
  return b;
}

function bucket(scope: string, start: number, over: Partial<DrawdownBucketRow> = {}): DrawdownBucketRow {
  return { metric: 'equity', scope, start, span: 60_000, n: 4, max: 110.5, min: 90.25, dd: 0.125, peak: 110.5, trough: 96.6875, ...over };
}

export function recordsContract({ use, it }: Contract): void {
  it('silences: insert, get, list those ending after a time newest first, expire never extends', async () => {
    const { store } = use();
    const input: Omit<Silence, 'id'> = { matcher: { type: 'delta', symbol: 'BTC' }, startsAt: T0, endsAt: T0 + 3_600_000, createdBy: 'ann', reason: 'maintenance' };
    const s1 = await store.silences.insert(input);
    const s2 = await store.silences.insert({ matcher: { account: 'acc-2' }, startsAt: T0, endsAt: T0 + 60_000, createdBy: 'bob', reason: 'noisy' });
    const s3 = await store.silences.insert({ matcher: {}, startsAt: T0, endsAt: T0 + 10, createdBy: 'bob', reason: 'all' });
    expect(s1).toEqual({ ...input, id: s1.id });
    expect(await store.silences.get(s1.id)).toEqual(s1);
    expect(await store.silences.get(s2.id)).toEqual(s2);
    expect(await store.silences.get(s3.id + 100)).toBeUndefined();
    expect((await store.silences.list(T0 + 10)).map((s) => s.id)).toEqual([s2.id, s1.id]);
    expect((await store.silences.list(T0 + 9)).map((s) => s.id)).toEqual([s3.id, s2.id, s1.id]);

    await store.silences.expire(s1.id, T0 + 1_000, 'carol');
    await store.silences.expire(s3.id, T0 + 5_000, 'carol');
    expect(await store.silences.get(s1.id)).toEqual({ ...s1, endsAt: T0 + 1_000, expiredBy: 'carol' });
    expect(await store.silences.get(s3.id)).toEqual({ ...s3, endsAt: T0 + 10, expiredBy: 'carol' });
    expect((await store.silences.list(T0 + 1_000)).map((s) => s.id)).toEqual([s2.id]);
  });

  it('audit: appends, lists newest first, filters by since and actor, limits (100 by default)', async () => {
    const { store } = use();
    const entry = (i: number, over: Partial<AuditEntry> = {}): Omit<AuditEntry, 'id'> => ({
      at: T0 + i, actorId: i % 2 ? 'u-odd' : 'u-even', actorName: 'ann', source: 'console', action: 'ack', target: `a${i}`, outcome: 'done', ...over,
    });
    const first = await store.audit.append(entry(0, { comment: 'looking', detail: 'state firing' }));
    expect(first).toEqual({ ...entry(0, { comment: 'looking', detail: 'state firing' }), id: first.id });
    const refused = await store.audit.append(entry(1, { action: 'silence', outcome: 'refused' }));
    expect((await store.audit.list())[0]).toEqual({ ...entry(1, { action: 'silence', outcome: 'refused' }), id: refused.id });
    expect(Object.keys((await store.audit.list())[0]!)).not.toContain('comment');
    for (let i = 2; i < 105; i++) await store.audit.append(entry(i));
    const all = await store.audit.list();
    expect(all).toHaveLength(100);
    expect(all[0]!.target).toBe('a104');
    expect(all[99]!.target).toBe('a5');
    expect((await store.audit.list({ since: T0 + 101 })).map((e) => e.target)).toEqual(['a104', 'a103', 'a102', 'a101']);
    expect((await store.audit.list({ since: T0 + 100, actorId: 'u-odd' })).map((e) => e.target)).toEqual(['a103', 'a101']);
    expect((await store.audit.list({ actorId: 'u-even', limit: 2 })).map((e) => e.target)).toEqual(['a104', 'a102']);
    expect(await store.audit.list({ limit: 1000 })).toHaveLength(105);
    expect(await store.audit.list({ actorId: 'nobody' })).toEqual([]);
  });

  it('audit: filters by action, outcome and actor (id, or name case-insensitively), combined, newest first', async () => {
    const { store } = use();
    const add = (i: number, actorId: string, actorName: string, action: AuditEntry['action'], outcome: AuditEntry['outcome']): Promise<AuditEntry> =>
      store.audit.append({ at: T0 + i, actorId, actorName, source: 'discord:1/2', action, target: `t${i}`, outcome });
    await add(0, '111', 'Alice', 'ack', 'done');
    await add(1, '222', 'bob', 'sync', 'refused');
    await add(2, '111', 'Alice', 'failover', 'done');
    await add(3, '222', 'bob', 'audit', 'refused');
    await add(4, '333', 'ALICE', 'ack', 'invalid');
    await add(5, '111', 'Alice', 'ack', 'done');
    const targets = async (filter: Parameters<typeof store.audit.list>[0]): Promise<string[]> => (await store.audit.list(filter)).map((e) => e.target);
    expect(await targets({ action: 'ack' })).toEqual(['t5', 't4', 't0']);
    expect(await targets({ outcome: 'refused' })).toEqual(['t3', 't1']);
    expect(await targets({ action: 'sync', outcome: 'refused' })).toEqual(['t1']);
    // By name: 'alice' matches Alice and ALICE (two people with one name); by id: only that one.
    expect(await targets({ actor: 'alice' })).toEqual(['t5', 't4', 't2', 't0']);
    expect(await targets({ actor: '111' })).toEqual(['t5', 't2', 't0']);
    expect(await targets({ actor: 'BOB', action: 'audit' })).toEqual(['t3']);
    expect(await targets({ actor: 'alice', action: 'ack', limit: 2 })).toEqual(['t5', 't4']);
    expect(await targets({ actor: 'carol' })).toEqual([]);
    expect(await targets({ action: 'resolve' })).toEqual([]);
  });

  it('kv: get, set, overwrite', async () => {
    const { store } = use();
    expect(await store.kv.get('summary.last')).toBeUndefined();
    await store.kv.set('summary.last', '2026-01-05');
    await store.kv.set('commands.hash', '');
    expect(await store.kv.get('summary.last')).toBe('2026-01-05');
    expect(await store.kv.get('commands.hash')).toBe('');
    await store.kv.set('summary.last', 'é ✓ "quoted"');
    expect(await store.kv.get('summary.last')).toBe('é ✓ "quoted"');
  });

  it('drawdown buckets: save upserts, load filters by metric, span and start, ordered by scope (bytewise) then start', async () => {
    const b = buckets(use);
    await b.save([]);
    await b.save([bucket('b', 120_000), bucket('b', 60_000), bucket('B', 180_000), bucket('portfolio', 0), bucket('b', 60_000, { span: 3_600_000 }), bucket('b', 0, { metric: 'portfolio.equity' })]);
    // b@60000 was saved twice in one call with different spans: the last one wins (one row per metric, scope, start).
    expect(await b.load('equity', 60_000, 0)).toEqual([bucket('B', 180_000), bucket('b', 120_000), bucket('portfolio', 0)]);
    expect(await b.load('equity', 3_600_000, 0)).toEqual([bucket('b', 60_000, { span: 3_600_000 })]);
    expect(await b.load('equity', 60_000, 120_000)).toEqual([bucket('B', 180_000), bucket('b', 120_000)]);
    const replaced = bucket('b', 120_000, { n: 9, min: 80, dd: 0.2, trough: 88.4 });
    await b.save([replaced]);
    expect(await b.load('equity', 60_000, 120_000)).toEqual([bucket('B', 180_000), replaced]);
    expect(await b.prune(120_000)).toBe(3);
    expect(await b.load('equity', 60_000, 0)).toEqual([bucket('B', 180_000), replaced]);
    expect(await b.load('portfolio.equity', 60_000, 0)).toEqual([]);
  });
}
