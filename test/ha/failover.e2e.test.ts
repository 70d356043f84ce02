import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeDiscord, type FakeDiscord } from '../fakes/discord/index.js';
import { fakeOptions } from '../discord/bot-fixture.js';
import { freshDatabase, type FreshDatabase } from '../helpers/postgres/fresh-database.js';
import { until } from '../reliability/wait.js';
import { exited, fireRows, POST_ALERTS, replicaEnv, startReplica, timesPosted, type FireRow, type Replica } from './replicas.js';

/**
 * Two replicas of the real entry point on one real PostgreSQL and the loopback Discord. The leader is
 * SIGKILLed the moment Discord has created an alert message but before its answer arrives (the post
 * landed, the outbox row is still in flight), with more alerts waiting behind it. The standby must take over within Alertmanager's default
 * peer timeout (15 s, the guard below; the lease ttl is the default 8 s), find the message already in
 * the channel instead of posting it again, post the alerts that fire afterwards, and every alert must
 * be in the channel exactly once. The killed replica, restarted, comes back as a standby.
 */
describe('failover: the leader is killed in the middle of posting', () => {
  let fake: FakeDiscord;
  let db: FreshDatabase;
  const replicas: Replica[] = [];
  let pending: FireRow[] = [];

  beforeAll(async () => {
    fake = await startFakeDiscord(fakeOptions());
    db = await freshDatabase();
  });
  afterAll(async () => {
    for (const r of replicas) if (r.child.exitCode === null && r.child.signalCode === null) r.child.kill('SIGKILL');
    await Promise.all(replicas.map((r) => exited(r.child)));
    await fake?.close();
    await db?.drop();
  });

  it('the standby takes over and every alert is posted exactly once', async () => {
    // Discord is down while the replicas start, so the leader's first alerts wait in the outbox until
    // the standby is up (starting a replica takes seconds on a loaded machine; the alerts, one tick).
    fake.goDown();
    const a = startReplica('a', replicaEnv(fake, db.url, 'replica-a'));
    replicas.push(a);
    await a.waitFor(/elected leader/, 60_000);
    await until('three alerts waiting in the outbox', () => pending.length >= 3, 60_000, async () => {
      pending = await fireRows(db.url);
    });
    const b = startReplica('b', replicaEnv(fake, db.url, 'replica-b'));
    replicas.push(b);
    await b.waitFor(/another instance leads/, 60_000);

    // The first alert post is created in Discord, its answer lost, and the leader dies right there.
    let killedAt = 0;
    fake.injectLostResponse(POST_ALERTS, 1, {
      method: 'POST',
      then: () => {
        killedAt = Date.now();
        a.child.kill('SIGKILL');
      },
    });
    fake.comeUp();
    expect(await exited(a.child)).toEqual({ code: null, signal: 'SIGKILL' });
    expect(fake.channelMessages('1200000000000000011')).toHaveLength(1);
    const inFlight = await fireRows(db.url);
    expect(inFlight[0]?.status).toBe('pending');

    await b.waitFor(/elected leader/, 15_000);
    expect(killedAt).toBeGreaterThan(0);

    // All four alerts of the fixture, each in its own message, every row sent.
    let rows: FireRow[] = [];
    await until('four alert messages sent', () => rows.length === 4 && rows.every((r) => r.status === 'sent'), 60_000, async () => {
      rows = await fireRows(db.url);
    });
    const ids = rows.flatMap((r) => r.shortIds);
    expect(new Set(ids).size).toBe(4);
    expect(timesPosted(fake, ids)).toEqual([1, 1, 1, 1]);
    expect(b.output()).toMatch(/already in the channel \(its sender died mid-post\): not posted again/);

    // The killed replica comes back as a standby; the leader stays.
    const a2 = startReplica('a2', replicaEnv(fake, db.url, 'replica-a'));
    replicas.push(a2);
    await a2.waitFor(/another instance leads/, 60_000);
    expect(a2.output()).toMatch(/"leader":"replica-b"/);
    expect(a2.output()).not.toMatch(/elected leader/);
    expect(timesPosted(fake, ids)).toEqual([1, 1, 1, 1]);

    const bExit = exited(b.child);
    const a2Exit = exited(a2.child);
    b.child.kill('SIGTERM');
    expect((await bExit).code).toBe(0);
    // A clean shutdown hands the lease over at once.
    await a2.waitFor(/elected leader/, 20_000);
    a2.child.kill('SIGTERM');
    expect((await a2Exit).code).toBe(0);
    expect(timesPosted(fake, ids)).toEqual([1, 1, 1, 1]);
  }, 120_000);
});
