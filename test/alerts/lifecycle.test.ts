import { afterEach, describe, expect, test } from 'vitest';
import { ErrorCode } from '../../src/core/errors.js';
import { admin, delta, harness, member, metrics, riskOf, snapshotOf, TICK, type Harness } from './fixtures.js';

let h: Harness;
afterEach(() => h?.close());

const accounts = ['acc-1', 'acc-2', 'acc-3'].map((id) => ({ id }));
const quiet = (now: number) => riskOf(now, accounts.map((a) => metrics(a.id)));
const snap = (now: number) => snapshotOf(now, accounts);
const util = (u: number) => (now: number) => riskOf(now, [metrics('acc-1', { utilization: u }), metrics('acc-2'), metrics('acc-3')]);

describe('groupWait', () => {
  test('a condition shorter than groupWait never notifies', async () => {
    h = harness();
    await h.tick(snap, util(0.9)); // t+15s: pending
    await h.tick(snap, quiet); // clear 1
    await h.tick(snap, quiet); // clear 2 → resolved silently (t+45s > groupWait, but it was clear)
    await h.tick(snap, quiet);
    expect(h.sink.posts).toHaveLength(0);
    expect(h.sink.edits).toHaveLength(0);
    expect(await h.store.outbox.counts()).toEqual({ pending: 0, sent: 0, dead: 0, superseded: 0 });
    const all = await h.service.list({ state: 'all' });
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({ type: 'utilization', state: 'resolved', resolvedBy: 'auto' });
    expect(all[0]?.firedAt).toBeUndefined();
    expect(await h.store.alerts.counts(0, h.clock.now())).toEqual({ fired: 0, acknowledged: 0, resolved: 0 });
  });

  test('a condition that lasts groupWait notifies once, at groupWait', async () => {
    h = harness();
    const start = h.clock.now() + TICK;
    await h.tick(snap, util(0.9)); // +15s pending
    await h.tick(snap, util(0.9)); // +30s: 15s since start, still pending
    expect(h.sink.posts).toHaveLength(0);
    await h.tick(snap, util(0.9)); // +45s: 30s since start → firing
    await h.tick(snap, util(0.9));
    expect(h.sink.posts).toHaveLength(1);
    const p = h.sink.posts[0]!.notification;
    expect(p.kind).toBe('fire');
    expect(p.payload).toMatchObject({ type: 'alerts', part: 1, parts: 1 });
    const alerts = p.payload.type === 'alerts' ? p.payload.alerts : [];
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ type: 'utilization', account: 'acc-1', severity: 'WARN', reason: 'new', summary: 'utilization 90.0% > 85.0%', startsAt: start });
    expect(alerts[0]?.shortId).toMatch(/^[0-9a-z]{4}$/);
  });
});

describe('grouping', () => {
  const fifty = (now: number) =>
    riskOf(now, accounts.map((a) => metrics(a.id)), Array.from({ length: 50 }, (_, i) => delta(`S${String(i).padStart(2, '0')}`, 0.07)));

  test('50 alerts due in one tick make one notification (the default limit does not split them)', async () => {
    h = harness();
    for (let i = 0; i < 4; i++) await h.tick(snap, fifty);
    expect(h.sink.posts).toHaveLength(1);
    expect(h.sink.posts[0]?.notification.payload).toMatchObject({ part: 1, parts: 1 });
    expect(h.sink.postedAlerts()).toHaveLength(50);
    expect(new Set(h.sink.postedAlerts().map((a) => a.symbol)).size).toBe(50);
    expect(h.sink.postedAlerts().every((a) => a.type === 'delta' && a.severity === 'WARN')).toBe(true);
  });

  test('a group over the size limit is split into parts of one group, one key each, and nothing else', async () => {
    h = harness({ maxAlertsPerMessage: 20 });
    for (let i = 0; i < 4; i++) await h.tick(snap, fifty);
    expect(h.sink.posts).toHaveLength(3);
    const payloads = h.sink.posts.map((p) => p.notification.payload);
    expect(payloads.map((p) => (p.type === 'alerts' ? [p.part, p.parts, p.alerts.length] : []))).toEqual([
      [1, 3, 20],
      [2, 3, 20],
      [3, 3, 10],
    ]);
    const groupIds = new Set(payloads.map((p) => (p.type === 'alerts' ? p.groupId : '')));
    expect(groupIds.size).toBe(1);
    expect(new Set(h.sink.posts.map((p) => p.key)).size).toBe(3);
    expect(new Set(h.sink.postedAlerts().map((a) => a.id)).size).toBe(50);
  });
});

