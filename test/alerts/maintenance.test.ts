import { afterEach, describe, expect, test } from 'vitest';
import { alertsCommand } from '../../commands/alerts.js';
import { cronCalendar } from '../../src/app/cron-calendar.js';
import { nextWindow, windowsInForce } from '../../src/core/alerts/maintenance.js';
import type { MaintenanceWindow } from '../../src/core/alerts/paging.js';
import { FakeClock } from '../../src/core/clock.js';
import type { AlertGroupPayload } from '../../src/core/outbox/payload.js';
import { parseStart } from '../../src/present/parse-time.js';
import { admin, harness, metrics, riskOf, snapshotOf, T0, type Harness } from './fixtures.js';

/*
 * Maintenance windows: a silence planned ahead (`/alerts silence start:…`) and a recurring window in the
 * configuration, with a fake clock and the real store.
 */
const MIN = 60_000;
const HOUR = 3_600_000;
const accounts = ['acc-1', 'acc-2', 'acc-3'].map((id) => ({ id }));
const snap = (now: number) => snapshotOf(now, accounts);
const util = (account: string, u: number) => (now: number) => riskOf(now, accounts.map((a) => metrics(a.id, a.id === account ? { utilization: u } : {})));
const quiet = (now: number) => riskOf(now, accounts.map((a) => metrics(a.id)));

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function at(x: Harness, t: number, risk: (now: number) => ReturnType<typeof quiet>): Promise<void> {
  x.clock.set(t);
  await x.engine.evaluate(snap(t), risk(t), t);
  await x.dispatcher.dispatchDue(t);
}

const posted = (x: Harness): string[] =>
  x.sink.posts.flatMap((p) => (p.notification.payload.type === 'alerts' ? (p.notification.payload as AlertGroupPayload).alerts.map((a) => `${a.severity} ${a.type} ${a.account} (${a.reason})`) : []));
const ctx = (x: Harness) => ({ now: () => x.clock.now(), alerts: x.service, config: { timezone: 'Europe/Berlin' } });

