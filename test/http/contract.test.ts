import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpServer } from '../../src/http/server.js';
import { ADMIN_TOKEN, READ_TOKEN, startHttp, type Answer, type HttpFixture } from './http-fixture.js';

/*
 * The control-plane contract through the real server on 127.0.0.1, over the scenario book (hand-worked in
 * test/e2e/entry-point.test.ts): acc-1 10,000 / 4,000, BTC +1, ETH −5; acc-2 20,000 / 15,000, BTC −0.8;
 * acc-3 5,000 / 500, ETH +4; BTC 50,000, ETH 2,000. BTC net 0.2 over a hedge of 1 (20 %, WARN under its
 * 25 % max); ETH net −1 over 5 (20 %, over its 10 % max: CRITICAL, plans blocked with 1002).
 */
let f: HttpFixture;
beforeAll(async () => {
  f = await startHttp();
});
afterAll(async () => {
  await f?.close();
});

type Json = Record<string, unknown>;
const data = (a: Answer): Json => a.json['data'] as Json;
function expectError(a: Answer, status: number, code: number, message?: RegExp): void {
  expect(a.status).toBe(status);
  expect(Object.keys(a.json).sort()).toEqual(['error', 'success', 'timestamp']);
  expect(a.json['success']).toBe(false);
  expect(a.json['timestamp']).toBe(f.clock.now());
  const err = a.json['error'] as { code: number; message: string };
  expect(err.code).toBe(code);
  if (message) expect(err.message).toMatch(message);
}
function expectOk(a: Answer): Json {
  expect(a.status, a.text).toBe(200);
  expect(Object.keys(a.json).sort()).toEqual(['data', 'success', 'timestamp']);
  expect(a.json['success']).toBe(true);
  return data(a);
}

describe('probes and metrics', () => {
  it('GET /healthz and /readyz answer without a token', async () => {
    const h = await f.get('/healthz', null);
    expect(h.status).toBe(200);
    expect(h.json).toEqual({ status: 'ok', uptime: expect.any(Number) });
    const r = await f.get('/readyz', null);
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ ready: true, checks: { leading: true, firstSync: true, store: true, discord: null }, timestamp: f.clock.now() });
  });

  it('GET /metrics needs the read token and answers the Prometheus text format', async () => {
    expectError(await f.get('/metrics', null), 401, 3001, /bearer token is required/);
    const m = await f.get('/metrics');
    expect(m.status).toBe(200);
    expect(m.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(m.text).toContain('# TYPE delta_ops_tick_duration_seconds histogram');
  });
});

describe('GET /api/v1/system/status', () => {
  it('status, uptime, services, performance, accounts, operations, instance and leader', async () => {
    const s = expectOk(await f.get('/api/v1/system/status'));
    expect(Object.keys(s).sort()).toEqual(
      ['activeAccounts', 'alerts', 'feeds', 'instance', 'leader', 'performance', 'services', 'startedAt', 'status', 'timestamp', 'totalAccounts', 'totalOperations', 'uptime'].sort(),
    );
    expect(s['status']).toBe('healthy');
    expect(s['instance']).toEqual({ id: expect.any(String), role: 'single' });
    expect(s['leader']).toBeNull();
    expect(s['activeAccounts']).toBe(3);
    expect(s['totalAccounts']).toBe(3);
    const services = s['services'] as Json[];
    expect(services.map((x) => x['name'])).toEqual(['sync', 'alerts', 'outbox', 'discord', 'scheduler', 'store', 'http']);
    for (const x of services) expect(Object.keys(x)).toEqual(expect.arrayContaining(['name', 'status', 'lastHeartbeat', 'errorCount']));
    const byName = Object.fromEntries(services.map((x) => [x['name'], x]));
    expect(byName['sync']).toMatchObject({ status: 'healthy', lastHeartbeat: f.clock.now(), errorCount: 0 });
    expect(byName['discord']).toMatchObject({ status: 'off', lastHeartbeat: null });
    expect(byName['http']).toMatchObject({ status: 'healthy', detail: `listening on ${f.server.url}` });
    expect(Object.keys(s['performance'] as Json).sort()).toEqual(['avgResponseTime', 'cpuUsage', 'memoryUsage', 'operationsPerSecond', 'ticksPerMinute', 'totalTicks']);
    expect((s['performance'] as Json)['memoryUsage']).toBeGreaterThan(10);
    expect(s['alerts']).toMatchObject({ total: 3, bySeverity: { INFO: 0, WARN: 2, CRITICAL: 1 } });
    expect(s['feeds']).toEqual({ onBackup: [], noFeed: [] });
  });
});

