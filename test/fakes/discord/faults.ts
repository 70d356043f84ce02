import type { ServerResponse } from 'node:http';

export interface RateLimitOptions {
  /** Only requests with this HTTP method (e.g. 'POST'); all methods when absent. */
  method?: string;
  /** Sends `X-RateLimit-Global: true` and `"global": true`, which makes discord.js stall every route. */
  global?: boolean;
  /** `X-RateLimit-Scope`: 'user' (default), 'shared' (per resource) or 'global'. */
  scope?: 'user' | 'shared' | 'global';
}

export interface ServerErrorOptions {
  method?: string;
}

export interface LostResponseOptions {
  method?: string;
  /** Runs right after the connection was cut (e.g. `() => fake.goDown()`: the outage starts there). */
  then?: () => void;
}

interface LostResponseRule {
  route: RegExp;
  method: string | null;
  remaining: number;
  then: (() => void) | undefined;
}

interface Rule {
  kind: 'rate-limit' | 'server-error';
  route: RegExp;
  method: string | null;
  remaining: number;
  retryAfterSec: number;
  global: boolean;
  scope: string;
  status: number;
}

/**
 * Scripted failures: the next N requests matching a route answer 429 (with Discord's real JSON body
 * and headers) or 5xx. Routes are matched against the path after `/api/v10`, e.g. `/channels/1/messages`.
 */
export class FaultInjector {
  rateLimitsServed = 0;
  serverErrorsServed = 0;
  responsesLost = 0;
  private rules: Rule[] = [];
  private lost: LostResponseRule[] = [];

  injectRateLimit(route: RegExp, count: number, retryAfterSec = 0.05, opts: RateLimitOptions = {}): void {
    this.rules.push({
      kind: 'rate-limit',
      route,
      method: opts.method?.toUpperCase() ?? null,
      remaining: count,
      retryAfterSec,
      global: opts.global ?? false,
      scope: opts.scope ?? (opts.global ? 'global' : 'user'),
      status: 429,
    });
  }

  injectServerError(route: RegExp, count: number, status = 500, opts: ServerErrorOptions = {}): void {
    this.rules.push({ kind: 'server-error', route, method: opts.method?.toUpperCase() ?? null, remaining: count, retryAfterSec: 0, global: false, scope: 'user', status });
  }

  /**
   * The next N matching requests are carried out (a message is created) but their answer never leaves:
   * the connection is cut instead. What a client sees when Discord accepted a post and then the network
   * failed: it cannot know, and must retry with the same nonce.
   */
  injectLostResponse(route: RegExp, count: number, opts: LostResponseOptions = {}): void {
    this.lost.push({ route, method: opts.method?.toUpperCase() ?? null, remaining: count, then: opts.then });
  }

  /** Consumes one lost-response rule matching a handled request; returns its callback holder, or null. */
  takeLostResponse(method: string, path: string): { then: (() => void) | undefined } | null {
    const rule = this.lost.find((r) => r.remaining > 0 && (r.method === null || r.method === method) && r.route.test(path));
    if (!rule) return null;
    rule.remaining -= 1;
    this.responsesLost += 1;
    return { then: rule.then };
  }

  clear(): void {
    this.rules = [];
    this.lost = [];
  }

  /** Consumes one matching rule and writes its response; returns the fault kind, or null if none. */
  serve(method: string, path: string, res: ServerResponse, now: number): Rule['kind'] | null {
    const rule = this.rules.find((r) => r.remaining > 0 && (r.method === null || r.method === method) && r.route.test(path));
    if (!rule) return null;
    rule.remaining -= 1;
    if (rule.kind === 'server-error') {
      this.serverErrorsServed += 1;
      const body = JSON.stringify({ message: `${rule.status}: ${statusText(rule.status)}`, code: 0 });
      res.writeHead(rule.status, { 'content-type': 'application/json' }).end(body);
      return rule.kind;
    }
    this.rateLimitsServed += 1;
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'retry-after': String(rule.retryAfterSec),
      'x-ratelimit-scope': rule.scope,
    };
    if (rule.global) {
      headers['x-ratelimit-global'] = 'true';
    } else {
      // Per-route limits also carry the bucket state, exhausted until the reset.
      headers['x-ratelimit-limit'] = '5';
      headers['x-ratelimit-remaining'] = '0';
      headers['x-ratelimit-reset'] = ((now + rule.retryAfterSec * 1000) / 1000).toFixed(3);
      headers['x-ratelimit-reset-after'] = rule.retryAfterSec.toFixed(3);
      headers['x-ratelimit-bucket'] = bucketHash(method, rule.route);
    }
    const body = JSON.stringify({ message: 'You are being rate limited.', retry_after: rule.retryAfterSec, global: rule.global });
    res.writeHead(429, headers).end(body);
    return rule.kind;
  }
}

function statusText(status: number): string {
  return { 500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout' }[status] ?? 'Server Error';
}

/** Discord bucket hashes are opaque; a stable one per rule keeps discord.js's bucket map sane. */
function bucketHash(method: string, route: RegExp): string {
  let h = 0;
  for (const ch of `${method} ${route.source}`) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return h.toString(16).padStart(8, '0');
}
