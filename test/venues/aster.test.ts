import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/core/clock.js';
import { AsterAdapter } from '../../src/venues/aster/aster-adapter.js';
import { startAsterFake } from '../fakes/venues/aster-fake.js';
import type { BinanceLikeFake } from '../fakes/venues/binance-like-fake.js';
import { BINANCE_TS } from '../fakes/venues/fixtures/binance-like.js';
import { binanceLikeExpected } from './binance-like-expectations.js';
import { runVenueContract } from './contract.js';

runVenueContract<BinanceLikeFake>({
  venue: 'aster',
  startFake: (now) => startAsterFake(1, now),
  account: () => ({ id: 'aster-1', venue: 'aster', credentials: { apiKey: 'key0', apiSecret: 'secret0' } }),
  makeAdapter: (deps) => new AsterAdapter(deps),
  accountPath: '/fapi/v4/account',
  secrets: ['secret0'],
  // Aster's documented V1 positionRisk is the v2 shape: leverage present, zero rows included.
  expected: binanceLikeExpected({ takerFee: 0.00035, leverage: true }),
});

describe('aster specifics', () => {
  const clock = new FakeClock(BINANCE_TS);
  let fake: BinanceLikeFake;
  let adapter: AsterAdapter;
  const account = { id: 'aster-1', venue: 'aster' as const, credentials: { apiKey: 'key0', apiSecret: 'secret0' } };

  beforeAll(async () => {
    fake = await startAsterFake(1, () => clock.now());
  });
  afterAll(async () => {
    await fake.stop();
  });
  beforeEach(() => {
    fake.reset();
    fake.positionRiskStyle = 'v2';
    adapter = new AsterAdapter({ baseUrl: fake.url, clock, sleep: async () => undefined, takerFee: 0.0002 });
  });
  afterEach(async () => {
    await adapter.close();
  });

  it('reads the V1 paths Aster documents: /fapi/v4/account and /fapi/v2/positionRisk', async () => {
    await adapter.fetchAccount(account);
    expect(fake.requests.map((r) => r.path).sort()).toEqual(['/fapi/v2/positionRisk', '/fapi/v4/account']);
  });

  it('accepts the live-v3 field set reported for Aster (unrealizedProfit, no mark/liquidation)', async () => {
    fake.positionRiskStyle = 'aster-live';
    const { positions } = await adapter.fetchAccount(account);
    expect(positions.map((p) => [p.symbol, p.size, p.unrealizedPnl, p.markPrice, p.liquidationPrice])).toEqual([
      ['BTC', 0.01, 5, undefined, undefined],
      ['ETH', -2.5, 125, undefined, undefined],
      ['PEPE', 150_000_000, 24, undefined, undefined],
    ]);
  });

  it("reads Aster's fundingInfo shape (numeric caps) and the default 8 h for unlisted symbols", async () => {
    const funding = await adapter.fetchFunding();
    expect(funding.map((f) => [f.venueSymbol, f.intervalHours])).toEqual([['BTCUSDT', 8], ['ETHUSDT', 8], ['1000PEPEUSDT', 4]]);
  });

  it('takes the configured taker fee', async () => {
    const markets = await adapter.fetchMarkets();
    expect(new Set(markets.map((m) => m.takerFee))).toEqual(new Set([0.0002]));
  });

  it('checkKey reads canTrade/canWithdraw from /fapi/v4/account', async () => {
    fake.accounts.get('key0')!.canWithdraw = true;
    expect(await adapter.checkKey(account)).toMatchObject({ canRead: true, canTrade: true, canWithdraw: true });
    expect(fake.requests.at(-1)?.path).toBe('/fapi/v4/account');
  });
});