describe('severity, repeat, resolve', () => {
  test('WARN → CRITICAL notifies at once', async () => {
    h = harness();
    for (let i = 0; i < 3; i++) await h.tick(snap, util(0.9));
    expect(h.sink.posts).toHaveLength(1);
    await h.tick(snap, util(0.97));
    expect(h.sink.posts).toHaveLength(2);
    const a = h.sink.postedAlerts()[1];
    expect(a).toMatchObject({ severity: 'CRITICAL', reason: 'escalated', summary: 'utilization 97.0% > 95.0%' });
    expect(h.sink.postedAlerts()[0]?.id).toBe(a?.id);
    await h.tick(snap, util(0.97));
    expect(h.sink.posts).toHaveLength(2);
  });

  test('an unacknowledged CRITICAL repeats every repeatInterval; after an ack it does not', async () => {
    h = harness();
    const critical = util(0.97);
    for (let i = 0; i < 3; i++) await h.tick(snap, critical);
    expect(h.sink.posts).toHaveLength(1);
    // 4 h of ticks: exactly one repeat.
    for (let i = 0; i < (4 * 3_600_000) / TICK; i++) await h.tick(snap, critical);
    expect(h.sink.posts).toHaveLength(2);
    expect(h.sink.posts[1]?.notification.kind).toBe('repeat');
    expect(h.sink.postedAlerts()[1]).toMatchObject({ reason: 'repeat', severity: 'CRITICAL' });
    const shortId = h.sink.postedAlerts()[0]!.shortId;
    const r = await h.service.ack(admin, shortId, 'on it');
    expect(r.ok).toBe(true);
    await h.dispatcher.dispatchDue();
    // The ack edits both messages that carry the alert.
    expect(h.sink.edits.map((e) => e.ref).sort()).toEqual(['m1', 'm2']);
    for (let i = 0; i < (8 * 3_600_000) / TICK; i++) await h.tick(snap, critical);
    expect(h.sink.posts).toHaveLength(2);
  });

  test('an escalation drops an earlier ack, so the CRITICAL repeats until acknowledged again', async () => {
    h = harness();
    for (let i = 0; i < 3; i++) await h.tick(snap, util(0.9));
    const id = h.sink.postedAlerts()[0]!.shortId;
    expect((await h.service.ack(admin, id, 'watching')).ok).toBe(true);
    await h.tick(snap, util(0.97));
    expect(h.sink.postedAlerts().map((a) => a.reason)).toEqual(['new', 'escalated']);
    expect((await h.service.get(id))?.ackedAt).toBeUndefined();
    for (let i = 0; i < (4 * 3_600_000) / TICK; i++) await h.tick(snap, util(0.97));
    expect(h.sink.postedAlerts().map((a) => a.reason)).toEqual(['new', 'escalated', 'repeat']);
  });

  test('CRITICAL → WARN notifies at once too; a change while pending waits for groupWait', async () => {
    h = harness();
    await h.tick(snap, util(0.9));
    await h.tick(snap, util(0.97)); // still pending: no page yet
    expect(h.sink.posts).toHaveLength(0);
    await h.tick(snap, util(0.97));
    expect(h.sink.postedAlerts().map((a) => `${a.reason} ${a.severity}`)).toEqual(['new CRITICAL']);
    await h.tick(snap, util(0.9));
    expect(h.sink.postedAlerts().map((a) => `${a.reason} ${a.severity}`)).toEqual(['new CRITICAL', 'deescalated WARN']);
  });

  test('WARN alerts never repeat', async () => {
    h = harness();
    for (let i = 0; i < 3 + (5 * 3_600_000) / TICK; i++) await h.tick(snap, util(0.9));
    expect(h.sink.posts).toHaveLength(1);
  });

  test('resolving after 2 clear ticks edits the original message, and posts nothing new', async () => {
    h = harness();
    for (let i = 0; i < 3; i++) await h.tick(snap, util(0.97));
    expect(h.sink.posts).toHaveLength(1);
    await h.tick(snap, quiet);
    expect(h.sink.edits).toHaveLength(0);
    await h.tick(snap, quiet);
    expect(h.sink.posts).toHaveLength(1);
    expect(h.sink.edits).toHaveLength(1);
    const edit = h.sink.edits[0]!;
    expect(edit.ref).toBe('m1');
    expect(edit.notification.kind).toBe('resolve');
    expect(edit.notification.editRef).toBe('m1');
    const alerts = edit.notification.payload.type === 'alerts' ? edit.notification.payload.alerts : [];
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ state: 'resolved', resolvedBy: 'auto', reason: 'new' });
    expect(await h.service.list()).toHaveLength(0);
  });

  test('a clear tick in between resets the count: no resolve on alternate ticks', async () => {
    h = harness();
    for (let i = 0; i < 3; i++) await h.tick(snap, util(0.97));
    for (let i = 0; i < 6; i++) await h.tick(snap, i % 2 ? util(0.97) : quiet);
    expect(await h.service.list()).toHaveLength(1);
    expect(h.sink.edits).toHaveLength(0);
    expect(h.sink.posts).toHaveLength(1);
  });
});

