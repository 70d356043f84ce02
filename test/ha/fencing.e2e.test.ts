import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeDiscord, type FakeDiscord } from '../fakes/discord/index.js';
import { fakeOptions } from '../discord/bot-fixture.js';
import { freshDatabase, type FreshDatabase } from '../helpers/postgres/fresh-database.js';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.js';
import { until } from '../reliability/wait.js';
import { exited, fireRows, POST_ALERTS, replicaEnv, startReplica, timesPosted, type FireRow, type Replica } from './replicas.js';

/** Lines of a replica's log after the first line matching `from`. */
function linesAfter(output: string, from: RegExp): string[] {
  const lines = output.split('\n');
  const i = lines.findIndex((l) => from.test(l));
  return i < 0 ? [] : lines.slice(i + 1);
}

/**
 * The leader is cut off from PostgreSQL (a loopback proxy between them drops every connection and
 * answers no new one) while it is posting. It must stop posting once its lease lapses (its fence is
 * no longer valid), the standby must take over, and when the network heals the old leader must see
 * the new epoch and step down. Every alert is in the channel exactly once.
 */
describe('fencing: the leader loses the database while posting', () => {
  let fake: FakeDiscord;
  let db: FreshDatabase;
  let proxy: TcpProxy;
  const replicas: Replica[] = [];

  beforeAll(async () => {
    fake = await startFakeDiscord(fakeOptions());
    db = await freshDatabase();
    proxy = await startTcpProxy(Number(new URL(db.url).port));
  });
  afterAll(async () => {
    for (const r of replicas) if (r.child.exitCode === null && r.child.signalCode === null) r.child.kill('SIGKILL');
    await Promise.all(replicas.map((r) => exited(r.child)));
    await proxy?.close();
    await fake?.close();
    await db?.drop();
  });

  it('the cut-off leader stops posting, the standby takes over, exactly once', async () => {
    const viaProxy = new URL(db.url);
    viaProxy.port = String(proxy.port);
    // Discord is down while the replicas start: the leader's first alerts wait in the outbox.
    fake.goDown();
    const a = startReplica('a', replicaEnv(fake, viaProxy.toString(), 'replica-a'));
    replicas.push(a);
    await a.waitFor(/elected leader/, 60_000);
    let pending: FireRow[] = [];
    await until('three alerts waiting in the outbox', () => pending.length >= 3, 60_000, async () => {
      pending = await fireRows(db.url);
    });
    const b = startReplica('b', replicaEnv(fake, db.url, 'replica-b'));
    replicas.push(b);
    await b.waitFor(/another instance leads/, 60_000);

    // The first alert post reaches Discord, its answer is lost, and the leader's database goes away.
    fake.injectLostResponse(POST_ALERTS, 1, { method: 'POST', then: () => proxy.cut() });
    fake.comeUp();
    await a.waitFor(/leader lease not renewed in time: sending nothing/, 30_000);
    await b.waitFor(/elected leader/, 30_000);

    let rows: FireRow[] = [];
    await until('four alert messages sent', () => rows.length === 4 && rows.every((r) => r.status === 'sent'), 60_000, async () => {
      rows = await fireRows(db.url);
    });
    const ids = rows.flatMap((r) => r.shortIds);
    expect(new Set(ids).size).toBe(4);
    expect(timesPosted(fake, ids)).toEqual([1, 1, 1, 1]);
    // Once its lease lapsed, the cut-off leader posted nothing.
    expect(linesAfter(a.output(), /leader lease not renewed in time/).filter((l) => /notification posted/.test(l))).toEqual([]);

    // The network heals: the old leader finds another epoch in the lease and steps down (exit 75, a
    // supervisor restarts it as a standby).
    const aExit = exited(a.child);
    proxy.heal();
    expect(await aExit).toEqual({ code: 75, signal: null });
    expect(a.output()).toMatch(/lost the leader lease to another instance/);
    expect(timesPosted(fake, ids)).toEqual([1, 1, 1, 1]);

    const bExit = exited(b.child);
    b.child.kill('SIGTERM');
    expect((await bExit).code).toBe(0);
  }, 120_000);
});
