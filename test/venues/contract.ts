import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/core/clock.js';
import { ErrorCode } from '../../src/core/errors.js';
import type { Balance, Capabilities, FundingQuote, HedgerCapacity, MarketSpec, Position, PriceQuote } from '../../src/core/types.js';
import type { AccountRef, VenueAdapter } from '../../src/core/ports/venue-adapter.js';
import type { HttpVenueId } from '../../src/venues/http-adapters.js';
import type { RetryPolicy } from '../../src/venues/http/backoff.js';
import type { CircuitBreakerOptions } from '../../src/venues/http/circuit-breaker.js';
import type { Random, Sleep } from '../../src/venues/http/sleep.js';
import { ConnectProxy } from '../fakes/venues/connect-proxy.js';
import { closedPort, type FakeHttpServer } from '../fakes/venues/fake-http-server.js';
import { expectFields, expectVenueError } from './expect-helpers.js';

export { expectFields, expectVenueError };

export const CONTRACT_START = Date.UTC(2026, 0, 1, 3, 0);

/** What the suite hands an adapter factory: every time and randomness source is controlled. */
export interface AdapterDeps {
  baseUrl: string;
  clock: FakeClock;
  sleep: Sleep;
  random: Random;
  timeoutMs: number;
  retry: Partial<RetryPolicy>;
  breaker: Partial<CircuitBreakerOptions>;
}

type Expect<T, K extends keyof T> = Partial<T> & Pick<T, K>;

export interface ContractCase<F extends FakeHttpServer = FakeHttpServer> {
  venue: HttpVenueId;
  startFake(now: () => number): Promise<F>;
  account(fake: F): AccountRef;
  makeAdapter(deps: AdapterDeps): VenueAdapter;
  /** The request that carries the account's balance; faults are aimed at it. */
  accountPath: string | RegExp;
  /** Secrets that must never appear in an error message. */
  secrets?: string[];
  expected: {
    capabilities: Capabilities;
    balance: Balance;
    positions: Expect<Position, 'venueSymbol'>[];
    hedgerCapacity?: HedgerCapacity;
    prices: Expect<PriceQuote, 'symbol'>[];
    markets: Expect<MarketSpec, 'symbol'>[];
    /** Canonical symbols that must not be listed (spot, delivery, invalid, duplicate quote). */
    marketsExcluded: string[];
    funding: Expect<FundingQuote, 'symbol'>[];
  };
}

