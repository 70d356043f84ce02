import SwaggerParser from '@apidevtools/swagger-parser';
import type { OpenAPI } from 'openapi-types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi } from '../../src/http/api.js';
import { ADMIN_TOKEN, startHttp, type HttpFixture } from './http-fixture.js';

let f: HttpFixture;
beforeAll(async () => {
  f = await startHttp();
});
afterAll(async () => {
  await f?.close();
});

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

describe('GET /api/v1/openapi.json', () => {
  it('is a valid OpenAPI 3 document (swagger-parser) served without a token', async () => {
    const r = await f.get('/api/v1/openapi.json', null);
    expect(r.status).toBe(200);
    expect(r.json['openapi']).toBe('3.0.3');
    // validate() dereferences in place: give it a copy.
    const api = await SwaggerParser.validate(structuredClone(r.json) as unknown as OpenAPI.Document);
    expect(api.info.title).toBe('delta-ops control plane');
  });

  it('lists every route the server serves, each with its method, and every listed route answers', async () => {
    const doc = (await f.get('/api/v1/openapi.json', null)).json as { paths: Record<string, Record<string, { security?: unknown[] }>> };
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) => METHODS.filter((m) => ops[m]).map((m) => `${m.toUpperCase()} ${path}`)).sort();
    // The routes the Hono app registered (middleware is registered as ALL), in OpenAPI's path syntax.
    const api = createApi(f.t.app, { tokens: {}, rateLimit: { requests: 1, windowMs: 1 } });
    const served = [...new Set(api.routes.filter((r) => r.method !== 'ALL').map((r) => `${r.method} ${r.path.replace(/:(\w+)/g, '{$1}')}`))].sort();
    expect(documented).toEqual(served);
    expect(documented).toEqual([
      'GET /api/v1/market-data/feeds',
      'GET /api/v1/openapi.json',
      'GET /api/v1/risk/alerts',
      'GET /api/v1/risk/metrics/{accountId}',
      'GET /api/v1/risk/metrics/{accountId}/history',
      'GET /api/v1/system/status',
      'GET /healthz',
      'GET /metrics',
      'GET /readyz',
      'POST /api/v1/account/sync',
      'POST /api/v1/delta/control',
      'POST /api/v1/market-data/failover',
      'POST /api/v1/utilization/rebalance',
    ]);
    // Token-free routes say so; every other one names the bearer scheme.
    const open = Object.entries(doc.paths).filter(([, ops]) => METHODS.some((m) => ops[m] && !ops[m].security)).map(([p]) => p).sort();
    expect(open).toEqual(['/api/v1/openapi.json', '/healthz', '/readyz']);
    for (const entry of documented) {
      const [method, path] = entry.split(' ') as [string, string];
      const url = path.replace('{accountId}', 'acc-1');
      const body = method === 'POST' ? { symbol: 'BTC', targetFeed: 'auto', reason: 'route check' } : undefined;
      const r = method === 'POST' ? await f.post(url, body, ADMIN_TOKEN) : await f.get(url, ADMIN_TOKEN);
      expect(r.status, `${entry}: ${r.text.slice(0, 200)}`).not.toBe(404);
    }
  });
});
