import { afterEach, describe, expect, it } from 'vitest';
import type { View } from '../../src/present/view.js';
import { startInProcess, type InProcessApp } from './in-process-app.js';

const MIN = 60_000;
const H = 60 * MIN;

/*
 * The wall clock jumps (NTP step, a VM resumed, someone fixing the host time) under the real app on a
 * FakeClock: createApp, SQLite, the paper venue, alerts and the outbox; ticks are driven by hand, 15 s
 * apart. The in-process fixture raises BTC delta at tick 2, acc-4 utilization at tick 3 (patched to
 * CRITICAL here where needed) and ETH delta at tick 4; repeatInterval is 1 h.
 */
let t: InProcessApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const posted = (a: InProcessApp): string[] => a.sink.postedAlerts().map((n) => `${n.reason ?? '?'} ${n.severity} ${n.type}:${n.account ?? n.symbol ?? ''}`);
const errorsLogged = (a: InProcessApp): unknown[] => a.logs.filter((l) => l.level >= 50).map((l) => l.msg);
const text = (v: View): string => [v.title, ...(v.lines ?? []), ...(v.tables ?? []).flatMap((tb) => tb.rows.map((r) => r.join(' ')))].join('\n');
const CRITICAL_ACC4 = (y: string): string => y.replace('{ tick: 3, account: acc-4, available: 500 }', '{ tick: 3, account: acc-4, available: 100 }');

describe('the wall clock jumps forward 2 h', () => {
  it('repeats an open CRITICAL once, lets an expired silence notify, and sees fresh data as fresh', async () => {
    t = await startInProcess({ patch: CRITICAL_ACC4 });
    const silence = await t.run('alerts', 'silence', { duration: '1h', reason: 'ETH rebalance in progress', type: 'delta', symbol: 'ETH' });
    expect(silence.title).toMatch(/^Silence \d+ created$/);
    await t.tick(); // 2: BTC WARN
    await t.tick(); // 3: acc-4 CRITICAL
    await t.tick(); // 4: ETH WARN, silenced
    expect(posted(t)).toEqual(['new WARN delta:BTC', 'new CRITICAL utilization:acc-4']);

    await t.tick(2 * H);
    // One repeat of the unacknowledged CRITICAL (two intervals passed, one message), and the ETH alert
    // whose silence ended in the jump finally notifies. Nothing else: the data of this tick is fresh.
    expect(posted(t).slice(2).sort()).toEqual(['new WARN delta:ETH', 'repeat CRITICAL utilization:acc-4']);
    await t.tick();
    await t.tick();
    expect(posted(t)).toHaveLength(4);
    expect((await t.app.alerts.list({ state: 'all' })).map((a) => a.type).sort()).toEqual(['delta', 'delta', 'utilization']);
    expect(t.app.engine.snapshot()?.accounts.every((a) => a.status === 'ok' && a.lastSuccessAt === t!.clock.now())).toBe(true);
    const status = text(await t.run('status', undefined));
    expect(status).toMatch(/Last sync #7 at \S+ \(0s ago\): 4 ok, 0 failed/);
    expect(errorsLogged(t)).toEqual([]);
  });
});

describe('the wall clock jumps back 1 h', () => {
  it('keeps silences, does not hold a pending alert for the hour, shows no negative ages, and does not crash', async () => {
    t = await startInProcess({ patch: (y) => y.replace('groupWait: 0s', 'groupWait: 30s') });
    await t.run('alerts', 'silence', { duration: '2h', reason: 'BTC hedge being moved', type: 'delta', symbol: 'BTC' });
    await t.tick(); // 2: BTC pending (and silenced)
    await t.tick(); // 3: acc-4 pending
    const before = t.clock.now();
    t.clock.set(before - H);
    await t.tick(); // 4: ETH pending; everything started "in the future"
    expect(posted(t)).toEqual([]);
    const status = text(await t.run('status', undefined));
    expect(status).not.toMatch(/in the future|-\d+s/);
    const feeds = text(await t.run('feeds', undefined));
    expect(feeds).not.toMatch(/in the future|-\d+/);
    await t.tick();
    await t.tick(); // 30 s after the jump: acc-4 and ETH have waited their groupWait
    expect(posted(t).sort()).toEqual(['new WARN delta:ETH', 'new WARN utilization:acc-4']);
    // BTC fired too, but its silence (created "in the future" now) still holds.
    const btc = (await t.app.alerts.list({ type: 'delta' })).find((a) => a.symbol === 'BTC');
    expect(btc).toMatchObject({ state: 'firing' });
    expect(btc?.silence).toBeDefined();
    expect(text(await t.run('alerts', 'list'))).not.toMatch(/in the future|-\d+s/);
    expect(await t.app.alerts.list({ type: 'sync' })).toEqual([]);
    expect(errorsLogged(t)).toEqual([]);
  });

  it('a notification waiting out a backoff is retried at the next tick, not an hour later', async () => {
    t = await startInProcess();
    t.sink.failNext({ kind: 'retry', reason: 'Discord 503' });
    await t.tick(); // 2: BTC fires; the delivery fails and backs off
    expect(await t.app.store.outbox.counts()).toMatchObject({ pending: 1, sent: 0 });
    t.clock.set(t.clock.now() - H);
    await t.tick();
    expect(await t.app.store.outbox.counts()).toMatchObject({ pending: 0, sent: 2 });
    expect(posted(t)).toEqual(['new WARN delta:BTC', 'new WARN utilization:acc-4']);
    expect(t.logs.some((l) => l.msg === 'the clock went back; retrying pending notifications now')).toBe(true);
  });
});
