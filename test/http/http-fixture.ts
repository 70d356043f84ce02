import type { FakeClock } from '../../src/core/clock.js';
import type { LeadershipStatus } from '../../src/core/leadership/leader-elector.js';
import { startHttpServer, type HttpServer } from '../../src/http/server.js';
import { startInProcess, type InProcessApp } from '../reliability/in-process-app.js';

export const READ_TOKEN = 'read-token-0123456789abcdef';
export const ADMIN_TOKEN = 'admin-token-0123456789abcdef';
/** test/fixtures/scenario.yaml, ticked by hand: its numbers are worked out in test/e2e/entry-point.test.ts. */
export const SCENARIO = 'test/fixtures/scenario.yaml';

export interface HttpFixture {
  t: InProcessApp;
  clock: FakeClock;
  server: HttpServer;
  get(path: string, token?: string | null): Promise<Answer>;
  post(path: string, body: unknown, token?: string | null): Promise<Answer>;
  close(): Promise<void>;
}

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  /** The parsed body (JSON answers). */
  json: Record<string, unknown>;
}

/**
 * The real app (scenario book, SQLite in a temp dir, FakeClock, started: one tick done) behind the real
 * HTTP server on 127.0.0.1 with both tokens. `token` defaults to the read token; null sends none.
 */
export async function startHttp(
  opts: { env?: Record<string, string>; rateLimit?: { requests: number; windowMs: number }; patch?: (yaml: string) => string; leadership?: () => LeadershipStatus } = {},
): Promise<HttpFixture> {
  const t = await startInProcess({
    config: SCENARIO,
    env: { HTTP_READ_TOKEN: READ_TOKEN, HTTP_ADMIN_TOKEN: ADMIN_TOKEN, ...opts.env },
    // Ticks by hand only: the scheduler's start-up tick, then the test's.
    patch: (yaml) => (opts.patch ?? ((y: string) => y))(yaml.replace('tickInterval: 1s', 'tickInterval: 6h')),
    ...(opts.leadership ? { leadership: opts.leadership } : {}),
  });
  const tokens = { read: READ_TOKEN, admin: ADMIN_TOKEN };
  let server: HttpServer;
  try {
    server = await startHttpServer(t.app, { listen: { host: '127.0.0.1', port: 0 }, tokens, rateLimit: opts.rateLimit ?? { requests: 10_000, windowMs: 60_000 } });
  } catch (err) {
    await t.close();
    throw err;
  }
  const call = async (method: string, path: string, body: unknown, token: string | null | undefined): Promise<Answer> => {
    const headers: Record<string, string> = {};
    const bearer = token === undefined ? READ_TOKEN : token;
    if (bearer !== null) headers['authorization'] = `Bearer ${bearer}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${server.url}${path}`, { method, headers, ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}) });
    const text = await res.text();
    let json: Record<string, unknown> = {};
    try {
      json = JSON.parse(text) as Record<string, unknown>;
    } catch {
      // Not JSON (/metrics).
    }
    return { status: res.status, headers: res.headers, text, json };
  };
  return {
    t,
    clock: t.clock,
    server,
    get: (path, token) => call('GET', path, undefined, token),
    post: (path, body, token) => call('POST', path, body, token),
    async close() {
      await server.close();
      await t.close();
    },
  };
}
