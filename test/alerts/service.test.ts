import { afterEach, describe, expect, test } from 'vitest';
import { alertsCommand, handleAlertButton } from '../../commands/alerts.js';
import { normalizeShortId, shortIdFor } from '../../src/core/alerts/short-id.js';
import { DeltaOpsError, ErrorCode } from '../../src/core/errors.js';
import { runLine } from '../../src/console/run-line.js';
import { executeCommand } from '../../src/present/execute.js';
import { admin, delta, harness, member, metrics, riskOf, silentLogger, snapshotOf, type Harness } from './fixtures.js';

let h: Harness;
afterEach(() => h?.close());

const snap = (now: number) => snapshotOf(now, [{ id: 'acc-1' }, { id: 'acc-2' }]);
const risky = (now: number) => riskOf(now, [metrics('acc-1', { utilization: 0.97 }), metrics('acc-2', { utilization: 0.9 })], [delta('BTC', 0.07)]);

async function fired(): Promise<Harness> {
  h = harness();
  for (let i = 0; i < 3; i++) await h.tick(snap, risky);
  return h;
}

function ctx(x: Harness) {
  return { now: () => x.clock.now(), alerts: x.service };
}

describe('short ids', () => {
  test('4 characters, unique over the first 100 000 ids, typeable', () => {
    const ids = Array.from({ length: 100_000 }, (_, i) => shortIdFor(i + 1));
    expect(new Set(ids).size).toBe(100_000);
    expect(ids.every((s) => /^[0-9a-hjkmnp-tv-z]{4}$/.test(s))).toBe(true);
    expect(shortIdFor(2 ** 20)).toHaveLength(5);
    expect(normalizeShortId(' K3VO ')).toBe('k3v0');
  });
});