describe('risk', () => {
  it('GET /api/v1/risk/metrics/:accountId: the contract fields with the hand-worked numbers', async () => {
    const m = expectOk(await f.get('/api/v1/risk/metrics/acc-3'));
    expect(m).toEqual({
      accountId: 'acc-3',
      venue: 'paper',
      deltaDeviation: 0.2,
      utilizationRate: 0.9,
      leverageRatio: 1.6,
      unrealizedPnl: 0,
      maxDrawdown: 0,
      marginRatio: null,
      liquidationDistance: null,
      riskLevel: 'medium',
      equity: 5000,
      available: 500,
      stale: false,
      timestamp: f.clock.now(),
    });
    // Case-insensitive, like the slash commands.
    expect(data(await f.get('/api/v1/risk/metrics/ACC-2'))['utilizationRate']).toBe(0.25);
  });

  it('an unknown account is 404 with error 1001, on every route that names one', async () => {
    expectError(await f.get('/api/v1/risk/metrics/nope'), 404, 1001, /Unknown account "nope"/);
    expectError(await f.get('/api/v1/risk/metrics/nope/history'), 404, 1001);
    expectError(await f.get('/api/v1/risk/alerts?accountId=nope'), 404, 1001);
    expectError(await f.post('/api/v1/delta/control', { symbol: 'BTC', accounts: ['nope'] }), 404, 1001);
    expectError(await f.post('/api/v1/utilization/rebalance', { accounts: ['acc-1', 'nope'] }), 404, 1001);
    expectError(await f.post('/api/v1/account/sync', { accounts: ['nope'] }, ADMIN_TOKEN), 404, 1001);
  });

  it('GET /api/v1/risk/metrics/:accountId/history: stored samples, newest first, limit and since', async () => {
    const before = f.clock.now();
    await f.t.tick(15_000);
    await f.t.tick(15_000);
    const h = expectOk(await f.get('/api/v1/risk/metrics/acc-3/history?limit=2'));
    expect(h['accountId']).toBe('acc-3');
    const samples = h['samples'] as Json[];
    expect(samples.map((x) => x['timestamp'])).toEqual([before + 30_000, before + 15_000]);
    expect(samples[0]).toEqual({ timestamp: before + 30_000, utilizationRate: 0.9, equity: 5000, available: 500, leverageRatio: 1.6, unrealizedPnl: 0, maxDrawdown: 0 });
    const since = expectOk(await f.get(`/api/v1/risk/metrics/acc-3/history?since=${before + 1}`));
    expect((since['samples'] as Json[]).length).toBe(2);
    expect(expectOk(await f.get('/api/v1/risk/metrics/acc-3/history'))['samples']).toHaveLength(3);
    expectError(await f.get('/api/v1/risk/metrics/acc-3/history?limit=0'), 400, 400, /limit/);
  });

  it('GET /api/v1/risk/alerts: RiskAlert[] with id, type, severity, accountId, message, timestamp, data; filters', async () => {
    const all = expectOk(await f.get('/api/v1/risk/alerts')) as unknown as Json[];
    expect(all).toHaveLength(3);
    for (const a of all) expect(Object.keys(a).sort()).toEqual(['accountId', 'data', 'id', 'message', 'severity', 'state', 'symbol', 'timestamp', 'type']);
    const util = all.find((a) => a['type'] === 'utilization')!;
    expect(util).toMatchObject({ severity: 'WARN', accountId: 'acc-3', symbol: null, id: expect.stringMatching(/^[0-9a-z]{4,}$/), message: expect.stringContaining('90.0%') });
    expect(util['data']).toMatchObject({ value: 0.9, threshold: 0.85, acknowledgedBy: null, silencedUntil: null });
    const eth = all.find((a) => a['symbol'] === 'ETH')!;
    expect(eth).toMatchObject({ type: 'delta', severity: 'CRITICAL', accountId: null });

    const acc3 = expectOk(await f.get('/api/v1/risk/alerts?accountId=acc-3&severity=WARN')) as unknown as Json[];
    expect(acc3.map((a) => a['type'])).toEqual(['utilization']);
    expect(expectOk(await f.get('/api/v1/risk/alerts?severity=CRITICAL'))).toHaveLength(1);
    expectError(await f.get('/api/v1/risk/alerts?severity=LOUD'), 400, 400, /severity/);
  });
});

