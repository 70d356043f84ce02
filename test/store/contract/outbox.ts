import { expect } from 'vitest';
import { SOLE_SENDER } from '../../../src/core/outbox/dispatcher.js';
import type { NewOutboxRow, OutboxRow } from '../../../src/core/ports/alerts.js';
import { T0, type Contract } from './types.js';

function row(key: string, over: Partial<NewOutboxRow> = {}): NewOutboxRow {
  return { sink: 'discord', idempotencyKey: key, kind: 'fire', payload: { alerts: [key] }, createdAt: T0, ...over };
}

export function outboxContract({ use, it }: Contract): void {
  it('enqueue stores a pending row with its payload as plain JSON data', async () => {
    const { store } = use();
    const payload = { title: 'BTC delta', alerts: [{ id: 1, shortId: 'z2at', value: 0.1 + 0.2 }], empty: [], nested: { ok: true, none: null }, text: 'é ✓ "q" \u0000' };
    const fire = await store.outbox.enqueue(row('k1', { payload, createdAt: T0 + 5 }));
    const expected: OutboxRow = { id: fire.id, sink: 'discord', idempotencyKey: 'k1', kind: 'fire', payload, status: 'pending', attempts: 0, nextAttemptAt: T0 + 5, createdAt: T0 + 5 };
    expect(fire).toStrictEqual(expected);
    expect(await store.outbox.get(fire.id)).toStrictEqual(expected);
    const edit = await store.outbox.enqueue(row('k2', { kind: 'update', targetId: fire.id, payload: ['a', 1] }));
    expect(edit).toStrictEqual({ ...expected, id: edit.id, idempotencyKey: 'k2', kind: 'update', targetId: fire.id, payload: ['a', 1], nextAttemptAt: T0, createdAt: T0 });
    expect(edit.id).toBeGreaterThan(fire.id);
    expect(await store.outbox.get(edit.id + 100)).toBeUndefined();
    // The idempotency key is unique for ever; an edit targets an existing row.
    await expect(store.outbox.enqueue(row('k1'))).rejects.toThrow();
    await expect(store.outbox.enqueue(row('k3', { targetId: edit.id + 100 }))).rejects.toThrow();
  });

  it('due: pending rows of the given sinks due by now, by id, up to the limit', async () => {
    const { store } = use();
    const a = await store.outbox.enqueue(row('a', { createdAt: T0 + 30 }));
    const b = await store.outbox.enqueue(row('b', { sink: 'console' }));
    const c = await store.outbox.enqueue(row('c'));
    const d = await store.outbox.enqueue(row('d', { sink: 'webhook' }));
    const e = await store.outbox.enqueue(row('e'));
    await store.outbox.markSent(c.id, 'msg-c', T0 + 1);
    await store.outbox.markRetry(e.id, 1, T0 + 60, 'rate limited');
    const ids = (rows: OutboxRow[]): number[] => rows.map((r) => r.id);
    expect(ids(await store.outbox.due(T0, ['discord', 'console'], 10))).toEqual([b.id]);
    expect(ids(await store.outbox.due(T0 + 30, ['discord', 'console'], 10))).toEqual([a.id, b.id]);
    expect(ids(await store.outbox.due(T0 + 60, ['discord', 'console', 'webhook'], 10))).toEqual([a.id, b.id, d.id, e.id]);
    expect(ids(await store.outbox.due(T0 + 60, ['discord', 'console', 'webhook'], 2))).toEqual([a.id, b.id]);
    expect(ids(await store.outbox.due(T0 + 60, ['webhook'], 10))).toEqual([d.id]);
    expect(await store.outbox.due(T0 + 60, [], 10)).toEqual([]);
  });

  it('claim marks a send in flight; a second claim reports the first; an outcome clears it', async () => {
    const { store } = use();
    const r = await store.outbox.enqueue(row('k'));
    expect(await store.outbox.claim(r.id, SOLE_SENDER, T0 + 1)).toEqual({ kind: 'claimed', wasInFlight: false });
    expect((await store.outbox.get(r.id))?.inFlightSince).toBe(T0 + 1);
    // A retry keeps the mark: whether the failed send reached the channel is not known.
    await store.outbox.markRetry(r.id, 1, T0 + 10, 'x'.repeat(600));
    const retried = await store.outbox.get(r.id);
    expect(retried).toStrictEqual({ ...r, attempts: 1, nextAttemptAt: T0 + 10, lastError: 'x'.repeat(500), inFlightSince: T0 + 1 });
    expect(await store.outbox.claim(r.id, SOLE_SENDER, T0 + 11)).toEqual({ kind: 'claimed', wasInFlight: true });
    expect((await store.outbox.get(r.id))?.inFlightSince).toBe(T0 + 11);
    await store.outbox.markSent(r.id, 'msg-1', T0 + 12);
    expect(await store.outbox.get(r.id)).toStrictEqual({ ...r, status: 'sent', attempts: 2, nextAttemptAt: T0 + 10, sentRef: 'msg-1', sentAt: T0 + 12 });
    expect(await store.outbox.claim(r.id, SOLE_SENDER, T0 + 13)).toEqual({ kind: 'gone' });
    expect(await store.outbox.claim(r.id + 100, SOLE_SENDER, T0 + 13)).toEqual({ kind: 'gone' });
    // A retry of a row that is no longer pending changes nothing.
    await store.outbox.markRetry(r.id, 5, T0 + 99, 'late');
    expect((await store.outbox.get(r.id))?.attempts).toBe(2);
  });

  it('markSent without a ref, markDead clears the in-flight mark and counts the attempt', async () => {
    const { store } = use();
    const a = await store.outbox.enqueue(row('a'));
    const b = await store.outbox.enqueue(row('b'));
    await store.outbox.claim(a.id, SOLE_SENDER, T0 + 1);
    await store.outbox.markSent(a.id, undefined, T0 + 2);
    expect(await store.outbox.get(a.id)).toStrictEqual({ ...a, status: 'sent', attempts: 1, sentAt: T0 + 2 });
    await store.outbox.claim(b.id, SOLE_SENDER, T0 + 1);
    await store.outbox.markDead(b.id, `forbidden ${'y'.repeat(600)}`, T0 + 3);
    expect(await store.outbox.get(b.id)).toStrictEqual({ ...b, status: 'dead', attempts: 1, lastError: `forbidden ${'y'.repeat(600)}`.slice(0, 500) });
    expect(await store.outbox.claim(b.id, SOLE_SENDER, T0 + 4)).toEqual({ kind: 'gone' });
  });

  it('supersedes pending edits of a message, resets backoff of pending rows, counts and lists by status', async () => {
    const { store } = use();
    const fire = await store.outbox.enqueue(row('fire'));
    const e1 = await store.outbox.enqueue(row('e1', { kind: 'update', targetId: fire.id }));
    const e2 = await store.outbox.enqueue(row('e2', { kind: 'resolve', targetId: fire.id }));
    const e3 = await store.outbox.enqueue(row('e3', { kind: 'update', targetId: fire.id }));
    const summary = await store.outbox.enqueue(row('sum', { kind: 'summary' }));
    await store.outbox.markSent(e3.id, 'm', T0 + 1);
    expect(await store.outbox.supersedeEdits(fire.id)).toBe(2);
    expect(await store.outbox.supersedeEdits(fire.id)).toBe(0);
    expect((await store.outbox.get(e1.id))?.status).toBe('superseded');
    expect((await store.outbox.get(e2.id))?.status).toBe('superseded');
    expect((await store.outbox.get(e3.id))?.status).toBe('sent');

    await store.outbox.markRetry(fire.id, 1, T0 + 500, 'busy');
    await store.outbox.markRetry(summary.id, 2, T0 + 100, 'busy');
    expect(await store.outbox.resetBackoff(T0 + 200)).toBe(1);
    expect((await store.outbox.get(fire.id))?.nextAttemptAt).toBe(T0 + 200);
    expect((await store.outbox.get(summary.id))?.nextAttemptAt).toBe(T0 + 100);
    expect(await store.outbox.resetBackoff(T0 + 200)).toBe(0);

    await store.outbox.markDead(summary.id, 'gone', T0 + 300);
    expect(await store.outbox.counts()).toEqual({ pending: 1, sent: 1, dead: 1, superseded: 2 });
    const ids = (rows: OutboxRow[]): number[] => rows.map((r) => r.id);
    expect(ids(await store.outbox.list())).toEqual([fire.id, e1.id, e2.id, e3.id, summary.id]);
    expect(ids(await store.outbox.list({ status: 'superseded' }))).toEqual([e1.id, e2.id]);
    expect(ids(await store.outbox.list({ kind: 'update' }))).toEqual([e1.id, e3.id]);
    expect(ids(await store.outbox.list({ status: 'superseded', kind: 'update' }))).toEqual([e1.id]);
    expect(ids(await store.outbox.list({ limit: 2 }))).toEqual([fire.id, e1.id]);
  });

  it('counts an empty outbox as zeros', async () => {
    expect(await use().store.outbox.counts()).toEqual({ pending: 0, sent: 0, dead: 0, superseded: 0 });
  });
}
