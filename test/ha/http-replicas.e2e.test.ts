import parsePrometheus from 'parse-prometheus-text-format';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeOptions } from '../discord/bot-fixture.js';
import { startFakeDiscord, type FakeDiscord } from '../fakes/discord/index.js';
import { freshDatabase, type FreshDatabase } from '../helpers/postgres/fresh-database.js';
import { exited, replicaEnv, startReplica, type Replica } from './replicas.js';

/**
 * Two replicas of the real entry point on one PostgreSQL, each with its HTTP server: the leader is ready
 * and serves the book; the standby is alive, not ready, says it is a standby in /metrics, names the
 * leader in its system status, and answers data routes with 503 (1005) naming the leader.
 */
describe('the HTTP server on every replica', () => {
  let fake: FakeDiscord;
  let db: FreshDatabase;
  const replicas: Replica[] = [];

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

  const urlOf = (r: Replica): string => {
    const url = /"url":"(http:\/\/127\.0\.0\.1:\d+)"/.exec(r.output())?.[1];
    if (!url) throw new Error(`no HTTP url in the output of ${r.name}`);
    return url;
  };

  it('the leader serves; the standby answers with its role and the leader', async () => {
    const a = startReplica('a', replicaEnv(fake, db.url, 'replica-a', { HTTP_LISTEN: '127.0.0.1:0' }));
    replicas.push(a);
    await a.waitFor(/elected leader/);
    await a.waitFor(/"msg":"tick finished"/);
    const b = startReplica('b', replicaEnv(fake, db.url, 'replica-b', { HTTP_LISTEN: '127.0.0.1:0' }));
    replicas.push(b);
    await b.waitFor(/another instance leads/);
    await b.waitFor(/"msg":"HTTP API listening"/);
    const [leader, standby] = [urlOf(a), urlOf(b)];

    expect((await fetch(`${leader}/readyz`)).status).toBe(200);
    expect((await fetch(`${standby}/healthz`)).status).toBe(200);
    const notReady = await fetch(`${standby}/readyz`);
    expect(notReady.status).toBe(503);
    expect(await notReady.json()).toMatchObject({ ready: false, checks: { leading: false } });

    const status = (await (await fetch(`${standby}/api/v1/system/status`)).json()) as { data: Record<string, unknown> };
    expect(status.data).toMatchObject({ status: 'standby', instance: { id: 'replica-b', role: 'standby' }, leader: { instance: 'replica-a' } });
    const leaderStatus = (await (await fetch(`${leader}/api/v1/system/status`)).json()) as { data: Record<string, unknown> };
    expect(leaderStatus.data).toMatchObject({ instance: { id: 'replica-a', role: 'leader' }, leader: { instance: 'replica-a' }, activeAccounts: 4 });

    const role = (url: string): Promise<Record<string, string> | undefined> =>
      fetch(`${url}/metrics`)
        .then((r) => r.text())
        .then((t) => parsePrometheus(t).find((x) => x.name === 'delta_ops_info')?.metrics[0]?.labels);
    expect(await role(standby)).toEqual({ instance: 'replica-b', role: 'standby' });
    expect(await role(leader)).toEqual({ instance: 'replica-a', role: 'leader' });

    const data = await fetch(`${standby}/api/v1/risk/metrics/acc-1`);
    expect(data.status).toBe(503);
    expect(((await data.json()) as { error: unknown }).error).toEqual({ code: 1005, message: 'This instance (replica-b) is a standby and holds no data; the leader is replica-a.' });
    expect((await fetch(`${leader}/api/v1/risk/metrics/acc-1`)).status).toBe(200);
  });
});