describe('dry-run plans', () => {
  it('POST /api/v1/delta/control: the plan of /delta plan (reduce the long first, lot-rounded, slippage and fee)', async () => {
    const p = expectOk(await f.post('/api/v1/delta/control', { symbol: 'BTC-PERP' }));
    expect(p).toMatchObject({
      dryRun: true,
      symbol: 'BTC',
      initialDelta: 0.2,
      finalDelta: 0,
      deltaDeviation: 0.2,
      accountsProcessed: 2,
      totalAdjustments: 1,
      adjustmentNeeded: true,
      blocked: false,
      timestamp: f.clock.now(),
      operationId: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    expect(p['orders']).toEqual([expect.objectContaining({ account: 'acc-1', side: 'sell', amount: 0.2, estimatedPrice: 49_750, notional: 9_950, fee: 3.98, reduceOnly: true })]);
    expect(p['totalCost']).toBe(9_950);
    expect(p['netDeltaChange']).toBeCloseTo(-0.2, 12);
  });

  it('a deviation over maxDeviation returns the plan blocked with error 1002', async () => {
    const p = expectOk(await f.post('/api/v1/delta/control', { symbol: 'ETH', dryRun: true }));
    expect(p).toMatchObject({ blocked: true, errorCode: 1002, deltaDeviation: 0.2, maxDeviation: 0.1 });
  });

  it('dryRun: false is refused: 403, error 3001, "delta-ops never places orders"', async () => {
    expectError(await f.post('/api/v1/delta/control', { symbol: 'BTC', dryRun: false }), 403, 3001, /delta-ops never places orders/);
    expectError(await f.post('/api/v1/delta/control', { symbol: 'BTC', dryRun: false }, ADMIN_TOKEN), 403, 3001, /delta-ops never places orders/);
    expectError(await f.post('/api/v1/utilization/rebalance', { dryRun: false }), 403, 3001, /delta-ops never places orders/);
  });

  it('POST /api/v1/utilization/rebalance: per-account rows, transfers, deposits (the /utilization plan)', async () => {
    const p = expectOk(await f.post('/api/v1/utilization/rebalance', { targetUtilization: 0.75 }));
    expect(p).toMatchObject({ dryRun: true, targetUtilization: 0.75, tolerance: 0.1, totalEquity: 35_000, totalUsed: 15_500, timestamp: f.clock.now() });
    const rows = Object.fromEntries((p['accounts'] as Json[]).map((r) => [r['account'], r]));
    // acc-3: used 4,500 / 0.75 − 5,000 = +1,000 to add; acc-2: 5,000 / 0.75 − 20,000 = −13,333.33 surplus.
    expect(rows['acc-3']).toMatchObject({ utilization: 0.9, action: 'decrease', adjustmentAmount: 1000, withinTolerance: false });
    expect(rows['acc-2']).toMatchObject({ utilization: 0.25, action: 'increase', adjustmentAmount: -13_333.33 });
    expect(p['transfers']).toEqual(expect.arrayContaining([{ from: 'acc-2', to: 'acc-3', amount: 1000 }]));
    const only = expectOk(await f.post('/api/v1/utilization/rebalance', { accounts: ['acc-3'] }));
    expect((only['accounts'] as Json[]).map((r) => r['account'])).toEqual(['acc-3']);
  });

  it('invalid bodies are 400 with the field named; a malformed body is 400 too', async () => {
    expectError(await f.post('/api/v1/delta/control', {}), 400, 400, /symbol/);
    expectError(await f.post('/api/v1/delta/control', { symbol: 'BTC', tolerance: 2 }), 400, 400, /tolerance/);
    expectError(await f.post('/api/v1/delta/control', '{"symbol":'), 400, 400);
  });
});

describe('on-demand sync', () => {
  it('POST /api/v1/account/sync: the admin token syncs now; the read token is refused with 3001', async () => {
    expectError(await f.post('/api/v1/account/sync', {}), 403, 3001, /admin token/);
    const seqBefore = f.t.app.engine.snapshot()!.seq;
    const s = expectOk(await f.post('/api/v1/account/sync', { accounts: ['acc-1', 'ACC-3'] }, ADMIN_TOKEN));
    expect(s).toEqual({ seq: seqBefore + 1, synced: ['acc-1', 'acc-3'], failed: [], durationMs: expect.any(Number), timestamp: f.clock.now() });
    const all = expectOk(await f.post('/api/v1/account/sync', undefined, ADMIN_TOKEN));
    expect(all['synced']).toEqual(['acc-1', 'acc-2', 'acc-3']);
  });
});

describe('market data', () => {
  it('GET /api/v1/market-data/feeds: feeds per symbol, the active one, the last failover', async () => {
    const d = expectOk(await f.get('/api/v1/market-data/feeds'));
    expect(d['active']).toEqual({ BTC: 'paper', ETH: 'paper' });
    expect(d['lastFailover']).toBeNull();
    const btc = (d['feeds'] as Json[]).find((x) => x['symbol'] === 'BTC')!;
    expect(btc).toMatchObject({ primary: 'paper', active: 'paper', activeReason: expect.any(String) });
    expect((btc['feeds'] as Json[])[0]).toMatchObject({ name: 'paper', state: 'healthy', ok: true, mark: 50_000, errorCount: 0 });
  });

  it('POST /api/v1/market-data/failover: admin only, audited either way like the Discord command', async () => {
    const body = { symbol: 'BTC', targetFeed: 'paper', reason: 'pin for the maintenance window' };
    expectError(await f.post('/api/v1/market-data/failover', body), 403, 3001, /admin token/);
    expectError(await f.post('/api/v1/market-data/failover', { ...body, targetFeed: 'binance' }, ADMIN_TOKEN), 404, 404, /no feed "binance"/);
    const ok = expectOk(await f.post('/api/v1/market-data/failover', body, ADMIN_TOKEN));
    expect(ok).toMatchObject({ symbol: 'BTC', active: 'paper', pinned: { source: 'paper', by: 'HTTP API (admin token)', reason: 'pin for the maintenance window' } });
    const feeds = expectOk(await f.get('/api/v1/market-data/feeds'));
    expect(feeds['lastFailover']).toMatchObject({ symbol: 'BTC', kind: 'manual', to: 'paper', actor: 'HTTP API (admin token)' });
    const audit = await f.t.app.store.audit.list({ limit: 3 });
    expect(audit.map((e) => [e.action, e.outcome, e.actorId, e.source.startsWith('http:127.0.0.1')])).toEqual([
      ['failover', 'done', 'http:admin-token', true],
      ['failover', 'invalid', 'http:admin-token', true],
      ['failover', 'refused', 'http:read-token', true],
    ]);
  });
});

describe('authentication and errors', () => {
  it('a missing, malformed or wrong token is 401 with 3001; the admin token also reads', async () => {
    const missing = await f.get('/api/v1/risk/alerts', null);
    expectError(missing, 401, 3001, /bearer token is required/);
    expect(missing.headers.get('www-authenticate')).toBe('Bearer realm="delta-ops"');
    expectError(await f.get('/api/v1/system/status', `${READ_TOKEN}x`), 401, 3001, /Invalid bearer token/);
    expectError(await f.get('/api/v1/system/status', READ_TOKEN.slice(0, -1)), 401, 3001, /Invalid bearer token/);
    const res = await fetch(`${f.server.url}/api/v1/system/status`, { headers: { authorization: `Basic ${READ_TOKEN}` } });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/Malformed Authorization header/);
    expectOk(await f.get('/api/v1/system/status', ADMIN_TOKEN));
  });

  it('bodies: JSON only (415), a declared length (411), at most 64 KiB (413), present when required (400)', async () => {
    const post = (init: RequestInit): Promise<Answer> =>
      fetch(`${f.server.url}/api/v1/delta/control`, { method: 'POST', ...init, headers: { authorization: `Bearer ${READ_TOKEN}`, ...(init.headers as Record<string, string>) } }).then(async (r) => {
        const text = await r.text();
        return { status: r.status, headers: r.headers, text, json: JSON.parse(text) as Record<string, unknown> };
      });
    expectError(await post({ body: 'symbol=BTC', headers: { 'content-type': 'text/plain' } }), 415, 415);
    expectError(await post({ body: JSON.stringify({ symbol: 'BTC', pad: 'x'.repeat(70_000) }), headers: { 'content-type': 'application/json' } }), 413, 413, /over 64 KiB/);
    const stream = new ReadableStream({ start: (c) => (c.enqueue(new TextEncoder().encode('{"symbol":"BTC"}')), c.close()) });
    expectError(await post({ body: stream, headers: { 'content-type': 'application/json' }, duplex: 'half' } as RequestInit), 411, 411);
    expectError(await post({}), 400, 400);
  });

  it('an unknown route is 404 in the error envelope', async () => {
    expectError(await f.get('/api/v1/nothing-here'), 404, 404, /No route GET \/api\/v1\/nothing-here/);
  });

  it('more than 100 requests a minute from one client: 429 with error 3002 and Retry-After', async () => {
    // A second server on the same app with the configured (default) limit: 100 per 60 s.
    const cfg = f.t.app.config.http.rateLimit;
    expect(cfg).toEqual({ requests: 100, window: 60_000 });
    const limited = await startHttpServer(f.t.app, { listen: { host: '127.0.0.1', port: 0 }, tokens: { read: READ_TOKEN, admin: ADMIN_TOKEN }, rateLimit: { requests: cfg.requests, windowMs: cfg.window } });
    try {
      const get = (path: string): Promise<Response> => fetch(`${limited.url}${path}`, { headers: { authorization: `Bearer ${READ_TOKEN}` } });
      const statuses: number[] = [];
      for (let i = 0; i < 100; i++) statuses.push((await get('/api/v1/market-data/feeds')).status);
      expect(statuses.every((s) => s === 200)).toBe(true);
      const over = await get('/api/v1/risk/alerts');
      expect(over.status).toBe(429);
      expect(Number(over.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(await over.json()).toEqual({ success: false, error: { code: 3002, message: expect.stringMatching(/^Too many requests: at most 100 per 60 s/) }, timestamp: f.clock.now() });
      // A wrong token is limited too (no brute force), and probes never are.
      expect((await fetch(`${limited.url}/metrics`)).status).toBe(429);
      expect((await fetch(`${limited.url}/healthz`)).status).toBe(200);
    } finally {
      await limited.close();
    }
  });
});
