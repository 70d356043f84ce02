import parsePrometheus from 'parse-prometheus-text-format';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LeadershipStatus } from '../../src/core/leadership/leader-elector.js';
import { ADMIN_TOKEN, startHttp, type HttpFixture } from './http-fixture.js';

/*
 * A standby replica (another instance holds the lease): the app is built, not started, and its HTTP
 * server answers what it can: alive, not ready, its role in /metrics, the leader in the system status,
 * and 503 (1005) naming the leader for data it does not hold. (test/ha runs real replicas on PostgreSQL.)
 */
const SINCE = Date.UTC(2026, 2, 2, 11, 0, 0);
const standby: LeadershipStatus = { instance: 'replica-b', role: 'standby', leader: { instance: 'replica-a', since: SINCE, epoch: 7 } };
let f: HttpFixture;
beforeAll(async () => {
  f = await startHttp({ leadership: () => standby });
});
afterAll(async () => {
  await f?.close();
});

describe('the HTTP server on a standby', () => {
  it('is alive but not ready', async () => {
    expect((await f.get('/healthz', null)).status).toBe(200);
    const r = await f.get('/readyz', null);
    expect(r.status).toBe(503);
    expect(r.json).toMatchObject({ ready: false, checks: { leading: false, firstSync: false, store: true, discord: null } });
  });

  it('names the leader in the system status; its services are idle', async () => {
    const s = (await f.get('/api/v1/system/status')).json['data'] as Record<string, unknown>;
    expect(s).toMatchObject({ status: 'standby', instance: { id: 'replica-b', role: 'standby' }, leader: { instance: 'replica-a', since: SINCE, epoch: 7 }, activeAccounts: 0 });
    const services = Object.fromEntries((s['services'] as { name: string; status: string }[]).map((x) => [x.name, x.status]));
    expect(services).toEqual({ sync: 'idle', alerts: 'idle', outbox: 'idle', discord: 'off', scheduler: 'idle', store: 'idle', http: 'healthy' });
  });

  it('gives its role in /metrics', async () => {
    const families = parsePrometheus((await f.get('/metrics')).text);
    const metric = (name: string) => families.find((x) => x.name === name)?.metrics ?? [];
    expect(metric('delta_ops_info')).toEqual([{ value: '1', labels: { instance: 'replica-b', role: 'standby' } }]);
    expect(metric('delta_ops_leader')).toEqual([{ value: '0' }]);
    expect(metric('delta_ops_account_sync_ok')).toEqual([]);
  });

  it('answers 503 with 1005 and the leader for the data it does not hold', async () => {
    for (const r of [
      await f.get('/api/v1/risk/metrics/acc-1'),
      await f.post('/api/v1/delta/control', { symbol: 'BTC' }),
      await f.post('/api/v1/utilization/rebalance', {}),
      await f.post('/api/v1/account/sync', {}, ADMIN_TOKEN),
      await f.get('/api/v1/market-data/feeds'),
    ]) {
      expect(r.status).toBe(503);
      expect(r.json['error']).toEqual({ code: 1005, message: 'This instance (replica-b) is a standby and holds no data; the leader is replica-a.' });
    }
    // The stored alerts are shared: a standby can list them.
    expect((await f.get('/api/v1/risk/alerts')).status).toBe(200);
  });
});