describe('a planned silence', () => {
  test('mutes only inside its window: before its start and after its end, alerts notify', async () => {
    const x = (h = harness({ policy: { groupWaitMs: 0 } }));
    const r = await x.service.silence(admin, { account: 'acc-2' }, 30 * MIN, 'venue maintenance', { startsAt: T0 + 20 * MIN });
    expect(r.ok && r.value).toMatchObject({ startsAt: T0 + 20 * MIN, endsAt: T0 + 50 * MIN, createdAt: T0 });
    expect((await x.service.listSilences())[0]).toMatchObject({ active: false });

    // Before the start: a WARN on acc-2 notifies at once.
    await at(x, T0 + 10 * MIN, util('acc-2', 0.9));
    expect(posted(x)).toEqual(['WARN utilization acc-2 (new)']);
    // Inside: its rise to CRITICAL is held.
    await at(x, T0 + 20 * MIN, util('acc-2', 0.97));
    await at(x, T0 + 49 * MIN, util('acc-2', 0.97));
    expect(posted(x)).toHaveLength(1);
    expect((await x.service.list())[0]).toMatchObject({ severity: 'CRITICAL', silence: { endsAt: T0 + 50 * MIN } });
    // At its end, the change goes out.
    await at(x, T0 + 50 * MIN, util('acc-2', 0.97));
    expect(posted(x)).toEqual(['WARN utilization acc-2 (new)', 'CRITICAL utilization acc-2 (escalated)']);
    expect(await x.service.listSilences()).toEqual([]);
    expect((await x.service.auditLog())[0]).toMatchObject({ action: 'silence', outcome: 'done', detail: `from ${new Date(T0 + 20 * MIN).toISOString()} until ${new Date(T0 + 50 * MIN).toISOString()}` });
  });

  test('/alerts silence start:… plans one; /alerts list shows it planned; it can be called off before it starts', async () => {
    const x = (h = harness({ policy: { groupWaitMs: 0 } }));
    const planned = await alertsCommand.handle(ctx(x), { subcommand: 'silence', options: { duration: '2h', reason: 'binance upgrade', account: 'acc-1', start: '2026-01-05 12:00' }, actor: admin });
    // 12:00 in Berlin (CET, UTC+1) is 11:00Z; T0 is 09:00Z.
    expect(planned).toMatchObject({ title: 'Silence 1 planned', lines: ['Matches * / acc-1 / * from 2026-01-05T11:00:00Z until 2026-01-05T13:00:00Z', 'Reason: binance upgrade', 'Call it off with /alerts unsilence 1'] });
    const list = await alertsCommand.handle(ctx(x), { subcommand: 'list', options: {}, actor: admin });
    const silences = list.tables?.find((t) => t.title === 'Silences');
    expect(silences?.rows).toEqual([['1', '* / acc-1 / *', 'planned, starts in 120m', '2026-01-05T11:00:00Z', '2026-01-05T13:00:00Z', 'ann', 'binance upgrade']]);
    const bad = await alertsCommand.handle(ctx(x), { subcommand: 'silence', options: { duration: '2h', reason: 'x', account: 'acc-1', start: 'next tuesday' }, actor: admin });
    expect(bad).toMatchObject({ title: 'Not done', lines: [expect.stringContaining('Start must be a duration from now')] });
    const past = await x.service.silence(admin, { account: 'acc-1' }, HOUR, 'late', { startsAt: T0 - HOUR });
    expect(past).toEqual({ ok: false, reason: 'invalid', message: 'The start 2026-01-05T08:00:00.000Z is in the past.' });
    expect((await x.service.unsilence(admin, 1, 'upgrade postponed')).ok).toBe(true);
    x.clock.set(T0 + 2.5 * HOUR);
    await at(x, T0 + 2.5 * HOUR, util('acc-1', 0.9));
    expect(posted(x)).toEqual(['WARN utilization acc-1 (new)']);
  });

  test('`start` reads a duration, a time with its offset, or a local time in the display time zone (DST included)', () => {
    const now = Date.UTC(2026, 2, 28, 12, 0);
    expect(parseStart('2h', now, 'Europe/Berlin')).toBe(now + 2 * HOUR);
    expect(parseStart('2026-03-29T01:00Z', now, 'Europe/Berlin')).toBe(Date.UTC(2026, 2, 29, 1, 0));
    expect(parseStart('2026-03-29 04:00+02:00', now, 'UTC')).toBe(Date.UTC(2026, 2, 29, 2, 0));
    expect(parseStart('2026-03-29 01:30', now, 'Europe/Berlin')).toBe(Date.UTC(2026, 2, 29, 0, 30));
    // 02:30 does not exist on the morning of the change: the moment after it, 03:30 CEST.
    expect(parseStart('2026-03-29 02:30', now, 'Europe/Berlin')).toBe(Date.UTC(2026, 2, 29, 1, 30));
    expect(parseStart('2026-03-29 04:00', now, 'Europe/Berlin')).toBe(Date.UTC(2026, 2, 29, 2, 0));
    // The next 09:00 in Berlin after Saturday 13:00 CET is Sunday's, in summer time already.
    expect(parseStart('09:00', now, 'Europe/Berlin')).toBe(Date.UTC(2026, 2, 29, 7, 0));
    expect(parseStart('14:00', now, 'Europe/Berlin')).toBe(Date.UTC(2026, 2, 28, 13, 0));
    for (const bad of ['soon', '25:00', '2026-13-01 10:00', '']) expect(parseStart(bad, now, 'Europe/Berlin')).toBeUndefined();
    expect(parseStart('09:00', now, 'Mars/Olympus')).toBeUndefined();
  });
});

