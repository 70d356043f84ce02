import { expect } from 'vitest';
import type { StoreScope } from '../../../src/core/ports/store.js';
import { newAlert, T0, type Contract } from './types.js';

/**
 * One write through every port of `tx` (metrics too when `metrics`: their rollback has a test of its own
 * in metrics.ts, so a store that fails it does not hide how the other ports roll back).
 */
async function writeEverything(tx: StoreScope, metrics = true): Promise<number> {
  const alert = await tx.alerts.insert(newAlert());
  const msg = await tx.outbox.enqueue({ sink: 'discord', idempotencyKey: 'k1', kind: 'fire', payload: { n: 1 }, createdAt: T0 });
  await tx.alerts.linkMessage(msg.id, [alert.id]);
  await tx.silences.insert({ matcher: { account: 'acc-1' }, startsAt: T0, endsAt: T0 + 1_000, createdBy: 'ann', reason: 'r' });
  await tx.audit.append({ at: T0, actorId: 'u', actorName: 'ann', source: 'console', action: 'ack', target: alert.shortId, outcome: 'done' });
  await tx.kv.set('marker', 'set');
  if (metrics) await tx.metrics.append([{ ts: T0, metric: 'equity', scope: 'acc-1', value: 1_000 }]);
  await tx.drawdownBuckets?.save([{ metric: 'equity', scope: 'acc-1', start: 0, span: 60_000, n: 1, max: 1, min: 1, dd: 0, peak: 1, trough: 1 }]);
  return alert.id;
}

export function transactionContract({ use, it }: Contract): void {
  it('commits everything fn wrote and resolves with its value', async () => {
    const { store } = use();
    const id = await store.transaction((tx) => writeEverything(tx));
    const alert = await store.alerts.get(id);
    expect(alert?.fingerprint).toBe('utilization|acc-1|');
    const [msg] = await store.outbox.list();
    expect(await store.alerts.messagesOf(id)).toEqual([msg!.id]);
    expect(await store.silences.list(0)).toHaveLength(1);
    expect(await store.audit.list()).toHaveLength(1);
    expect(await store.kv.get('marker')).toBe('set');
    expect(await store.metrics.range('equity', 'acc-1', T0, T0)).toEqual([{ ts: T0, value: 1_000 }]);
    expect(await store.drawdownBuckets?.load('equity', 60_000, 0)).toHaveLength(store.drawdownBuckets ? 1 : 0);
  });

  it('rolls everything back when fn throws, and rejects with that error', async () => {
    const { store } = use();
    const boom = new Error('boom');
    await expect(
      store.transaction(async (tx) => {
        await writeEverything(tx, false);
        throw boom;
      }),
    ).rejects.toBe(boom);
    expect(await store.alerts.list({ state: 'all' })).toEqual([]);
    expect(await store.outbox.list()).toEqual([]);
    expect(await store.silences.list(0)).toEqual([]);
    expect(await store.audit.list()).toEqual([]);
    expect(await store.kv.get('marker')).toBeUndefined();
    expect(await store.drawdownBuckets?.load('equity', 60_000, 0)).toEqual(store.drawdownBuckets && []);
    // The store goes on working, the rolled-back key free again.
    await store.transaction((tx) => writeEverything(tx, false));
    expect(await store.outbox.counts()).toEqual({ pending: 1, sent: 0, dead: 0, superseded: 0 });
  });

  it('rolls back when a statement inside fails, and the store goes on working', async () => {
    const { store } = use();
    await store.kv.set('before', '1');
    await expect(
      store.transaction(async (tx) => {
        await tx.kv.set('inside', '1');
        await tx.outbox.enqueue({ sink: 'discord', idempotencyKey: 'same', kind: 'fire', payload: {}, createdAt: T0 });
        await tx.outbox.enqueue({ sink: 'discord', idempotencyKey: 'same', kind: 'fire', payload: {}, createdAt: T0 });
      }),
    ).rejects.toThrow();
    expect(await store.kv.get('inside')).toBeUndefined();
    expect(await store.outbox.list()).toEqual([]);
    expect(await store.kv.get('before')).toBe('1');
    expect(await store.transaction(async (tx) => (await tx.kv.get('before')) ?? 'missing')).toBe('1');
  });

  it('runs transactions one after another', async () => {
    const { store } = use();
    for (let i = 0; i < 5; i++) await store.transaction(async (tx) => tx.kv.set('n', String(Number((await tx.kv.get('n')) ?? 0) + 1)));
    expect(await store.kv.get('n')).toBe('5');
  });

  it('pings while open; fails to after close; closes twice without error', async () => {
    const { store } = use();
    await expect(store.ping()).resolves.toBeUndefined();
    await store.close();
    await expect(store.ping()).rejects.toThrow();
    await store.close();
  });
}
