import { afterEach, describe, expect, test } from 'vitest';
import { AlertEngine } from '../../src/core/alerts/engine.js';
import type { PagingPolicy } from '../../src/core/alerts/paging.js';
import { FakeClock } from '../../src/core/clock.js';
import { Dispatcher } from '../../src/core/outbox/dispatcher.js';
import type { AlertGroupPayload } from '../../src/core/outbox/payload.js';
import { RecordingSink } from '../../src/core/outbox/recording-sink.js';
import type { LeaseGrant } from '../../src/core/ports/leader-lease.js';
import { PostgresStore } from '../../src/store/postgres/pg-store.js';
import { freshDatabase, type FreshDatabase } from '../helpers/postgres/fresh-database.js';
import { counterKeys, metrics, riskOf, ruleConfig, silentLogger, snapshotOf, T0 } from './fixtures.js';

/*
 * Escalation fails over with the leader: two replicas on one PostgreSQL database, each with its own
 * engine, dispatcher and sink. The leader pages step 1 and goes away; the replica that takes the lease
 * over pages step 2 at its time, and never step 1 again: where the chain stands is in the database.
 */
const MIN = 60_000;
const PAGING: PagingPolicy = {
  routes: [],
  notify: {},
  maintenance: [],
  escalation: [
    { after: 10 * MIN, mentionRoleIds: ['1200000000000000060'], dmUserIds: ['1300000000000000011'] },
    { after: 30 * MIN, mentionRoleIds: ['1200000000000000061'], dmUserIds: [] },
  ],
};

interface Replica {
  store: PostgresStore;
  sink: RecordingSink;
  engine: AlertEngine;
  dispatcher: Dispatcher;
  grant?: LeaseGrant;
}

const dbs: FreshDatabase[] = [];
const stores: PostgresStore[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
  for (const d of dbs.splice(0)) await d.drop();
});

describe('escalation on PostgreSQL with two replicas', () => {
  test('the new leader carries on the chain where the old one left it', async () => {
    const db = await freshDatabase();
    dbs.push(db);
    const clock = new FakeClock(T0);
    const newKey = counterKeys();
    const replica = async (name: string): Promise<Replica> => {
      const store = await PostgresStore.open(db.url);
      stores.push(store);
      const sink = new RecordingSink(`discord`);
      const r: Replica = {
        store,
        sink,
        engine: new AlertEngine({ store, rules: ruleConfig(), policy: { groupWaitMs: 0, repeatIntervalMs: 4 * 60 * MIN, resolveAfterTicks: 2 }, paging: PAGING, sinks: [sink.name], newKey, logger: silentLogger }),
        dispatcher: new Dispatcher({ outbox: store.outbox, sinks: [sink], clock, logger: silentLogger, random: () => 0.5, fence: () => r.grant && { holder: name, epoch: r.grant.epoch } }),
      };
      return r;
    };
    const a = await replica('a');
    const b = await replica('b');
    a.grant = await a.store.lease.acquire('a', 60_000);
    expect(a.grant?.epoch).toBe(1);
    expect(await b.store.lease.acquire('b', 60_000)).toBeUndefined();

    const critical = (now: number) => riskOf(now, [metrics('acc-1', { utilization: 0.97 })]);
    const lead = async (r: Replica, t: number): Promise<void> => {
      clock.set(t);
      await r.engine.evaluate(snapshotOf(t, [{ id: 'acc-1' }]), critical(t), t);
      await r.dispatcher.dispatchDue(t);
    };
    const steps = (r: Replica) => r.sink.posts.map((p) => (p.notification.payload as AlertGroupPayload).escalation?.step ?? 0);

    await lead(a, T0);
    await lead(a, T0 + 10 * MIN);
    expect(steps(a)).toEqual([0, 1, 1]);

    // The leader goes away (a clean handover: it releases the lease); the standby takes it.
    await a.store.lease.release('a', a.grant!.epoch);
    a.grant = undefined;
    b.grant = await b.store.lease.acquire('b', 60_000);
    expect(b.grant?.epoch).toBe(2);

    await lead(b, T0 + 20 * MIN);
    expect(b.sink.posts).toHaveLength(0);
    await lead(b, T0 + 30 * MIN);
    expect(steps(b)).toEqual([2]);
    await lead(b, T0 + 45 * MIN);
    expect(steps(b)).toEqual([2]);
    const audit = (await b.store.audit.list()).filter((e) => e.action === 'escalate').map((e) => e.detail?.slice(0, 11));
    expect(audit).toEqual(['step 2 of 2', 'step 1 of 2']);
    expect((await b.store.alerts.active())[0]).toMatchObject({ escalationStep: 2, escalationFrom: T0 });
    // The old leader's dispatcher sends nothing any more.
    expect(await a.dispatcher.dispatchDue(T0 + 45 * MIN)).toMatchObject({ sent: 0 });
  });
});
