import type { Logger } from 'pino';
import type { Clock } from '../../core/clock.js';
import type { VenueId } from '../../core/types.js';
import { backoffDelay, DEFAULT_RETRY_POLICY, type RetryPolicy } from './backoff.js';
import { DEFAULT_MAX_BODY_BYTES, readCappedBody } from './body-limit.js';
import { CircuitBreaker, DEFAULT_BREAKER, type CircuitBreakerOptions } from './circuit-breaker.js';
import { Dispatchers } from './dispatchers.js';
import { RateLimiter, type RateLimit } from './rate-limiter.js';
import { parseBody } from './response-body.js';
import { parseRetryAfter } from './retry-after.js';
import { realSleep, type Random, type Sleep } from './sleep.js';
import { statusError, type RawResponse } from './status-errors.js';
import { countsAgainstVenue, VenueError, venueErrors } from './venue-error.js';

export interface HttpClientOptions {
  venue: VenueId;
  /** Base URL, may carry a path prefix (`https://api.pacifica.fi/api/v1`). */
  baseUrl: string;
  timeoutMs: number;
  concurrency: number;
  clock: Clock;
  sleep?: Sleep;
  random?: Random;
  logger?: Logger;
  retry?: Partial<RetryPolicy>;
  /** Default bucket, one per egress (direct, or each proxy): venue limits are per IP. */
  rateLimit: RateLimit;
  breaker?: Partial<CircuitBreakerOptions>;
  /** Sent on every request (e.g. `PF-API-KEY`). Treated as secret: never logged. */
  headers?: Record<string, string>;
  /** Largest response body read, in bytes (default 8 MiB); a bigger one fails the call with 1005. */
  maxBodyBytes?: number;
  /**
   * Venue-specific reading of a response (error envelopes such as `{code,msg}` or `{success:false}`).
   * Return an error to fail the attempt, undefined to fall back to the generic status mapping.
   */
  inspect?: (res: RawResponse, where: { venue: VenueId; endpoint: string }) => VenueError | undefined;
}

export interface HttpRequest {
  method?: 'GET' | 'POST';
  path: string;
  /** Route name for errors and logs when the path carries ids (`/get_balance_info`); defaults to path. */
  route?: string;
  /** Built per attempt, so a signed query gets a fresh timestamp on retry. Already URL-encoded. */
  query?: () => string;
  headers?: Record<string, string>;
  /** JSON body; POST only (a GET with a body is rejected by Pacifica's CDN). */
  body?: unknown;
  weight?: number;
  /** Use this bucket instead of the egress default (e.g. Rasa's 1 req/s routes). */
  limiter?: RateLimiter;
  proxyUrl?: string;
  signal?: AbortSignal;
}

export interface HttpResult {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON body, exactly as the venue sent it. */
  json: unknown;
}

/**
 * The one way adapters talk HTTP: per-request timeout combined with the caller's deadline, retries with
 * backoff and jitter on network errors, timeouts, 5xx and 429 (honouring Retry-After), a weight-based
 * rate limiter and a circuit breaker per egress, optional proxy per account. Errors are `VenueError`s.
 */
export class HttpClient {
  readonly venue: VenueId;
  private readonly origin: string;
  private readonly basePath: string;
  private readonly policy: RetryPolicy;
  private readonly sleep: Sleep;
  private readonly random: Random;
  private readonly dispatchers: Dispatchers;
  private readonly limiters = new Map<string, RateLimiter>();
  private readonly breakers = new Map<string, CircuitBreaker>();

  constructor(private readonly opts: HttpClientOptions) {
    const url = new URL(opts.baseUrl);
    this.venue = opts.venue;
    this.origin = url.origin;
    this.basePath = url.pathname.replace(/\/+$/, '');
    this.policy = { ...DEFAULT_RETRY_POLICY, ...opts.retry };
    this.sleep = opts.sleep ?? realSleep;
    this.random = opts.random ?? Math.random;
    this.dispatchers = new Dispatchers({ origin: this.origin, concurrency: opts.concurrency });
  }

  async request(req: HttpRequest): Promise<HttpResult> {
    const method = req.method ?? 'GET';
    const where = { venue: this.venue, endpoint: `${method} ${req.route ?? req.path}` };
    const egress = req.proxyUrl ?? 'direct';
    const breaker = this.breakerFor(egress);
    const limiter = req.limiter ?? this.limiterFor(egress);
    for (let attempt = 1; ; attempt++) {
      if (breaker.state === 'open') throw venueErrors.circuitOpen(where, breaker.retryInMs());
      try {
        await limiter.acquire(req.weight ?? 1, req.signal);
      } catch (e) {
        throw venueErrors.aborted(where, e);
      }
      const admission = breaker.admit();
      if (admission === 'open' || (admission !== 'go' && !(await admission))) throw venueErrors.circuitOpen(where, breaker.retryInMs());
      const outcome = await this.attempt(req, method, where);
      if (!(outcome instanceof VenueError)) {
        breaker.onSuccess();
        return outcome;
      }
      if (countsAgainstVenue(outcome)) breaker.onFailure();
      else breaker.onSuccess();
      const delay = this.retryDelay(outcome, attempt, req.signal);
      this.opts.logger?.debug({ venue: this.venue, endpoint: where.endpoint, attempt, kind: outcome.kind, status: outcome.status, retryInMs: delay }, 'venue request failed');
      if (delay === undefined) throw outcome;
      if (outcome.kind === 'rate-limited') {
        // Everyone on this egress waits, not just this call: the venue's limit is per IP.
        limiter.blockUntil(this.opts.clock.now() + delay);
        continue;
      }
      try {
        await this.sleep(delay, req.signal);
      } catch (e) {
        throw venueErrors.aborted(where, e);
      }
    }
  }

