import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { FakeClock } from '../../src/core/clock.js';
import type { AlertGroupPayload } from '../../src/core/outbox/payload.js';
import type { PagingPolicy } from '../../src/core/alerts/paging.js';
import { tempDir } from '../helpers/run-cli.js';
import { admin, counterKeys, harness, metrics, riskOf, snapshotOf, T0, TICK, type Harness, type HarnessOptions } from './fixtures.js';

/*
 * The escalation chain with a fake clock and the real (SQLite) store: a CRITICAL utilization alert on
 * acc-1, routed to a critical channel, first notified at FIRST; step 1 after 10 min pages the team lead
 * role and DMs Ann, step 2 after 30 min pages the head of desk and DMs Ben.
 */
const CRIT = '1200000000000000050';
const ONCALL = '1200000000000000101';
const LEAD = '1200000000000000060';
const HEAD = '1200000000000000061';
const ANN = '1300000000000000011';
const BEN = '1300000000000000012';
const MIN = 60_000;
const FIRST = T0 + TICK;

const PAGING: Partial<PagingPolicy> = {
  routes: [{ match: { severity: 'CRITICAL' }, channelId: CRIT, mentionRoleId: ONCALL, continue: false }],
  escalation: [
    { after: 10 * MIN, mentionRoleIds: [LEAD], dmUserIds: [ANN] },
    { after: 30 * MIN, mentionRoleIds: [HEAD], dmUserIds: [BEN] },
  ],
};

const accounts = ['acc-1', 'acc-2', 'acc-3'].map((id) => ({ id }));
const snap = (now: number) => snapshotOf(now, accounts);
const util = (u: number) => (now: number) => riskOf(now, [metrics('acc-1', { utilization: u }), metrics('acc-2'), metrics('acc-3')]);
const critical = util(0.97);