describe('AlertService', () => {
  test('list filters by severity, account, type and state', async () => {
    await fired();
    expect((await h.service.list()).map((a) => `${a.severity} ${a.type} ${a.account ?? a.symbol}`)).toEqual(['CRITICAL utilization acc-1', 'WARN delta BTC', 'WARN utilization acc-2']);
    expect(await h.service.list({ severity: 'WARN' })).toHaveLength(2);
    expect((await h.service.list({ account: 'acc-2' })).map((a) => a.type)).toEqual(['utilization']);
    expect((await h.service.list({ type: 'delta' })).map((a) => a.symbol)).toEqual(['BTC']);
    expect(await h.service.list({ state: 'pending' })).toHaveLength(0);
    expect(await h.service.list({ state: 'firing' })).toHaveLength(3);
    expect(await h.service.list({ state: 'resolved' })).toHaveLength(0);
  });

  test('ack records who, when, why and where; a second ack is refused as invalid and audited', async () => {
    await fired();
    const id = (await h.service.list({ severity: 'CRITICAL' }))[0]!.shortId;
    const r = await h.service.ack(admin, id.toUpperCase(), 'hedging now');
    expect(r.ok && r.value).toMatchObject({ ackedBy: 'ann', ackedAt: h.clock.now(), ackComment: 'hedging now' });
    const again = await h.service.ack(admin, id, 'twice');
    expect(again).toEqual({ ok: false, reason: 'invalid', message: `Alert ${id}: it was already acknowledged by ann.` });
    expect((await h.service.auditLog()).map((e) => [e.action, e.outcome, e.target, e.comment, e.source])).toEqual([
      ['ack', 'invalid', id, 'twice', 'console'],
      ['ack', 'done', id, 'hedging now', 'console'],
    ]);
  });

  test('resolve by hand closes the alert and edits its message; if the condition holds a new alert starts', async () => {
    await fired();
    const id = (await h.service.list({ type: 'delta' }))[0]!.shortId;
    const r = await h.service.resolve(admin, id, 'rebalanced');
    expect(r.ok && r.value).toMatchObject({ state: 'resolved', resolvedBy: 'ann', resolveComment: 'rebalanced' });
    await h.dispatcher.dispatchDue();
    expect(h.sink.edits).toHaveLength(1);
    const edited = h.sink.edits[0]!.notification.payload;
    expect(edited.type === 'alerts' && edited.alerts.find((a) => a.shortId === id)).toMatchObject({ state: 'resolved', resolvedBy: 'ann' });
    await h.tick(snap, risky);
    const next = await h.service.list({ type: 'delta' });
    expect(next).toHaveLength(1);
    expect(next[0]?.shortId).not.toBe(id);
    expect(next[0]?.state).toBe('pending');
    expect((await h.service.resolve(admin, id)).ok).toBe(false);
  });

  test('unknown ids are reported, not thrown, and audited', async () => {
    await fired();
    expect(await h.service.ack(admin, 'zzzz')).toEqual({ ok: false, reason: 'not-found', message: 'No alert with id "zzzz".' });
    expect(await h.service.unsilence(admin, 99)).toEqual({ ok: false, reason: 'not-found', message: 'No silence with id 99.' });
    expect((await h.service.auditLog()).map((e) => e.outcome)).toEqual(['invalid', 'invalid']);
  });

  test('silence validation: a matcher, a known type, 0 < duration ≤ 30 d, a reason', async () => {
    await fired();
    expect(await h.service.silence(admin, {}, 60_000, 'x')).toMatchObject({ ok: false, message: 'A silence needs a type, an account or a symbol to match.' });
    expect(await h.service.silence(admin, { account: 'acc-1' }, 0, 'x')).toMatchObject({ ok: false, message: 'The duration must be more than 0 and at most 30 days.' });
    expect(await h.service.silence(admin, { account: 'acc-1' }, 31 * 86_400_000, 'x')).toMatchObject({ ok: false });
    expect(await h.service.silence(admin, { account: 'acc-1' }, 60_000, '  ')).toMatchObject({ ok: false, message: 'A silence needs a reason.' });
    const refused = await h.service.silence(member, { account: 'acc-1' }, 60_000, 'x');
    expect(refused.ok === false && refused.reason).toBe('refused');
    expect(await h.store.silences.list(0)).toHaveLength(0);
    expect((await h.service.auditLog()).map((e) => e.outcome)).toEqual(['refused', 'invalid', 'invalid', 'invalid', 'invalid']);
  });

  test('every refused action is audited: ack, resolve, silence, unsilence', async () => {
    await fired();
    const id = (await h.service.list())[0]!.shortId;
    const s = await h.service.silence(admin, { symbol: 'BTC' }, 60_000, 'ok');
    if (!s.ok) throw new Error('silence failed');
    const results = [await h.service.ack(member, id), await h.service.resolve(member, id), await h.service.silenceAlert(member, id, 60_000, 'x'), await h.service.unsilence(member, s.value.id)];
    for (const r of results) {
      expect(r.ok === false && r.reason === 'refused' && r.error.code).toBe(ErrorCode.PermissionDenied);
    }
    const refused = (await h.service.auditLog()).filter((e) => e.outcome === 'refused');
    expect(refused.map((e) => e.action)).toEqual(['unsilence', 'silence', 'resolve', 'ack']);
    expect(refused.every((e) => e.actorId === 'u-member' && e.source === 'discord:g1/c1')).toBe(true);
    expect((await h.service.listSilences())[0]?.active).toBe(true);
  });

  test('the authorization port is asked even when the transport says admin', async () => {
    h = harness({ auth: { canAdminister: (a) => a.id === 'u-root' } });
    for (let i = 0; i < 3; i++) await h.tick(snap, risky);
    const r = await h.service.ack(admin, (await h.service.list())[0]!.shortId);
    expect(r.ok).toBe(false);
    expect((await h.service.auditLog())[0]).toMatchObject({ outcome: 'refused', actorId: 'u-admin' });
  });
});

