import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/core/clock.js';
import { buildFunding } from '../../src/core/queries/funding.js';
import { syncAccounts } from '../../src/core/sync/sync-accounts.js';
import type { FundingQuote } from '../../src/core/types.js';
import type { VenueAdapter } from '../../src/core/ports/venue-adapter.js';
import { createVenueAdapter } from '../../src/venues/http-adapters.js';
import { toFundingQuotes } from '../../src/venues/rasa/rasa-map.js';
import { startBinanceFake } from '../fakes/venues/binance-fake.js';
import type { BinanceLikeFake } from '../fakes/venues/binance-like-fake.js';
import { BINANCE_TS, NEXT_FUNDING } from '../fakes/venues/fixtures/binance-like.js';
import { account, pos, snapshot } from '../risk/fixtures.js';

const q = (symbol: string, venueSymbol: string, rate: number, intervalHours: number): FundingQuote => ({ symbol, venueSymbol, rate, intervalHours });

describe('buildFunding: hand-worked numbers', () => {
  it('a hedged BTC book: long on hourly Pacifica, short on 8-hourly Binance, Rasa quoted but not held', () => {
    // Rasa's documented example: next_funding_rate_long −0.000053940 (longs receive) per 14 400 s epoch.
    const rasa = toFundingQuotes({ BTCUSDT: { next_funding_time: 1744070400000, next_funding_rate_short: 0.000040455, next_funding_rate_long: -0.00005394, funding_rate_epoch_duration: 14400 } });
    expect(rasa).toEqual([{ symbol: 'BTC', venueSymbol: 'BTCUSDT', rate: 0.00005394, intervalHours: 4, nextFundingTime: 1744070400000 }]);
    const s = snapshot(
      [
        account('pac', { equity: 10_000, positions: [pos('BTC', 1, { venueSymbol: 'BTC' })] }, { venue: 'pacifica' }),
        account('bn', { equity: 10_000, positions: [pos('BTC', -1, { venueSymbol: 'BTCUSDT' })] }, { venue: 'binance' }),
      ],
      { BTC: 60_000 },
      { funding: { pacifica: [q('BTC', 'BTC', 0.000015, 1)], binance: [q('BTC', 'BTCUSDT', 0.0001, 8)], rasa } },
    );
    const f = buildFunding(s);
    const row = (venue: string) => f.rows.find((r) => r.venue === venue)!;
    // Pacifica: 0.0015 %/h → ×8 = 0.012 %/8 h; APR 0.000015 × 8760 = 13.14 %; the long pays 1 × 60 000 × 0.00012 = $7.20.
    expect(row('pacifica').rate8h).toBeCloseTo(0.00012, 12);
    expect(row('pacifica').apr).toBeCloseTo(0.1314, 10);
    expect(row('pacifica').carry8h).toBeCloseTo(-7.2, 9);
    // Binance: 0.01 %/8 h; APR 0.0001 / 8 × 8760 = 10.95 %; the short receives 1 × 60 000 × 0.0001 = $6.00.
    expect(row('binance').rate8h).toBeCloseTo(0.0001, 12);
    expect(row('binance').apr).toBeCloseTo(0.1095, 10);
    expect(row('binance').carry8h).toBeCloseTo(6, 9);
    // Rasa: longs pay −(−0.00005394) per 4 h → 0.00010788 per 8 h, APR 0.00005394 / 4 × 8760 = 11.81286 %; nothing held.
    expect(row('rasa')).toMatchObject({ bookSize: 0, carry8h: 0, intervalHours: 4 });
    expect(row('rasa').rate8h).toBeCloseTo(0.00010788, 12);
    expect(row('rasa').apr).toBeCloseTo(0.1181286, 10);
    // Net: −7.20 + 6.00 = −$1.20 per 8 h on $120 000 gross → −1.2 × 3 × 365 / 120 000 = −1.095 % APR.
    expect(f.netCarry8h).toBeCloseTo(-1.2, 9);
    expect(f.grossNotional).toBe(120_000);
    expect(f.netCarryApr).toBeCloseTo(-0.01095, 12);
    expect(buildFunding(s, 'ETH').rows).toEqual([]);
  });

  it('a venue quoting two contracts of one symbol charges each position once, on its own contract', () => {
    const s = snapshot(
      [account('bn', { equity: 1, positions: [pos('BTC', -0.5, { venueSymbol: 'BTCUSDC' }), pos('BTC', 0.2, { venueSymbol: 'BTCUSDT' })] }, { venue: 'binance' })],
      { BTC: 50_000 },
      { funding: { binance: [q('BTC', 'BTCUSDT', 0.0001, 8), q('BTC', 'BTCUSDC', 0.0002, 8), q('ETH', 'ETHUSDT', 0.0001, 0)] } },
    );
    const f = buildFunding(s);
    // The zero-interval quote is unusable and skipped.
    expect(f.rows.map((r) => [r.venueSymbol, r.bookSize, r.carry8h])).toEqual([
      ['BTCUSDC', -0.5, 0.5 * 50_000 * 0.0002],
      ['BTCUSDT', 0.2, -0.2 * 50_000 * 0.0001],
    ]);
    expect(f.grossNotional).toBe(35_000);
    expect(f.netCarry8h).toBeCloseTo(5 - 1, 12);
  });
});

/*
 * The book of config/delta-ops.example.yaml, all on the paper venue (one venue, so each contract nets):
 *   desk-a BTC +2.0, ETH −30; desk-b BTC −1.2, ETH +20; desk-c BTC −0.8, ETH +10
 *   BTC mark 60,000, 0.0001 per 8 h; ETH mark 3,000, 0.00008 per 1 h.
 */
