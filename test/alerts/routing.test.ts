import { afterEach, describe, expect, test } from 'vitest';
import { pagingPolicy } from '../../src/app/build-alerts.js';
import { deliveriesOf, routesOf, type PagingPolicy } from '../../src/core/alerts/paging.js';
import type { AlertGroupPayload } from '../../src/core/outbox/payload.js';
import { admin, appConfig, delta, harness, metrics, riskOf, snapshotOf, TICK, type Harness } from './fixtures.js';

/*
 * Routing by severity and type (`alerts.routes`) and notification levels (`alerts.notify`), with a fake
 * clock and the real store. One tick (groupWait 0) raises: acc-1 utilization CRITICAL (97 %), acc-2
 * utilization WARN (90 %), BTC delta WARN (deviation 7 %).
 */
const CRIT = '1200000000000000050';
const DESK = '1200000000000000051';
const UTIL = '1200000000000000052';
const ONCALL = '1200000000000000101';

const snap = (now: number) => snapshotOf(now, [{ id: 'acc-1' }, { id: 'acc-2' }, { id: 'acc-3' }]);
const risky = (now: number) => riskOf(now, [metrics('acc-1', { utilization: 0.97 }), metrics('acc-2', { utilization: 0.9 }), metrics('acc-3')], [delta('BTC', 0.07)]);

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function fireOnce(paging: Partial<PagingPolicy>): Promise<Harness> {
  h = harness({ policy: { groupWaitMs: 0 }, paging });
  await h.tick(snap, risky);
  return h;
}

const payloads = (x: Harness): AlertGroupPayload[] => x.sink.posts.flatMap((p) => (p.notification.payload.type === 'alerts' ? [p.notification.payload] : []));
/** Each message: where it goes, whom it pings, and its alerts as `severity type account|symbol`. */
const messages = (x: Harness) =>
  payloads(x).map((p) => ({
    to: p.delivery?.channelId ?? 'default',
    pings: p.delivery?.mentionRoleIds ?? 'default',
    silent: p.delivery?.silent === true,
    alerts: p.alerts.map((a) => `${a.severity} ${a.type} ${a.account ?? a.symbol}`),
  }));

describe('routing', () => {
  test('two channels by severity with `continue`: CRITICAL to the critical channel (pinging on-call) and to the desk; one message per route', async () => {
    const x = await fireOnce({
      routes: [
        { match: { severity: 'CRITICAL' }, channelId: CRIT, mentionRoleId: ONCALL, continue: true },
        { match: {}, channelId: DESK, continue: false },
      ],
    });
    expect(messages(x)).toEqual([
      { to: CRIT, pings: [ONCALL], silent: false, alerts: ['CRITICAL utilization acc-1'] },
      { to: DESK, pings: [], silent: false, alerts: ['CRITICAL utilization acc-1', 'WARN delta BTC', 'WARN utilization acc-2'] },
    ]);
    // Both messages carry the CRITICAL alert: acknowledging it edits both, each in its own channel.
    const id = (await x.service.list({ severity: 'CRITICAL' }))[0]!.shortId;
    expect((await x.service.ack(admin, id, 'on it')).ok).toBe(true);
    await x.dispatcher.dispatchDue();
    expect(x.sink.edits.map((e) => [e.ref, (e.notification.payload as AlertGroupPayload).delivery?.channelId])).toEqual([
      ['m1', CRIT],
      ['m2', DESK],
    ]);
    for (const e of x.sink.edits) expect((e.notification.payload as AlertGroupPayload).alerts.find((a) => a.shortId === id)).toMatchObject({ ackedBy: 'ann' });
  });

  test('without `continue` the first matching route wins; what no route matches goes to the default channel', async () => {
    const x = await fireOnce({
      routes: [
        { match: { severity: 'CRITICAL' }, channelId: CRIT, mentionRoleId: ONCALL, continue: false },
        { match: { type: 'utilization' }, channelId: UTIL, continue: false },
      ],
    });
    expect(messages(x)).toEqual([
      { to: CRIT, pings: [ONCALL], silent: false, alerts: ['CRITICAL utilization acc-1'] },
      { to: 'default', pings: 'default', silent: false, alerts: ['WARN delta BTC'] },
      { to: UTIL, pings: [], silent: false, alerts: ['WARN utilization acc-2'] },
    ]);
    expect(x.sink.posts[1]?.notification.payload).not.toHaveProperty('delivery');
  });

  test('matches compare account and symbol case-insensitively; config symbols are canonical (BTC-PERP is BTC)', () => {
    const cfg = appConfig({ alerts: { routes: [{ match: { account: 'ACC-1', symbol: 'btc-perp' }, channelId: CRIT }] } });
    const policy = pagingPolicy(cfg.alerts);
    expect(policy.routes[0]?.match).toEqual({ account: 'ACC-1', symbol: 'BTC' });
    const alert = { severity: 'WARN', type: 'position-limit', account: 'acc-1', symbol: 'BTC' } as const;
    expect(routesOf(alert, policy.routes).map((r) => r.channelId)).toEqual([CRIT]);
    expect(routesOf({ ...alert, symbol: 'ETH' }, policy.routes)).toEqual([]);
    expect(deliveriesOf({ ...alert, symbol: 'ETH' }, policy)).toEqual([{}]);
  });
});

describe('notification levels', () => {
  test('`silent`: posted on its own, flagged silent, pinging nobody; `on` types as before', async () => {
    const x = await fireOnce({ notify: { delta: 'silent' } });
    expect(messages(x)).toEqual([
      { to: 'default', pings: 'default', silent: false, alerts: ['CRITICAL utilization acc-1', 'WARN utilization acc-2'] },
      { to: 'default', pings: [], silent: true, alerts: ['WARN delta BTC'] },
    ]);
  });

  test('`off`: never posted, not even later, but listed by /alerts list with its level', async () => {
    const x = await fireOnce({ notify: { utilization: 'off' } });
    for (let i = 0; i < 5; i++) await x.tick(snap, risky);
    x.clock.advance(5 * 3_600_000 - 5 * TICK);
    await x.tick(snap, risky);
    expect(messages(x)).toEqual([{ to: 'default', pings: 'default', silent: false, alerts: ['WARN delta BTC'] }]);
    const listed = await x.service.list();
    expect(listed.map((a) => [a.type, a.account ?? a.symbol, a.state, a.notify])).toEqual([
      ['utilization', 'acc-1', 'firing', 'off'],
      ['delta', 'BTC', 'firing', 'on'],
      ['utilization', 'acc-2', 'firing', 'off'],
    ]);
    expect(listed[0]?.firstNotifiedAt).toBeUndefined();
  });
});
