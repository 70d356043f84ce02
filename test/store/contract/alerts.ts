import { expect } from 'vitest';
import { shortIdFor } from '../../../src/core/alerts/short-id.js';
import type { AlertRecord, NewAlert } from '../../../src/core/ports/alerts.js';
import { newAlert, T0, type Contract } from './types.js';

export function alertsContract({ use, it }: Contract): void {
  it('insert assigns an id and its short id; get returns the record as inserted', async () => {
    const { store } = use();
    const full = newAlert({
      symbol: 'BTC', firedAt: T0 + 1, firstNotifiedAt: T0 + 2, lastNotifiedAt: T0 + 3, notifiedSeverity: 'WARN',
      sources: ['acc-1', 'acc-2'], value: 0.1 + 0.2, clearTicks: 2,
    });
    const a = await store.alerts.insert(full);
    const b = await store.alerts.insert(newAlert({ fingerprint: 'sync|acc-2|', type: 'sync', account: undefined, sources: [] }));
    expect(a).toEqual({ ...full, id: a.id, shortId: shortIdFor(a.id) });
    expect(b.id).toBeGreaterThan(a.id);
    expect(b.shortId).toBe(shortIdFor(b.id));
    expect(await store.alerts.get(a.id)).toEqual(a);
    expect(await store.alerts.get(b.id)).toEqual(b);
    expect((await store.alerts.get(b.id))?.account).toBeUndefined();
    expect(await store.alerts.get(b.id + 1000)).toBeUndefined();
  });

  it('finds alerts by short id in any case, trimmed, with Crockford look-alikes', async () => {
    const { store } = use();
    const inserted: AlertRecord[] = [];
    // Insert until one short id holds a 1 and one a 0 (ids 6 and 14 do, whatever the first id is, within 40).
    for (let i = 0; i < 40 && !(inserted.some((a) => a.shortId.includes('1')) && inserted.some((a) => a.shortId.includes('0'))); i++) {
      inserted.push(await store.alerts.insert(newAlert({ fingerprint: `utilization|acc-${i}|`, account: `acc-${i}` })));
    }
    const one = inserted.find((a) => a.shortId.includes('1'));
    const zero = inserted.find((a) => a.shortId.includes('0'));
    if (!one || !zero) throw new Error('no short id with 1 and 0 among the first 40');
    expect(await store.alerts.byShortId(one.shortId)).toEqual(one);
    expect(await store.alerts.byShortId(` ${one.shortId.toUpperCase().replace(/1/g, 'I')} `)).toEqual(one);
    expect(await store.alerts.byShortId(one.shortId.replace(/1/g, 'l'))).toEqual(one);
    expect(await store.alerts.byShortId(zero.shortId.toUpperCase().replace(/0/g, 'O'))).toEqual(zero);
    expect(await store.alerts.byShortId(zero.shortId.replace(/0/g, 'o'))).toEqual(zero);
    expect(await store.alerts.byShortId('zzzzzzzz')).toBeUndefined();
  });

  it('update writes every field; active() lists pending and firing by id', async () => {
    const { store } = use();
    const a = await store.alerts.insert(newAlert({ state: 'pending' }));
    const b = await store.alerts.insert(newAlert({ fingerprint: 'delta||BTC', type: 'delta', account: undefined, symbol: 'BTC' }));
    const c = await store.alerts.insert(newAlert({ fingerprint: 'sync|acc-3|', type: 'sync', account: 'acc-3' }));
    const acked: AlertRecord = { ...a, state: 'firing', firedAt: T0 + 10, ackedBy: 'ann', ackedAt: T0 + 20, ackComment: 'on it', severity: 'CRITICAL', updatedAt: T0 + 20, clearTicks: 1, sources: ['x'] };
    await store.alerts.update(acked);
    expect(await store.alerts.get(a.id)).toEqual(acked);
    const resolved: AlertRecord = { ...c, state: 'resolved', resolvedAt: T0 + 30, resolvedBy: 'auto', resolveComment: 'cleared', updatedAt: T0 + 30 };
    await store.alerts.update(resolved);
    expect(await store.alerts.get(c.id)).toEqual(resolved);
    // Clearing an optional field stores it as absent.
    await store.alerts.update({ ...acked, ackComment: undefined });
    expect((await store.alerts.get(a.id))?.ackComment).toBeUndefined();
    expect((await store.alerts.active()).map((x) => x.id)).toEqual([a.id, b.id]);
    // One active alert per fingerprint: a second one is refused, a resolved one does not count.
    await expect(store.alerts.insert(newAlert({ fingerprint: b.fingerprint }))).rejects.toThrow();
    await store.alerts.insert(newAlert({ fingerprint: c.fingerprint }));
  });

  it('updateAll writes each record as update does: every field, optional ones cleared, the last of one id winning, past a batch', async () => {
    const { store } = use();
    const inserted: AlertRecord[] = [];
    for (let i = 0; i < 520; i++) inserted.push(await store.alerts.insert(newAlert({ fingerprint: `f${i}`, account: `acc-${i}`, ackComment: 'x', ackedBy: 'ann', ackedAt: T0 })));
    const next = inserted.map((a, i): AlertRecord => ({
      ...a, severity: i % 2 ? 'CRITICAL' : 'INFO', state: i % 3 ? 'firing' : 'resolved', value: i + 0.25, sources: i % 5 ? [`s${i}`, 'b'] : [],
      summary: `it's ${i}`, symbol: i % 7 ? undefined : 'ETH', ackComment: undefined, ackedBy: undefined, ackedAt: undefined,
      resolvedAt: i % 3 ? undefined : T0 + i, escalationStep: i % 4 ? undefined : 2, escalatedAt: i % 4 ? undefined : T0 + 1, clearTicks: i % 3,
    }));
    const last: AlertRecord = { ...next[3]!, summary: 'the last one given' };
    await store.alerts.updateAll([...next, last]);
    await store.alerts.updateAll([]);
    for (const [i, a] of next.entries()) expect(await store.alerts.get(a.id), `alert ${i}`).toEqual(i === 3 ? last : a);
    expect((await store.alerts.active()).length).toBe(next.filter((a) => a.state !== 'resolved').length);
  });

  it('lists active alerts first, by severity, newest first, then type, account, symbol (bytewise), id descending', async () => {
    const { store } = use();
    const ins = (over: Partial<NewAlert>): Promise<AlertRecord> => store.alerts.insert(newAlert(over));
    const warnUtil = await ins({ fingerprint: 'f1', startsAt: T0 + 1 });
    const critDelta = await ins({ fingerprint: 'f2', type: 'delta', account: 'acc-2', symbol: 'BTC', severity: 'CRITICAL', startsAt: T0 + 2 });
    const critPending = await ins({ fingerprint: 'f3', account: 'acc-3', severity: 'CRITICAL', state: 'pending', startsAt: T0 + 3 });
    const infoSync = await ins({ fingerprint: 'f4', type: 'sync', severity: 'INFO', startsAt: T0 + 4 });
    const resolvedCrit = await ins({ fingerprint: 'f5', severity: 'CRITICAL', state: 'resolved', startsAt: T0 - 100, resolvedAt: T0 + 10 });
    const resolvedWarn = await ins({ fingerprint: 'f6', state: 'resolved', startsAt: T0 - 100, resolvedAt: T0 + 20 });
    const ids = (xs: AlertRecord[]): number[] => xs.map((x) => x.id);

    expect(ids(await store.alerts.list({}))).toEqual([critPending.id, critDelta.id, warnUtil.id, infoSync.id]);
    expect(ids(await store.alerts.list({ state: 'active' }))).toEqual([critPending.id, critDelta.id, warnUtil.id, infoSync.id]);
    expect(ids(await store.alerts.list({ state: 'all' }))).toEqual([critPending.id, critDelta.id, warnUtil.id, infoSync.id, resolvedCrit.id, resolvedWarn.id]);
    expect(ids(await store.alerts.list({ state: 'resolved' }))).toEqual([resolvedCrit.id, resolvedWarn.id]);
    expect(ids(await store.alerts.list({ state: 'pending' }))).toEqual([critPending.id]);
    expect(ids(await store.alerts.list({ state: 'firing' }))).toEqual([critDelta.id, warnUtil.id, infoSync.id]);
    expect(ids(await store.alerts.list({ severity: 'CRITICAL', state: 'all' }))).toEqual([critPending.id, critDelta.id, resolvedCrit.id]);
    expect(ids(await store.alerts.list({ account: 'acc-1', state: 'all' }))).toEqual([warnUtil.id, infoSync.id, resolvedCrit.id, resolvedWarn.id]);
    expect(ids(await store.alerts.list({ type: 'utilization', severity: 'CRITICAL' }))).toEqual([critPending.id]);
    expect(ids(await store.alerts.list({ limit: 2 }))).toEqual([critPending.id, critDelta.id]);
    expect(ids(await store.alerts.list({ limit: 2.7 }))).toEqual([critPending.id, critDelta.id]);
    expect(await store.alerts.list({ limit: 0 })).toEqual([]);
    expect(await store.alerts.list({ limit: Number.NaN })).toHaveLength(4);
    expect(await store.alerts.list({ limit: Number.MAX_SAFE_INTEGER, state: 'all' })).toHaveLength(6);
  });

  it('breaks ties by type, account and symbol compared bytewise, then by newest id', async () => {
    const { store } = use();
    const at = T0 + 50;
    const ins = (fingerprint: string, over: Partial<NewAlert>): Promise<AlertRecord> =>
      store.alerts.insert(newAlert({ fingerprint, startsAt: at, severity: 'WARN', ...over }));
    const lower = await ins('u-b', { account: 'b' });
    const upper = await ins('u-B', { account: 'B' });
    const none = await ins('u-', { account: undefined });
    const delta = await ins('d-z', { type: 'delta', account: 'z' });
    const symA = await ins('u-B-a', { account: 'B', symbol: 'a' });
    const twin1 = await ins('u-c-1', { account: 'c' });
    const twin2 = await ins('u-c-2', { account: 'c' });
    expect((await store.alerts.list({})).map((x) => x.id)).toEqual([delta.id, none.id, upper.id, symA.id, lower.id, twin2.id, twin1.id]);
  });

  it('counts fired, acknowledged and resolved (after firing) inside a window, bounds included', async () => {
    const { store } = use();
    expect(await store.alerts.counts(100, 200)).toEqual({ fired: 0, acknowledged: 0, resolved: 0 });
    const ins = (fingerprint: string, over: Partial<NewAlert>): Promise<AlertRecord> => store.alerts.insert(newAlert({ fingerprint, ...over }));
    await ins('x1', { firedAt: 100, ackedAt: 150 });
    await ins('x2', { state: 'resolved', firedAt: 50, resolvedAt: 120 });
    await ins('x3', { state: 'resolved', resolvedAt: 130 });
    await ins('x4', { state: 'resolved', firedAt: 90, ackedAt: 92, resolvedAt: 95 });
    await ins('x5', { firedAt: 200, ackedAt: 201 });
    await ins('x6', { state: 'resolved', firedAt: 199, resolvedAt: 200, ackedAt: 99 });
    expect(await store.alerts.counts(100, 200)).toEqual({ fired: 3, acknowledged: 1, resolved: 2 });
    expect(await store.alerts.counts(0, 99)).toEqual({ fired: 2, acknowledged: 2, resolved: 1 });
  });

  it('links messages to alerts once each and lists them oldest first', async () => {
    const { store } = use();
    const a = await store.alerts.insert(newAlert({ fingerprint: 'a' }));
    const b = await store.alerts.insert(newAlert({ fingerprint: 'b' }));
    const msg = (key: string) => store.outbox.enqueue({ sink: 'discord', idempotencyKey: key, kind: 'fire', payload: {}, createdAt: T0 });
    const o1 = await msg('m1');
    const o2 = await msg('m2');
    const o3 = await msg('m3');
    await store.alerts.linkMessage(o2.id, [a.id, b.id]);
    await store.alerts.linkMessage(o1.id, [a.id]);
    await store.alerts.linkMessage(o2.id, [a.id]);
    await store.alerts.linkMessage(o3.id, []);
    expect(await store.alerts.messagesOf(a.id)).toEqual([o1.id, o2.id]);
    expect(await store.alerts.messagesOf(b.id)).toEqual([o2.id]);
    expect(await store.alerts.messagesOf(b.id + 1000)).toEqual([]);
    // Links point at rows that exist.
    await expect(store.alerts.linkMessage(o3.id, [b.id + 1000])).rejects.toThrow();
  });
}
