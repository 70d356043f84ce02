import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeDiscord, type FakeDiscord } from '../fakes/discord/index.js';
import { fakeOptions } from '../discord/bot-fixture.js';
import { freshDatabase, type FreshDatabase } from '../helpers/postgres/fresh-database.js';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.js';
import { exited, replicaEnv, startReplica, type Replica } from './replicas.js';

/**
 * A replica started while PostgreSQL cannot be reached does not exit (a supervisor would restart it in a
 * loop): it says it is waiting, and starts when the database answers.
 */
describe('a replica started before its database is reachable', () => {
  let fake: FakeDiscord;
  let db: FreshDatabase;
  let proxy: TcpProxy;
  let replica: Replica | undefined;

  beforeAll(async () => {
    fake = await startFakeDiscord(fakeOptions());
    db = await freshDatabase();
    proxy = await startTcpProxy(Number(new URL(db.url).port));
  });
  afterAll(async () => {
    if (replica && replica.child.exitCode === null) replica.child.kill('SIGKILL');
    if (replica) await exited(replica.child);
    await proxy?.close();
    await fake?.close();
    await db?.drop();
  });

  it('waits, says so, and starts once the database answers', async () => {
    proxy.cut();
    const url = new URL(db.url);
    url.port = String(proxy.port);
    replica = startReplica('r', replicaEnv(fake, url.toString(), 'replica-r'));
    await replica.waitFor(/"attempt":2,.*"msg":"database unreachable at start: waiting for it"/, 60_000);
    expect(replica.child.exitCode).toBeNull();
    // The password never reaches the log.
    expect(replica.output()).not.toContain(new URL(db.url).password);
    proxy.heal();
    await replica.waitFor(/elected leader/, 60_000);
    const done = exited(replica.child);
    replica.child.kill('SIGTERM');
    expect((await done).code).toBe(0);
  }, 150_000);
});