describe('silence and inhibition', () => {
  test('a silenced alert is listed but not sent; unsilencing sends it', async () => {
    h = harness();
    const s = await h.service.silence(admin, { type: 'utilization', account: 'acc-1' }, 3_600_000, 'maintenance');
    expect(s.ok).toBe(true);
    for (let i = 0; i < 6; i++) await h.tick(snap, util(0.97));
    expect(h.sink.posts).toHaveLength(0);
    const listed = await h.service.list();
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ type: 'utilization', state: 'firing', silence: { reason: 'maintenance', createdBy: 'ann' } });
    expect(await h.service.list({ state: 'silenced' })).toHaveLength(1);
    if (!s.ok) return;
    expect((await h.service.unsilence(admin, s.value.id, 'done')).ok).toBe(true);
    await h.tick(snap, util(0.97));
    expect(h.sink.posts).toHaveLength(1);
    expect(h.sink.postedAlerts()[0]).toMatchObject({ reason: 'new', severity: 'CRITICAL' });
  });

  test('a silence expires by the clock: the alert is sent when it ends', async () => {
    h = harness();
    await h.service.silence(admin, { account: 'acc-1' }, 60_000, 'short');
    for (let i = 0; i < 4; i++) await h.tick(snap, util(0.97)); // +60s: silence ends exactly now
    expect(h.sink.posts).toHaveLength(1);
    for (let i = 0; i < 3; i++) await h.tick(snap, util(0.97));
    expect(h.sink.posts).toHaveLength(1);
  });

  test('while an account sync alert fires, what its stale data raises is muted', async () => {
    h = harness();
    // acc-2 stops syncing: its last good state is 2 minutes old and keeps a position near liquidation.
    const staleSince = h.clock.now() - 120_000;
    const stale = (now: number) =>
      snapshotOf(now, [{ id: 'acc-1' }, { id: 'acc-2', status: 'failed', lastSuccessAt: staleSince, failures: 4, positions: [{ size: 1, liquidationPrice: 58_000 }] }, { id: 'acc-3' }]);
    const risk = (now: number) => riskOf(now, [metrics('acc-1'), metrics('acc-2', { utilization: 0.97, stale: true }), metrics('acc-3')], [delta('BTC', 0.2, ['acc-1', 'acc-2'])]);
    for (let i = 0; i < 4; i++) await h.tick(stale, risk);
    const sent = h.sink.postedAlerts();
    expect(sent.map((a) => `${a.type}|${a.account ?? ''}`)).toEqual(['sync|acc-2']);
    const listed = await h.service.list();
    expect(listed.map((a) => a.type).sort()).toEqual(['delta', 'liquidation', 'sync', 'utilization']);
    for (const a of listed.filter((x) => x.type !== 'sync')) expect(a.inhibitedBy).toEqual(['acc-2']);

    // acc-2 syncs again: the sync alert resolves after 2 clear ticks, and what still holds is sent.
    const fresh = (now: number) => snapshotOf(now, [{ id: 'acc-1' }, { id: 'acc-2', positions: [{ size: 1, liquidationPrice: 58_000 }] }, { id: 'acc-3' }]);
    for (let i = 0; i < 3; i++) await h.tick(fresh, risk);
    expect(h.sink.posts).toHaveLength(2);
    expect(h.sink.postedAlerts().slice(1).map((a) => a.type).sort()).toEqual(['delta', 'liquidation', 'utilization']);
    expect(h.sink.edits).toHaveLength(1); // the sync message shows it resolved
  });
});

describe('actions', () => {
  test('an ack by a non-admin is refused (3001) and audited; the alert stays unacknowledged', async () => {
    h = harness();
    for (let i = 0; i < 3; i++) await h.tick(snap, util(0.97));
    const shortId = h.sink.postedAlerts()[0]!.shortId;
    const r = await h.service.ack(member, shortId, 'let me');
    expect(r.ok).toBe(false);
    if (r.ok || r.reason !== 'refused') throw new Error('expected a refusal');
    expect(r.error.code).toBe(ErrorCode.PermissionDenied);
    expect(r.message).toBe('Permission denied: only admins can acknowledge alerts.');
    expect((await h.service.get(shortId))?.ackedAt).toBeUndefined();
    const audit = await h.service.auditLog();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorId: 'u-member', actorName: 'bob', source: 'discord:g1/c1', action: 'ack', target: shortId, comment: 'let me', outcome: 'refused', at: h.clock.now() });
    await h.dispatcher.dispatchDue();
    expect(h.sink.edits).toHaveLength(0);
  });
});