/** The shared contract: the same cases, fault injection included, for every adapter over its fake. */
export function runVenueContract<F extends FakeHttpServer>(c: ContractCase<F>): void {
  describe(`${c.venue} adapter contract`, () => {
    const clock = new FakeClock(CONTRACT_START);
    let fake: F;
    let delays: number[] = [];
    const adapters: VenueAdapter[] = [];

    const sleep: Sleep = async (ms, signal) => {
      signal?.throwIfAborted();
      delays.push(ms);
      clock.advance(ms);
    };
    const make = (over: Partial<AdapterDeps> = {}): VenueAdapter => {
      const a = c.makeAdapter({
        baseUrl: fake.apiBase, clock, sleep, random: () => 1, timeoutMs: 2000,
        retry: { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 1000, maxRetryAfterMs: 10_000 },
        breaker: { failureThreshold: 50, coolDownMs: 10_000 },
        ...over,
      });
      adapters.push(a);
      return a;
    };
    const account = (): AccountRef => c.account(fake);
    const hits = (): number => fake.requestsTo(c.accountPath).length;
    const safe = (e: Error): void => {
      expect(e.message).not.toMatch(/<|signature=|\{"/);
      for (const s of c.secrets ?? []) expect(e.message).not.toContain(s);
    };

    beforeAll(async () => {
      fake = await c.startFake(() => clock.now());
    });
    afterAll(async () => {
      await fake.stop();
    });
    beforeEach(() => {
      fake.reset();
      delays = [];
      clock.set(CONTRACT_START);
    });
    afterEach(async () => {
      await Promise.all(adapters.splice(0).map((a) => a.close()));
    });

    it('declares its venue and capability map', () => {
      const a = make();
      expect(a.venue).toBe(c.venue);
      expect(a.capabilities).toEqual(c.expected.capabilities);
    });

    it('reads the balance and keeps the raw payload', async () => {
      const state = await make().fetchAccount(account());
      expectFields(state.balance, c.expected.balance);
      expect(state.raw).toBeDefined();
      if (c.expected.hedgerCapacity) expectFields(state.hedgerCapacity, c.expected.hedgerCapacity);
    });

    it('maps positions: signed size in base units, multiplier applied, no zero rows', async () => {
      const { positions } = await make().fetchAccount(account());
      expect(positions.map((p) => p.venueSymbol).sort()).toEqual(c.expected.positions.map((p) => p.venueSymbol).sort());
      for (const want of c.expected.positions) expectFields(positions.find((p) => p.venueSymbol === want.venueSymbol), want);
    });

    it('reads mark prices per base unit (or none, when the capability says so)', async () => {
      const a = make();
      const prices = await a.fetchPrices();
      if (!a.capabilities.markPrices) expect(prices).toEqual([]);
      for (const want of c.expected.prices) expectFields(prices.find((p) => p.symbol === want.symbol), want);
      expect(new Set(prices.map((p) => p.symbol)).size).toBe(prices.length);
    });

    it('reads market specs: lot, tick, min notional, fee, multiplier', async () => {
      const markets = await make().fetchMarkets();
      for (const want of c.expected.markets) expectFields(markets.find((m) => m.symbol === want.symbol), want);
      for (const gone of c.expected.marketsExcluded) expect(markets.find((m) => m.symbol === gone), gone).toBeUndefined();
      expect(new Set(markets.map((m) => m.symbol)).size).toBe(markets.length);
    });

    it('normalises funding: rate per interval, interval hours, next funding time', async () => {
      const funding = await make().fetchFunding();
      for (const want of c.expected.funding) expectFields(funding.find((f) => f.symbol === want.symbol), want);
      for (const f of funding) {
        expect(Number.isFinite(f.rate)).toBe(true);
        expect(f.intervalHours).toBeGreaterThan(0);
      }
    });

    it('never sends a body with a GET', async () => {
      const a = make();
      await a.fetchAccount(account());
      await a.fetchMarkets();
      const gets = fake.requests.filter((r) => r.method === 'GET');
      expect(gets.length).toBeGreaterThan(0);
      for (const r of gets) expect(r.body).toBe('');
    });

    describe('faults', () => {
      it('timeout → 2001 retryable, retried with exponential backoff', async () => {
        fake.setFault('timeout', { path: c.accountPath });
        const e = await expectVenueError(make({ timeoutMs: 150 }).fetchAccount(account()));
        expect([e.code, e.retryable, e.kind]).toEqual([ErrorCode.VenueTimeout, true, 'timeout']);
        expect(hits()).toBe(3);
        expect(delays).toEqual([100, 200]);
        safe(e);
      });

      it("the caller's deadline → 2001, not retried", async () => {
        fake.setFault('timeout', { path: c.accountPath });
        const e = await expectVenueError(make().fetchAccount(account(), { signal: AbortSignal.timeout(100) }));
        expect([e.code, e.retryable]).toEqual([ErrorCode.VenueTimeout, true]);
        expect(hits()).toBe(1);
      });

      it('5xx → 2002 retryable after every attempt failed', async () => {
        fake.setFault('500', { path: c.accountPath });
        const e = await expectVenueError(make().fetchAccount(account()));
        expect([e.code, e.retryable, e.kind, e.status]).toEqual([ErrorCode.ConnectionFailed, true, 'server', 500]);
        expect(hits()).toBe(3);
        expect(delays).toEqual([100, 200]);
        safe(e);
      });

      it('one 5xx then success → the retry recovers', async () => {
        fake.setFault('502', { path: c.accountPath, times: 1 });
        const state = await make().fetchAccount(account());
        expectFields(state.balance, c.expected.balance);
        expect(hits()).toBe(2);
        expect(delays).toEqual([100]);
      });

      it('429 with Retry-After → waits exactly that long, then succeeds', async () => {
        fake.setFault('429', { path: c.accountPath, times: 1, retryAfter: '2' });
        const state = await make().fetchAccount(account());
        expectFields(state.balance, c.expected.balance);
        expect(hits()).toBe(2);
        expect(delays).toEqual([2000]);
      });

      it('429 with a Retry-After beyond the in-call limit → 2002 retryable, carrying the wait', async () => {
        fake.setFault('429', { path: c.accountPath, retryAfter: '60' });
        const e = await expectVenueError(make().fetchAccount(account()));
        expect([e.code, e.retryable, e.kind, e.retryAfterMs]).toEqual([ErrorCode.ConnectionFailed, true, 'rate-limited', 60_000]);
        expect(hits()).toBe(1);
        expect(delays).toEqual([]);
      });

      it('malformed JSON → 1005, body not echoed', async () => {
        fake.setFault('malformed', { path: c.accountPath });
        const e = await expectVenueError(make().fetchAccount(account()));
        expect([e.code, e.retryable, e.kind]).toEqual([ErrorCode.MarketDataUnavailable, true, 'bad-payload']);
        expect(hits()).toBe(1);
        safe(e);
      });

      it('HTML CloudFront 403 → 2002, not retryable, told apart from a JSON 403', async () => {
        fake.setFault('html403', { path: c.accountPath });
        const e = await expectVenueError(make().fetchAccount(account()));
        expect([e.code, e.retryable, e.kind, e.status]).toEqual([ErrorCode.ConnectionFailed, false, 'cdn-rejected', 403]);
        expect(e.message).toContain('The request could not be satisfied');
        expect(hits()).toBe(1);
        safe(e);
      });

      it('connection dropped (venue down) → 2002 retryable, retried', async () => {
        fake.setFault('down', { path: c.accountPath });
        const e = await expectVenueError(make().fetchAccount(account()));
        expect([e.code, e.retryable, e.kind]).toEqual([ErrorCode.ConnectionFailed, true, 'network']);
        expect(hits()).toBe(3);
        safe(e);
      });
    });

    describe('circuit breaker', () => {
      const deps = { breaker: { failureThreshold: 3, coolDownMs: 10_000 }, retry: { maxAttempts: 1 } };

      it('opens after N failures, fails fast without calling, half-opens after the cool-down', async () => {
        const a = make(deps);
        fake.setFault('500');
        for (let i = 0; i < 3; i++) expect((await expectVenueError(a.fetchMarkets())).kind).toBe('server');
        const before = fake.requests.length;
        const open = await expectVenueError(a.fetchAccount(account()));
        expect([open.code, open.retryable, open.kind]).toEqual([ErrorCode.ConnectionFailed, true, 'circuit-open']);
        expect(fake.requests.length).toBe(before);

        clock.advance(10_000);
        fake.clearFaults();
        const state = await a.fetchAccount(account());
        expectFields(state.balance, c.expected.balance);
        await a.fetchMarkets();
      });

      it('a failed half-open probe re-opens the circuit', async () => {
        const a = make(deps);
        fake.setFault('500');
        for (let i = 0; i < 3; i++) await expectVenueError(a.fetchMarkets());
        clock.advance(10_000);
        expect((await expectVenueError(a.fetchMarkets())).kind).toBe('server');
        const before = fake.requests.length;
        expect((await expectVenueError(a.fetchMarkets())).kind).toBe('circuit-open');
        expect(fake.requests.length).toBe(before);
      });
    });

    describe('proxy per account', () => {
      it('a dead proxy → 2002 retryable, credentials kept out of the message', async () => {
        const port = await closedPort();
        const e = await expectVenueError(make({ retry: { maxAttempts: 2, baseDelayMs: 100 } }).fetchAccount({ ...account(), proxyUrl: `http://user:hunter2@127.0.0.1:${port}` }));
        expect([e.code, e.retryable, e.kind]).toEqual([ErrorCode.ConnectionFailed, true, 'proxy']);
        expect(e.message).toContain('proxy');
        expect(e.message).not.toContain('hunter2');
        expect(hits()).toBe(0);
      });

      it('a working proxy carries the requests', async () => {
        const proxy = new ConnectProxy();
        const url = await proxy.start();
        try {
          const state = await make().fetchAccount({ ...account(), proxyUrl: url });
          expectFields(state.balance, c.expected.balance);
          expect(proxy.tunnels.length).toBeGreaterThan(0);
          expect(proxy.tunnels.every((t) => t === new URL(fake.url).host)).toBe(true);
        } finally {
          await Promise.all(adapters.splice(0).map((a) => a.close()));
          await proxy.stop();
        }
      });
    });
  });
}