  /** Circuit state for an egress (`direct` or a proxy URL); for status pages and tests. */
  circuitState(egress = 'direct'): CircuitBreaker['state'] {
    return this.breakerFor(egress).state;
  }

  async close(): Promise<void> {
    await this.dispatchers.close();
  }

  private async attempt(req: HttpRequest, method: 'GET' | 'POST', where: { venue: VenueId; endpoint: string }): Promise<HttpResult | VenueError> {
    const timeout = AbortSignal.timeout(this.opts.timeoutMs);
    const signal = req.signal ? AbortSignal.any([req.signal, timeout]) : timeout;
    const query = req.query?.() ?? '';
    const path = `${this.basePath}${req.path}${query ? `?${query}` : ''}`;
    const headers: Record<string, string> = { accept: 'application/json', ...this.opts.headers, ...req.headers };
    let body: string | undefined;
    if (req.body !== undefined) {
      body = JSON.stringify(req.body);
      headers['content-type'] = 'application/json';
    }
    let raw: RawResponse;
    try {
      const res = await this.dispatchers.for(req.proxyUrl).request({ origin: this.origin, path, method, headers, body, signal });
      const limit = this.opts.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
      const read = await readCappedBody(res, limit);
      if (read.kind === 'too-large') {
        this.opts.logger?.warn({ venue: this.venue, endpoint: where.endpoint, status: res.statusCode, limitBytes: limit, declaredBytes: read.declaredBytes }, 'venue response body over the limit; read aborted');
        return venueErrors.bodyTooLarge(where, limit, read.declaredBytes, res.statusCode);
      }
      const contentType = res.headers['content-type'];
      raw = { status: res.statusCode, headers: res.headers, body: parseBody(read.text, Array.isArray(contentType) ? contentType[0] : contentType) };
    } catch (e) {
      if (req.signal?.aborted) return venueErrors.aborted(where, req.signal.reason);
      if (timeout.aborted) return venueErrors.timeout(where, this.opts.timeoutMs, e);
      return req.proxyUrl ? venueErrors.proxy(where, e) : venueErrors.network(where, e);
    }
    return this.interpret(raw, where);
  }

  private interpret(raw: RawResponse, where: { venue: VenueId; endpoint: string }): HttpResult | VenueError {
    const venueErr = raw.body.kind === 'json' ? this.opts.inspect?.(raw, where) : undefined;
    if (venueErr) return venueErr;
    if (raw.status >= 400 || raw.status < 200) {
      return statusError(raw, where, parseRetryAfter(raw.headers['retry-after'], this.opts.clock.now()));
    }
    switch (raw.body.kind) {
      case 'json':
        return { status: raw.status, headers: raw.headers, json: raw.body.value };
      case 'html':
        return venueErrors.badPayload(where, 'HTML page instead of JSON', true, undefined, raw.status);
      case 'empty':
        return venueErrors.badPayload(where, 'empty body', true, undefined, raw.status);
      case 'malformed':
        return venueErrors.badPayload(where, 'malformed JSON', true, new Error(`body starts: ${raw.body.snippet}`), raw.status);
    }
  }

  /** Ms to wait before the next attempt, or undefined to give up and throw. */
  private retryDelay(err: VenueError, attempt: number, signal: AbortSignal | undefined): number | undefined {
    if (attempt >= this.policy.maxAttempts || signal?.aborted || !err.retryable) return undefined;
    const backoff = backoffDelay(this.policy, attempt, this.random);
    switch (err.kind) {
      case 'timeout':
      case 'network':
      case 'proxy':
      case 'server':
        return backoff;
      case 'rate-limited':
        if (err.retryAfterMs === undefined) return backoff;
        return err.retryAfterMs > this.policy.maxRetryAfterMs ? undefined : Math.max(err.retryAfterMs, backoff);
      default:
        return undefined;
    }
  }

  private breakerFor(egress: string): CircuitBreaker {
    let b = this.breakers.get(egress);
    if (!b) {
      b = new CircuitBreaker({ ...DEFAULT_BREAKER, ...this.opts.breaker }, this.opts.clock);
      this.breakers.set(egress, b);
    }
    return b;
  }

  private limiterFor(egress: string): RateLimiter {
    let l = this.limiters.get(egress);
    if (!l) {
      l = new RateLimiter(this.opts.rateLimit, this.opts.clock, this.sleep);
      this.limiters.set(egress, l);
    }
    return l;
  }
}