describe('/alerts command and buttons', () => {
  test('list renders a table of alerts with ids', async () => {
    await fired();
    const view = await alertsCommand.handle(ctx(h), { subcommand: 'list', options: { severity: 'warn' }, actor: member });
    expect(view.title).toBe('Alerts (severity=WARN)');
    expect(view.tables?.[0]?.rows.map((r) => [r[1], r[2], r[3], r[4]])).toEqual([
      ['WARN', 'delta', '—', 'BTC'],
      ['WARN', 'utilization', 'acc-2', '—'],
    ]);
  });

  test('ack through the command; a refusal is thrown as DeltaOpsError 3001', async () => {
    await fired();
    const id = (await h.service.list())[0]!.shortId;
    const ok = await alertsCommand.handle(ctx(h), { subcommand: 'ack', options: { id, comment: 'mine' }, actor: admin });
    expect(ok).toMatchObject({ title: `Alert ${id} acknowledged`, tone: 'ok', ephemeral: true });
    await expect(alertsCommand.handle(ctx(h), { subcommand: 'resolve', options: { id }, actor: member })).rejects.toThrow(DeltaOpsError);
  });

  test('through the shared router, an actor wrongly marked admin is still refused by the service', async () => {
    h = harness({ auth: { canAdminister: (a) => a.id === 'u-admin' } });
    for (let i = 0; i < 3; i++) await h.tick(snap, risky);
    const sneaky = { ...member, isAdmin: true };
    const view = await executeCommand(alertsCommand, ctx(h), { subcommand: 'ack', options: { id: (await h.service.list())[0]!.shortId }, actor: sneaky }, silentLogger);
    expect(view).toMatchObject({ title: 'Error 3001', ephemeral: true });
    expect(view.lines?.[0]).toBe('Permission denied: only admins can acknowledge alerts.');
    expect((await h.service.auditLog())[0]).toMatchObject({ outcome: 'refused', actorId: 'u-member', action: 'ack' });
  });

  test('silence by alert id and by matcher; unsilence', async () => {
    await fired();
    const id = (await h.service.list({ type: 'delta' }))[0]!.shortId;
    const v1 = await alertsCommand.handle(ctx(h), { subcommand: 'silence', options: { duration: '2h', reason: 'rebalancing', id }, actor: admin });
    expect(v1.title).toBe('Silence 1 created');
    expect(v1.lines?.[0]).toBe('Matches delta / * / BTC until 2026-01-05T11:00:45Z');
    const v2 = await alertsCommand.handle(ctx(h), { subcommand: 'silence', options: { duration: '30m', reason: 'noisy', account: 'acc-2', type: 'utilization' }, actor: admin });
    expect(v2.title).toBe('Silence 2 created');
    expect((await h.service.list({ state: 'silenced' })).map((a) => a.silence?.id).sort()).toEqual([1, 2]);
    const bad = await alertsCommand.handle(ctx(h), { subcommand: 'silence', options: { duration: 'soon', reason: 'x', account: 'acc-2' }, actor: admin });
    expect(bad).toMatchObject({ title: 'Not done', lines: ['Duration must look like 30m, 2h or 1d.'] });
    const v3 = await alertsCommand.handle(ctx(h), { subcommand: 'unsilence', options: { id: 2 }, actor: admin });
    expect(v3.title).toBe('Silence 2 ended');
    expect((await h.service.list({ state: 'silenced' })).map((a) => a.silence?.id)).toEqual([1]);
  });

  test('console lines: /alerts ack, /alerts silence with bare values, /alerts list', async () => {
    await fired();
    const id = (await h.service.list())[0]!.shortId;
    const console = { ...admin, source: 'console' };
    const acked = await runLine(`/alerts ack ${id} comment:"hedging on binance"`, [alertsCommand], ctx(h), console, silentLogger);
    expect(acked.title).toBe(`Alert ${id} acknowledged`);
    expect(await h.service.get(id)).toMatchObject({ ackedBy: 'ann', ackComment: 'hedging on binance' });
    const silenced = await runLine('/alerts silence 2h "venue maintenance" account:acc-2', [alertsCommand], ctx(h), console, silentLogger);
    expect(silenced.title).toBe('Silence 1 created');
    const listed = await runLine('/alerts list state:silenced', [alertsCommand], ctx(h), console, silentLogger);
    expect(listed.tables?.[0]?.rows.map((r) => r[3])).toEqual(['acc-2']);
    expect(listed.tables?.[1]?.title).toBe('Silences');
  });

  test('buttons: alert:ack:<id> and alert:silence1h:<id>', async () => {
    await fired();
    const id = (await h.service.list())[0]!.shortId;
    expect(await handleAlertButton(ctx(h), admin, `alert:ack:${id}`)).toMatchObject({ title: `Alert ${id} acknowledged` });
    expect(await handleAlertButton(ctx(h), admin, `alert:silence1h:${id}`)).toMatchObject({ title: 'Silence 1 created' });
    expect((await h.service.listSilences())[0]).toMatchObject({ endsAt: h.clock.now() + 3_600_000, reason: 'silenced for 1h with the button on the alert message' });
    expect(handleAlertButton(ctx(h), admin, 'other:thing')).toBeUndefined();
    await expect(handleAlertButton(ctx(h), member, `alert:ack:${id}`)).rejects.toThrow('Permission denied');
  });

  test('the notification carries Acknowledge / Silence 1h buttons for a single alert', async () => {
    h = harness();
    const one = (now: number) => riskOf(now, [metrics('acc-1', { utilization: 0.97 })]);
    for (let i = 0; i < 3; i++) await h.tick(snap, one);
    const { alertGroupView } = await import('../../src/present/alert-view.js');
    const payload = h.sink.posts[0]!.notification.payload;
    if (payload.type !== 'alerts') throw new Error('expected alerts');
    const view = alertGroupView(payload);
    const id = payload.alerts[0]!.shortId;
    expect(view.title).toBe(`[${id}] CRITICAL utilization · acc-1`);
    expect(view.tone).toBe('critical');
    expect(view.buttons).toEqual([
      { id: `alert:ack:${id}`, label: 'Acknowledge', style: 'primary' },
      { id: `alert:silence1h:${id}`, label: 'Silence 1h', style: 'secondary' },
    ]);
  });
});