describe('a recurring window: Sunday 02:00 Europe/Berlin for 2h, across both DST changes of 2026', () => {
  const window: MaintenanceWindow = { cron: '0 2 * * SUN', duration: 2 * HOUR, timezone: 'Europe/Berlin', match: { account: 'acc-1' }, reason: 'venue maintenance' };
  const utc = (month: number, day: number, hour: number, minute = 0) => Date.UTC(2026, month - 1, day, hour, minute);
  const inForce = (t: number) => windowsInForce([window], cronCalendar, t).map((w) => [new Date(w.startsAt).toISOString(), new Date(w.endsAt).toISOString()]);

  test.each([
    ['a winter Sunday: 02:00 CET', utc(3, 22, 1)],
    ['29 March, clocks go 02:00 → 03:00: the missing 02:00 runs at 03:00 CEST', utc(3, 29, 1)],
    ['the first summer Sunday: 02:00 CEST', utc(4, 5, 0)],
    ['a summer Sunday: 02:00 CEST', utc(10, 18, 0)],
    ['25 October, clocks go 03:00 → 02:00: the first 02:00 (CEST) only', utc(10, 25, 0)],
    ['the first winter Sunday: 02:00 CET', utc(11, 1, 1)],
  ])('%s', (_name, start) => {
    const iso = (t: number) => new Date(t).toISOString();
    expect(nextWindow([window], cronCalendar, start - 6 * HOUR)).toMatchObject({ index: 0, startsAt: start, endsAt: start + 2 * HOUR });
    expect(inForce(start - 1)).toEqual([]);
    expect(inForce(start)).toEqual([[iso(start), iso(start + 2 * HOUR)]]);
    expect(inForce(start + 2 * HOUR - 1)).toEqual([[iso(start), iso(start + 2 * HOUR)]]);
    expect(inForce(start + 2 * HOUR)).toEqual([]);
  });

  test('25 October: the repeated 02:00-03:00 hour does not start the window again', () => {
    // 01:00Z is 02:00 CET, the second 02:00 of the night: still the window that started at 00:00Z.
    expect(inForce(utc(10, 25, 1, 30))).toEqual([['2026-10-25T00:00:00.000Z', '2026-10-25T02:00:00.000Z']]);
    expect(inForce(utc(10, 25, 2, 30))).toEqual([]);
    expect(nextWindow([window], cronCalendar, utc(10, 25, 0, 30))?.startsAt).toBe(utc(11, 1, 1));
  });

  test.each([
    ['29 March', utc(3, 29, 1)],
    ['25 October', utc(10, 25, 0)],
  ])('the engine holds acc-1’s alerts inside the window on %s and notifies at its end; other accounts notify', async (_name, start) => {
    const x = (h = harness({ policy: { groupWaitMs: 0 }, paging: { maintenance: [window] }, calendar: cronCalendar, clock: new FakeClock(start - HOUR) }));
    await at(x, start + 10 * MIN, util('acc-1', 0.97));
    await at(x, start + 2 * HOUR - MIN, util('acc-1', 0.97));
    expect(posted(x)).toEqual([]);
    const list = await alertsCommand.handle(ctx(x), { subcommand: 'list', options: {}, actor: admin });
    expect(list.tables?.[0]?.rows[0]?.[5]).toBe('firing, maintenance 1m (window 1)');
    expect(list.tables?.find((t) => t.title === 'Maintenance windows')?.rows.map((r) => r.slice(0, 5))).toEqual([
      ['1', '* / acc-1 / *', 'in force, 1m left', new Date(start).toISOString().slice(0, 19) + 'Z', new Date(start + 2 * HOUR).toISOString().slice(0, 19) + 'Z'],
      ['1', '* / acc-1 / *', expect.stringMatching(/^next, in /), expect.any(String), expect.any(String)],
    ]);
    expect(list.lines).toContain(`Next maintenance window: ${new Date(start + 7 * 24 * HOUR + (start === utc(3, 29, 1) ? -HOUR : HOUR)).toISOString().slice(0, 19)}Z for venue maintenance`);
    await at(x, start + 2 * HOUR, util('acc-1', 0.97));
    expect(posted(x)).toEqual(['CRITICAL utilization acc-1 (new)']);

    const y = harness({ policy: { groupWaitMs: 0 }, paging: { maintenance: [window] }, calendar: cronCalendar, clock: new FakeClock(start) });
    await at(y, start + 10 * MIN, util('acc-2', 0.97));
    expect(posted(y)).toEqual(['CRITICAL utilization acc-2 (new)']);
    await y.close();
  });
});