let h: Harness | undefined;
const dirs: string[] = [];
afterEach(async () => {
  await h?.close();
  h = undefined;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function open(opts: HarnessOptions = {}): Harness {
  h = harness({ policy: { groupWaitMs: 0 }, paging: PAGING, ...opts });
  return h;
}

/** Evaluates and dispatches at `t` exactly. */
async function at(x: Harness, t: number, risk = critical): Promise<void> {
  x.clock.set(t);
  await x.engine.evaluate(snap(t), risk(t), t);
  await x.dispatcher.dispatchDue(t);
}

const payloads = (x: Harness): AlertGroupPayload[] => x.sink.posts.flatMap((p) => (p.notification.payload.type === 'alerts' ? [p.notification.payload] : []));
/** New posts as `where step`: `#<channel>` or `@<user>` (`-` for the default channel), `fire` or `step N`. */
const posts = (x: Harness): string[] =>
  payloads(x).map((p) => `${p.delivery?.dmUserId ? `@${p.delivery.dmUserId}` : `#${p.delivery?.channelId ?? '-'}`} ${p.escalation ? `step ${p.escalation.step}/${p.escalation.steps} pings ${(p.delivery?.mentionRoleIds ?? []).join(',') || 'nobody'}` : `fire pings ${(p.delivery?.mentionRoleIds ?? ['default']).join(',') || 'nobody'}`}`);
const escalations = async (x: Harness) => (await x.service.auditLog()).filter((e) => e.action === 'escalate').reverse();

describe('escalation chain', () => {
  test('pages each step at its time, once: the role in the alert’s channel, a DM to the user; recorded and shown on the alert', async () => {
    const x = open();
    await at(x, FIRST);
    expect(posts(x)).toEqual([`#${CRIT} fire pings ${ONCALL}`]);
    const alert = (await x.service.list())[0]!;
    expect(alert).toMatchObject({ severity: 'CRITICAL', escalationFrom: FIRST, escalationSteps: 2 });
    expect(alert.escalationStep).toBeUndefined();

    await at(x, FIRST + 10 * MIN - 1);
    expect(x.sink.posts).toHaveLength(1);
    await at(x, FIRST + 10 * MIN);
    expect(posts(x).slice(1)).toEqual([`#${CRIT} step 1/2 pings ${LEAD}`, `@${ANN} step 1/2 pings nobody`]);
    const page = payloads(x)[1]!;
    expect(page.escalation).toEqual({ step: 1, steps: 2, afterMs: 10 * MIN });
    expect(page.alerts.map((a) => [a.shortId, a.escalationStep, a.escalatedAt])).toEqual([[alert.shortId, 1, FIRST + 10 * MIN]]);
    expect(x.sink.posts.map((p) => p.notification.kind)).toEqual(['fire', 'repeat', 'repeat']);
    // The message already out is edited to show the step.
    expect(x.sink.edits.map((e) => e.ref)).toEqual(['m1']);
    const edited = x.sink.edits[0]!.notification.payload as AlertGroupPayload;
    expect(edited.alerts[0]).toMatchObject({ escalationStep: 1, escalatedAt: FIRST + 10 * MIN });
    expect(await x.service.get(alert.shortId)).toMatchObject({ escalationStep: 1, escalatedAt: FIRST + 10 * MIN });

    await at(x, FIRST + 29 * MIN);
    expect(x.sink.posts).toHaveLength(3);
    await at(x, FIRST + 30 * MIN);
    expect(posts(x).slice(3)).toEqual([`#${CRIT} step 2/2 pings ${HEAD}`, `@${BEN} step 2/2 pings nobody`]);
    // Every message carrying the alert shows step 2: the first post, step 1's page and DM.
    expect(x.sink.edits.slice(1).map((e) => e.ref).sort()).toEqual(['m1', 'm2', 'm3']);
    for (let t = FIRST + 31 * MIN; t <= FIRST + 3 * 60 * MIN; t += 15 * MIN) await at(x, t);
    expect(x.sink.posts).toHaveLength(5);

    expect((await escalations(x)).map((e) => [e.actorName, e.source, e.target, e.outcome, e.detail])).toEqual([
      ['delta-ops', 'delta-ops', alert.shortId, 'done', `step 1 of 2, 10m without an acknowledgement: pinged role ${LEAD} in channel ${CRIT}; sent a DM to ${ANN}`],
      ['delta-ops', 'delta-ops', alert.shortId, 'done', `step 2 of 2, 30m without an acknowledgement: pinged role ${HEAD} in channel ${CRIT}; sent a DM to ${BEN}`],
    ]);
    expect((await x.service.list())[0]).toMatchObject({ escalationStep: 2 });
  });

  test('an acknowledgement stops the chain and edits every message of the alert: the post, the page and the DM', async () => {
    const x = open();
    await at(x, FIRST);
    await at(x, FIRST + 10 * MIN);
    const id = (await x.service.list())[0]!.shortId;
    x.clock.set(FIRST + 12 * MIN);
    expect((await x.service.ack(admin, id, 'on it')).ok).toBe(true);
    await x.dispatcher.dispatchDue();
    const ackEdits = x.sink.edits.slice(1);
    expect(ackEdits.map((e) => e.ref).sort()).toEqual(['m1', 'm2', 'm3']);
    for (const e of ackEdits) expect((e.notification.payload as AlertGroupPayload).alerts[0]).toMatchObject({ ackedBy: 'ann', escalationStep: 1 });
    // The DM keeps where it goes (its edit is of the DM message) and shows no more buttons.
    const dmEdit = ackEdits.find((e) => e.ref === 'm3')!.notification.payload as AlertGroupPayload;
    expect(dmEdit.delivery).toEqual({ dmUserId: ANN });
    for (let t = FIRST + 15 * MIN; t <= FIRST + 2 * 60 * MIN; t += 5 * MIN) await at(x, t);
    expect(x.sink.posts).toHaveLength(3);
    expect((await escalations(x)).map((e) => e.detail?.slice(0, 11))).toEqual(['step 1 of 2']);
    expect((await x.service.auditLog())[0]).toMatchObject({ action: 'ack', outcome: 'done', detail: 'utilization CRITICAL; escalation stopped after step 1' });
  });

  test('a silence holds the chain while it lasts; the steps due by then go out when it ends', async () => {
    const x = open();
    await at(x, FIRST);
    x.clock.set(FIRST + 5 * MIN);
    expect((await x.service.silence(admin, { account: 'acc-1' }, 60 * MIN, 'known')).ok).toBe(true);
    for (let t = FIRST + 10 * MIN; t < FIRST + 65 * MIN; t += 5 * MIN) await at(x, t);
    expect(x.sink.posts).toHaveLength(1);
    expect(await escalations(x)).toEqual([]);
    await at(x, FIRST + 65 * MIN);
    expect(posts(x).slice(1)).toEqual([`#${CRIT} step 1/2 pings ${LEAD}`, `@${ANN} step 1/2 pings nobody`, `#${CRIT} step 2/2 pings ${HEAD}`, `@${BEN} step 2/2 pings nobody`]);
  });

  test('resolving by hand stops it', async () => {
    const x = open();
    await at(x, FIRST);
    const id = (await x.service.list())[0]!.shortId;
    x.clock.set(FIRST + 5 * MIN);
    expect((await x.service.resolve(admin, id, 'fixed by hand')).ok).toBe(true);
    // The condition still holds: a new alert starts (and will page on its own clock); the resolved one never pages.
    for (let t = FIRST + 6 * MIN; t <= FIRST + 40 * MIN; t += MIN) await at(x, t);
    const targets = (await escalations(x)).map((e) => e.target);
    expect(targets).not.toContain(id);
    const next = (await x.service.list())[0]!;
    expect(next.shortId).not.toBe(id);
    expect(next.escalationFrom).toBe(FIRST + 6 * MIN);
    expect(targets).toEqual([next.shortId, next.shortId]);
  });

  test('counts from the first notification as CRITICAL, not from an earlier WARN', async () => {
    const x = open();
    await at(x, FIRST, util(0.9));
    expect((await x.service.list())[0]).toMatchObject({ severity: 'WARN' });
    expect((await x.service.list())[0]?.escalationFrom).toBeUndefined();
    const raised = FIRST + 60 * MIN;
    await at(x, raised);
    expect(payloads(x)[1]?.alerts[0]).toMatchObject({ severity: 'CRITICAL', reason: 'escalated' });
    expect((await x.service.list())[0]).toMatchObject({ escalationFrom: raised });
    await at(x, raised + 10 * MIN - 1);
    expect(x.sink.posts).toHaveLength(2);
    await at(x, raised + 10 * MIN);
    expect(posts(x).slice(2)).toEqual([`#${CRIT} step 1/2 pings ${LEAD}`, `@${ANN} step 1/2 pings nobody`]);
  });

  test('`silent` and `off` types page nobody', async () => {
    for (const level of ['silent', 'off'] as const) {
      const x = open({ paging: { ...PAGING, notify: { utilization: level } } });
      for (let t = FIRST; t <= FIRST + 60 * MIN; t += 5 * MIN) await at(x, t);
      expect(posts(x)).toEqual(level === 'silent' ? [`#${CRIT} fire pings nobody`] : []);
      if (level === 'silent') expect(payloads(x)[0]?.delivery).toEqual({ channelId: CRIT, mentionRoleIds: [], silent: true });
      expect(await escalations(x)).toEqual([]);
      expect((await x.service.list())[0]).toMatchObject({ notify: level, severity: 'CRITICAL', state: 'firing' });
      await x.close();
    }
  });
});

describe('escalation across a restart (the same SQLite file closed and opened again)', () => {
  const reopen = (path: string, clock: FakeClock, newKey: () => string): Harness => harness({ policy: { groupWaitMs: 0 }, paging: PAGING, storePath: path, clock, newKey });

  test('after step 1, the next process sends step 2 at its time and never step 1 again', async () => {
    const dir = tempDir('delta-ops-escalation-');
    dirs.push(dir);
    const path = join(dir, 'alerts.sqlite');
    const clock = new FakeClock(T0);
    const newKey = counterKeys();
    const first = reopen(path, clock, newKey);
    await at(first, FIRST);
    await at(first, FIRST + 10 * MIN);
    expect(posts(first)).toHaveLength(3);
    await first.close();

    h = reopen(path, clock, newKey);
    await at(h, FIRST + 20 * MIN);
    await at(h, FIRST + 29 * MIN);
    expect(h.sink.posts).toHaveLength(0);
    await at(h, FIRST + 30 * MIN);
    expect(posts(h)).toEqual([`#${CRIT} step 2/2 pings ${HEAD}`, `@${BEN} step 2/2 pings nobody`]);
    await at(h, FIRST + 45 * MIN);
    expect(h.sink.posts).toHaveLength(2);
    expect((await escalations(h)).map((e) => e.detail?.slice(0, 11))).toEqual(['step 1 of 2', 'step 2 of 2']);
  });

  test('down across both steps: the next process sends each missed step once, in order', async () => {
    const dir = tempDir('delta-ops-escalation-');
    dirs.push(dir);
    const path = join(dir, 'alerts.sqlite');
    const clock = new FakeClock(T0);
    const newKey = counterKeys();
    const first = reopen(path, clock, newKey);
    await at(first, FIRST);
    await first.close();

    h = reopen(path, clock, newKey);
    await at(h, FIRST + 45 * MIN);
    expect(posts(h)).toEqual([`#${CRIT} step 1/2 pings ${LEAD}`, `@${ANN} step 1/2 pings nobody`, `#${CRIT} step 2/2 pings ${HEAD}`, `@${BEN} step 2/2 pings nobody`]);
    await at(h, FIRST + 50 * MIN);
    expect(h.sink.posts).toHaveLength(4);
    expect((await escalations(h)).map((e) => [e.target, e.detail?.slice(0, 11)])).toEqual([
      [(await h.service.list())[0]!.shortId, 'step 1 of 2'],
      [(await h.service.list())[0]!.shortId, 'step 2 of 2'],
    ]);
  });
});
