import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/core/clock.js';
import { ErrorCode } from '../../src/core/errors.js';
import { BinanceAdapter } from '../../src/venues/binance/binance-adapter.js';
import { hmacSignature } from '../../src/venues/binance-like/hmac-signer.js';
import type { Sleep } from '../../src/venues/http/sleep.js';
import type { BinanceLikeFake } from '../fakes/venues/binance-like-fake.js';
import { startBinanceFake } from '../fakes/venues/binance-fake.js';
import { BINANCE_TS } from '../fakes/venues/fixtures/binance-like.js';
import { binanceLikeExpected } from './binance-like-expectations.js';
import { expectFields, expectVenueError, runVenueContract } from './contract.js';

runVenueContract<BinanceLikeFake>({
  venue: 'binance',
  startFake: (now) => startBinanceFake(1, now),
  account: () => ({ id: 'bn-1', venue: 'binance', credentials: { apiKey: 'key0', apiSecret: 'secret0' } }),
  makeAdapter: (deps) => new BinanceAdapter(deps),
  accountPath: '/fapi/v3/account',
  secrets: ['secret0'],
  expected: binanceLikeExpected({ takerFee: 0.0005, leverage: false }),
});

describe('binance specifics', () => {
  const clock = new FakeClock(BINANCE_TS);
  let fake: BinanceLikeFake;
  let adapter: BinanceAdapter;
  let delays: number[];
  const sleep: Sleep = async (ms) => {
    delays.push(ms);
    clock.advance(ms);
  };
  const account = { id: 'bn-1', venue: 'binance' as const, credentials: { apiKey: 'key0', apiSecret: 'secret0' } };
  const make = (over: Partial<ConstructorParameters<typeof BinanceAdapter>[0]> = {}): BinanceAdapter =>
    new BinanceAdapter({ baseUrl: fake.url, clock, sleep, random: () => 1, retry: { maxAttempts: 2, baseDelayMs: 100 }, ...over });

  beforeAll(async () => {
    fake = await startBinanceFake(1, () => clock.now());
  });
  afterAll(async () => {
    await fake.stop();
  });
  beforeEach(() => {
    fake.reset();
    fake.serverSkewMs = 0;
    fake.positionRiskStyle = 'v3';
    clock.set(BINANCE_TS);
    delays = [];
    adapter = make();
  });
  afterEach(async () => {
    await adapter.close();
  });

  it('signs with the documented HMAC-SHA256 test vector', () => {
    const payload = 'symbol=BTCUSDT&side=BUY&type=LIMIT&quantity=1&price=9000&timeInForce=GTC&recvWindow=5000&timestamp=1591702613943';
    expect(hmacSignature(payload, '2b5eb11e18796d12d88f13dc27dbbd02c2cc51ff7059765ed9821957d82bb4d9')).toBe(
      '3c661234138461fcc7a7d8746c6558c9842d4e10870d2ecbedf7777cad694af9',
    );
  });

  it('sends the key header, recvWindow, timestamp and signature last', async () => {
    await adapter.fetchAccount(account);
    const r = fake.requestsTo('/fapi/v3/account')[0]!;
    expect(r.headers['x-mbx-apikey']).toBe('key0');
    expect(r.rawQuery).toMatch(/^recvWindow=5000&timestamp=\d+&signature=[0-9a-f]{64}$/);
    expect(Number(r.query.get('timestamp'))).toBe(BINANCE_TS);
  });

  it('a wrong secret → -1022 → 3001, not retried, nothing secret in the message', async () => {
    const e = await expectVenueError(adapter.fetchAccount({ ...account, credentials: { apiKey: 'key0', apiSecret: 'wrong-secret' } }));
    expect([e.code, e.retryable, e.venueCode]).toEqual([ErrorCode.PermissionDenied, false, -1022]);
    expect(fake.requestsTo('/fapi/v3/account')).toHaveLength(1);
    expect(e.message).not.toMatch(/wrong-secret|signature=|key0/);
  });

  it('an unknown key → -2015 → 3001', async () => {
    const e = await expectVenueError(adapter.fetchAccount({ ...account, credentials: { apiKey: 'nope', apiSecret: 'x' } }));
    expect([e.code, e.retryable, e.venueCode, e.status]).toEqual([ErrorCode.PermissionDenied, false, -2015, 401]);
  });

  it('missing credentials → 1001 before any request', async () => {
    const e = await adapter.fetchAccount({ id: 'bn-x', venue: 'binance' }).catch((err: unknown) => err);
    expect(e).toMatchObject({ code: ErrorCode.InvalidAccount });
    expect(fake.requests).toHaveLength(0);
  });

  it('-1021 (server clock 30 s ahead) → re-measures the offset from exchangeInfo and succeeds', async () => {
    fake.serverSkewMs = 30_000;
    const state = await adapter.fetchAccount(account);
    expect(state.balance.equity).toBe(10154);
    expect(fake.requestsTo('/fapi/v1/exchangeInfo')).toHaveLength(1);
    expect(adapter.serverTime.offset).toBeCloseTo(30_000, -1);
    fake.requests.length = 0;
    await adapter.fetchAccount(account);
    expect(fake.requests.map((r) => r.path).sort()).toEqual(['/fapi/v3/account', '/fapi/v3/positionRisk']);
  });

  it('markets first → the offset is already right, no -1021 at all', async () => {
    fake.serverSkewMs = -20_000;
    await adapter.fetchMarkets();
    await adapter.fetchAccount(account);
    expect(fake.requestsTo('/fapi/v1/exchangeInfo')).toHaveLength(1);
    expect(adapter.serverTime.offset).toBeCloseTo(-20_000, -1);
  });

  it('-1021 that a resync does not cure → 2002 retryable carrying the venue code', async () => {
    fake.setFault('reply', { path: '/fapi/v3/account', status: 400, body: { code: -1021, msg: 'Timestamp for this request is outside of the recvWindow.' } });
    const e = await expectVenueError(adapter.fetchAccount(account));
    expect([e.code, e.retryable, e.venueCode]).toEqual([ErrorCode.ConnectionFailed, true, -1021]);
    expect(fake.requestsTo('/fapi/v3/account')).toHaveLength(2);
  });

  it('418 ban → 2002 retryable, wait read from the ban message, not retried in-call', async () => {
    fake.setFault('418', { path: '/fapi/v3/account' });
    const e = await expectVenueError(adapter.fetchAccount(account));
    expect([e.code, e.retryable, e.kind, e.retryAfterMs]).toEqual([ErrorCode.ConnectionFailed, true, 'rate-limited', 120_000]);
    expect(fake.requestsTo('/fapi/v3/account')).toHaveLength(1);
  });

  it('429 with an HTTP-date Retry-After is honoured', async () => {
    fake.setFault('429', { path: '/fapi/v3/account', times: 1, retryAfter: new Date(BINANCE_TS + 3000).toUTCString() });
    await adapter.fetchAccount(account);
    expect(delays).toEqual([3000]);
  });

  it('spends weight per endpoint: a 10-weight budget makes the second sync wait for refill', async () => {
    await adapter.close();
    // This sleep does not move the clock, so each wait is measured from the same instant.
    adapter = make({ rateLimit: { weight: 10, windowMs: 60_000 }, sleep: async (ms) => void delays.push(ms) });
    await adapter.fetchAccount(account); // account 5 + positionRisk 5
    expect(delays).toEqual([]);
    await adapter.fetchAccount(account);
    expect(delays).toEqual([30_000, 60_000]);
  });

  it('accepts the v2 position shape: zero rows dropped, leverage kept', async () => {
    fake.positionRiskStyle = 'v2';
    const { positions } = await adapter.fetchAccount(account);
    expect(positions.map((p) => [p.venueSymbol, p.size, p.leverage])).toEqual([['BTCUSDT', 0.01, 10], ['ETHUSDT', -2.5, 5], ['1000PEPEUSDT', 150_000_000, 3]]);
  });

  it('accepts the `unrealizedProfit` spelling and rows without markPrice/liquidationPrice', async () => {
    fake.positionRiskStyle = 'aster-live';
    const { positions } = await adapter.fetchAccount(account);
    expectFields(positions[0], { symbol: 'BTC', unrealizedPnl: 5, markPrice: undefined, liquidationPrice: undefined });
  });

  it('prefers the USDT contract when USDC and delivery contracts share the canonical symbol', async () => {
    const [prices, funding] = await Promise.all([adapter.fetchPrices(), adapter.fetchFunding()]);
    expect(prices.filter((p) => p.symbol === 'BTC')).toHaveLength(1);
    expect(funding.find((f) => f.symbol === 'BTC')?.venueSymbol).toBe('BTCUSDT');
    expect(fake.requestsTo('/fapi/v1/premiumIndex')).toHaveLength(1); // shared within the tick
  });

  it('checkKey: read proven by a signed call, account-level flags from accountConfig', async () => {
    expect(await adapter.checkKey(account)).toMatchObject({ canRead: true, canTrade: true, canWithdraw: false });
    const bad = await adapter.checkKey({ ...account, credentials: { apiKey: 'nope', apiSecret: 'x' } });
    expect(bad.canRead).toBe(false);
    expect(bad.detail).toContain('-2015');
  });
});