function exampleBook(deskCBtc: number) {
  const paper = (id: string, btc: number, eth: number) =>
    account(id, { equity: 50_000, positions: [pos('BTC', btc, { venueSymbol: 'BTC-PERP' }), pos('ETH', eth, { venueSymbol: 'ETH-PERP' })] });
  return snapshot(
    [paper('desk-a', 2, -30), paper('desk-b', -1.2, 20), paper('desk-c', deskCBtc, 10)],
    { BTC: 60_000, ETH: 3_000 },
    { funding: { paper: [q('BTC', 'BTC-PERP', 0.0001, 8), q('ETH', 'ETH-PERP', 0.00008, 1)] } },
  );
}

describe('buildFunding: the carry APR divides by the gross notional of the positions', () => {
  it('a fully hedged book: no carry on $420,000 gross (not "0 % on $0")', () => {
    const f = buildFunding(exampleBook(-0.8));
    // BTC net 2 − 1.2 − 0.8 = 0, gross (2 + 1.2 + 0.8) × 60,000 = 240,000;
    // ETH net −30 + 20 + 10 = 0, gross (30 + 20 + 10) × 3,000 = 180,000.
    expect(f.rows.map((r) => [r.symbol, r.bookSize, r.grossNotional, r.carry8h])).toEqual([
      ['BTC', 0, 240_000, 0],
      ['ETH', 0, 180_000, 0],
    ]);
    // 240,000 + 180,000 = 420,000; net carry 0 → APR 0.
    expect([f.netCarry8h, f.grossNotional, f.netCarryApr]).toEqual([0, 420_000, 0]);
  });

  it('a partly hedged book: the APR is on the whole gross, not the rate\'s own APR', () => {
    // desk-c's short shrinks to −0.5 (the example's tick 40): BTC net 2 − 1.2 − 0.5 = 0.3 long.
    const f = buildFunding(exampleBook(-0.5));
    // BTC carry = −0.3 × 60,000 × 0.0001 = −1.80 per 8 h; gross (2 + 1.2 + 0.5) × 60,000 = 222,000.
    expect(f.rows.map((r) => [r.symbol, r.bookSize, r.grossNotional, r.carry8h])).toEqual([
      ['BTC', 0.3, 222_000, -1.8],
      ['ETH', 0, 180_000, 0],
    ]);
    // APR = −1.80 × 3 × 365 / (222,000 + 180,000) = −1,971 / 402,000 ≈ −0.4903 %.
    // (Dividing by the net's 0.3 × 60,000 = 18,000 would give −10.95 %, the rate's own APR.)
    expect(f.netCarry8h).toBe(-1.8);
    expect(f.grossNotional).toBe(402_000);
    expect(f.netCarryApr).toBe((-1.8 * 3 * 365) / 402_000);
    expect(f.netCarryApr.toFixed(6)).toBe('-0.004903');
  });
});

describe('buildFunding over the Binance adapter and its fake', () => {
  const clock = new FakeClock(BINANCE_TS);
  let fake: BinanceLikeFake;
  let adapter: VenueAdapter;

  beforeAll(async () => {
    fake = await startBinanceFake(1, () => clock.now());
    adapter = createVenueAdapter('binance', { baseUrl: fake.url, clock, retry: { maxAttempts: 1 } });
  });
  afterAll(async () => {
    await adapter.close();
    await fake.stop();
  });

  it('normalises lastFundingRate by fundingIntervalHours and charges the book in base units', async () => {
    const s = await syncAccounts(
      { adapters: new Map([['binance', adapter]]), accounts: [{ id: 'bn', venue: 'binance', label: 'bn', credentials: { apiKey: 'key0', apiSecret: 'secret0' } }], concurrency: 1, accountTimeoutMs: 2000, now: () => clock.now() },
      undefined,
      1,
    );
    const f = buildFunding(s);
    expect(f.rows.map((r) => [r.symbol, r.venueSymbol, r.intervalHours, r.bookSize])).toEqual([
      ['BTC', 'BTCUSDT', 8, 0.01],
      ['ETH', 'ETHUSDT', 8, -2.5],
      ['PEPE', '1000PEPEUSDT', 4, 150_000_000],
    ]);
    const [btc, eth, pepe] = f.rows;
    // BTC: 0.01 × 60 500 × 0.0001 paid by the long.
    expect(btc?.carry8h).toBeCloseTo(-0.0605, 12);
    expect(btc?.nextFundingTime).toBe(NEXT_FUNDING);
    // ETH: the short pays a negative rate: −(−2.5) × 2950 × (−0.00005) = −0.36875.
    expect(eth?.carry8h).toBeCloseTo(-0.36875, 12);
    // PEPE: 0.0002 per 4 h → 0.0004 per 8 h, APR 43.8 %; 150 000 contracts × 1000 PEPE × $0.0000125 = $1 875 → −$0.75.
    expect(pepe?.rate8h).toBeCloseTo(0.0004, 12);
    expect(pepe?.apr).toBeCloseTo(0.438, 10);
    expect(pepe?.carry8h).toBeCloseTo(-0.75, 9);
    // Net −1.17925 per 8 h on 605 + 7375 + 1875 = 9855 gross → −1.17925 × 1095 / 9855.
    expect(f.netCarry8h).toBeCloseTo(-1.17925, 9);
    expect(f.grossNotional).toBeCloseTo(9855, 6);
    expect(f.netCarryApr).toBeCloseTo(-0.1310277777, 9);
  });
});
