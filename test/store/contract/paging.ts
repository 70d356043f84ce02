import { expect } from 'vitest';
import type { AlertRecord, Silence } from '../../../src/core/ports/alerts.js';
import { newAlert, T0, type Contract } from './types.js';

/** What paging keeps in the store (issue 12): where an alert's escalation chain stands, and planned silences. */
export function pagingContract({ use, it }: Contract): void {
  it('alerts keep their escalation state: inserted, updated step by step, cleared, in a transaction too', async () => {
    const { store } = use();
    const plain = await store.alerts.insert(newAlert({ severity: 'CRITICAL' }));
    expect(await store.alerts.get(plain.id)).toEqual(plain);
    expect((await store.alerts.get(plain.id))?.escalationStep).toBeUndefined();
    const started = await store.alerts.insert(newAlert({ fingerprint: 'delta||ETH', type: 'delta', account: undefined, symbol: 'ETH', severity: 'CRITICAL', escalationFrom: T0 + 1 }));
    expect(await store.alerts.get(started.id)).toEqual(started);

    const step1: AlertRecord = { ...started, escalationStep: 1, escalatedAt: T0 + 600_000, updatedAt: T0 + 600_000 };
    await store.alerts.update(step1);
    expect(await store.alerts.get(started.id)).toEqual(step1);
    const step2: AlertRecord = { ...step1, escalationStep: 2, escalatedAt: T0 + 1_800_000, updatedAt: T0 + 1_800_000 };
    await store.transaction(async (tx) => tx.alerts.update(step2));
    expect(await store.alerts.get(started.id)).toEqual(step2);
    expect((await store.alerts.active()).find((a) => a.id === started.id)).toEqual(step2);
    expect(await store.alerts.list({ severity: 'CRITICAL' })).toContainEqual(step2);

    await store.alerts.update({ ...step2, escalationFrom: undefined, escalationStep: undefined, escalatedAt: undefined });
    const cleared = await store.alerts.get(started.id);
    expect([cleared?.escalationFrom, cleared?.escalationStep, cleared?.escalatedAt]).toEqual([undefined, undefined, undefined]);
    // A rolled-back step is not kept.
    await expect(
      store.transaction(async (tx) => {
        await tx.alerts.update({ ...step2, escalationStep: 3 });
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect((await store.alerts.get(started.id))?.escalationStep).toBeUndefined();
  });

  it('silences keep when they were created (a planned one starts later); older rows without it read as absent', async () => {
    const { store } = use();
    const planned: Omit<Silence, 'id'> = { matcher: { account: 'acc-1' }, startsAt: T0 + 7_200_000, endsAt: T0 + 10_800_000, createdBy: 'ann', reason: 'venue maintenance', createdAt: T0 };
    const p = await store.silences.insert(planned);
    expect(p).toEqual({ ...planned, id: p.id });
    expect(await store.silences.get(p.id)).toEqual(p);
    const legacy = await store.silences.insert({ matcher: { type: 'sync' }, startsAt: T0, endsAt: T0 + 60_000, createdBy: 'bob', reason: 'old' });
    expect(await store.silences.get(legacy.id)).toEqual(legacy);
    expect((await store.silences.get(legacy.id))?.createdAt).toBeUndefined();
    // A planned silence is listed (it has not ended), and expiring it before its start keeps createdAt.
    expect((await store.silences.list(T0 + 1)).map((s) => s.id)).toEqual([legacy.id, p.id]);
    await store.silences.expire(p.id, T0 + 1_000, 'carol');
    expect(await store.silences.get(p.id)).toEqual({ ...p, endsAt: T0 + 1_000, expiredBy: 'carol' });
  });
}
