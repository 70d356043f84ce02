import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/core/clock.js';
import { ErrorCode } from '../../src/core/errors.js';
import { toFundingQuote, toPriceQuote } from '../../src/venues/binance-like/binance-like-map.js';
import { binanceError, premiumIndexRow } from '../../src/venues/binance-like/binance-like-schemas.js';
import { optionalInteger } from '../../src/venues/http/decimal.js';
import { PacificaAdapter } from '../../src/venues/pacifica/pacifica-adapter.js';
import { toFailureNotice } from '../../src/venues/rasa/rasa-map.js';
import { positionStateRow } from '../../src/venues/rasa/rasa-schemas.js';
import { PACIFICA_TS } from '../fakes/venues/fixtures/pacifica.js';
import { PacificaFake, type PacificaFakeAccount } from '../fakes/venues/pacifica-fake.js';
import { expectVenueError } from './expect-helpers.js';

/*
 * Issue #11 (1): live payloads carry numbers as strings where the docs show JSON numbers. The Pacifica
 * shapes below are the testnet capture in ccxt's static fixtures (`ts/src/test/static/response/pacifica.json`,
 * fetchBalance / fetchPositions), cited in venues.md §1.4.
 */
const CAPTURED_ACCOUNT = {
  balance: '100.717133',
  fee_level: '0',
  maker_fee: '0.00015',
  taker_fee: '0.0004',
  account_equity: '100.717133',
  available_to_spend: '100.717133',
  available_to_withdraw: '100.717133',
  pending_balance: '0',
  pending_interest: '0',
  total_margin_used: '0',
  cross_mmr: '0',
  positions_count: '0',
  orders_count: '0',
  stop_orders_count: '0',
  updated_at: '1769553883269',
};

const CAPTURED_POSITION = {
  symbol: 'BTC', side: 'ask', amount: '0.007', entry_price: '89114', margin: '0', funding: '0.009371',
  isolated: false, liquidation_price: '102443.420678', created_at: '1769554008249', updated_at: '1769554804949',
};

describe('pacifica: captured payloads with string counts and timestamps', () => {
  const clock = new FakeClock(PACIFICA_TS);
  const address = 'bNMBfVAEjgxhNruYTR2vSZ92UdVKP2pdZewEG7978Vt';
  const account = { id: 'pac-captured', venue: 'pacifica' as const, address };
  let fake: PacificaFake;
  let adapter: PacificaAdapter;

  beforeAll(async () => {
    fake = new PacificaFake(() => clock.now());
    await fake.start();
  });
  afterAll(async () => {
    await fake.stop();
  });
  beforeEach(() => {
    fake.reset();
    adapter = new PacificaAdapter({ baseUrl: fake.apiBase, clock, sleep: async () => undefined, retry: { maxAttempts: 1 } });
  });
  afterEach(async () => {
    await adapter.close();
  });

  const serve = (account: Record<string, unknown>): void => {
    // The fake types positions as the documented shape; the capture has string timestamps.
    const positions = [CAPTURED_POSITION] as unknown as PacificaFakeAccount['positions'];
    fake.addAccount(address, { account, positions });
  };

  it('reads the captured /account and /positions: equity 100.717133, BTC short 0.007 @ 89114', async () => {
    serve(CAPTURED_ACCOUNT);
    const state = await adapter.fetchAccount(account);
    expect(state.balance).toEqual({ equity: 100.717133, available: 100.717133, maintenanceMargin: 0 });
    // `ask` = short: size −0.007; leverage 5 comes from the fake's default account settings.
    expect(state.positions).toEqual([
      { symbol: 'BTC', venueSymbol: 'BTC', size: -0.007, entryPrice: 89114, liquidationPrice: 102443.420678, leverage: 5 },
    ]);
  });

  it('a field it never uses cannot fail the account, whatever it holds', async () => {
    serve({ ...CAPTURED_ACCOUNT, fee_level: 'n/a', positions_count: null, updated_at: '', spot_balances: 'unavailable' });
    const state = await adapter.fetchAccount(account);
    expect(state.balance).toEqual({ equity: 100.717133, available: 100.717133, maintenanceMargin: 0 });
  });

  it('a field it does use still has to be a number: 1005 naming the field', async () => {
    serve({ ...CAPTURED_ACCOUNT, account_equity: 'n/a' });
    const e = await expectVenueError(adapter.fetchAccount(account));
    expect([e.code, e.retryable, e.kind]).toEqual([ErrorCode.MarketDataUnavailable, false, 'bad-payload']);
    expect(e.message).toBe('pacifica GET /account: unusable response (unexpected shape at account_equity: not a decimal number)');
  });

  it('prices and markets with string timestamps and leverage; an unused field with junk is ignored', async () => {
    fake.prices = [{ symbol: 'BTC', mark: '89150', oracle: '89140', mid: 'n/a', funding: '0.0000125', next_funding: '0.000015', timestamp: '1769553881390' }];
    fake.markets = [{ symbol: 'BTC', tick_size: '1', lot_size: '0.00001', max_leverage: '50', min_order_size: '10', created_at: 'n/a', instrument_type: 'perpetual' }];
    expect(await adapter.fetchPrices()).toEqual([{ symbol: 'BTC', mark: 89150, index: 89140, ts: 1769553881390 }]);
    expect((await adapter.fetchMarkets())[0]?.maxLeverage).toBe(50);
    // 1769553881390 is 2026-01-27 22:44:41.390 UTC: next hourly funding at 23:00.
    expect(await adapter.fetchFunding()).toEqual([
      { symbol: 'BTC', venueSymbol: 'BTC', rate: 0.000015, intervalHours: 1, nextFundingTime: Date.UTC(2026, 0, 27, 23, 0) },
    ]);
  });

  it('an error envelope whose code is a string is still read: "1" on a 422 → unknown account 1001', async () => {
    fake.setFault('reply', { path: /\/account$/, status: 422, body: { success: false, data: null, error: 'Account not found', code: '1' } });
    const e = await expectVenueError(adapter.fetchAccount(account));
    expect([e.code, e.retryable, e.venueCode]).toEqual([ErrorCode.InvalidAccount, false, 1]);
  });
});

describe('the same leniency on the other venues', () => {
  it('optionalInteger: number, numeric string, null and empty', () => {
    expect([optionalInteger.parse(7), optionalInteger.parse('1769553883269'), optionalInteger.parse(null), optionalInteger.parse('')]).toEqual([7, 1769553883269, undefined, undefined]);
    expect(optionalInteger.safeParse('1.5').success).toBe(false);
  });

  it('binance-like: premium index with string times, error code as a string', () => {
    const row = premiumIndexRow.parse({ symbol: 'BTCUSDT', markPrice: '60500.1', indexPrice: '60490', lastFundingRate: '0.0001', nextFundingTime: '1767254400000', time: null });
    expect(toPriceQuote(row, 42)).toEqual({ symbol: 'BTC', mark: 60500.1, index: 60490, ts: 42 });
    expect(toFundingQuote(row, new Map())).toEqual({ symbol: 'BTC', venueSymbol: 'BTCUSDT', rate: 0.0001, intervalHours: 8, nextFundingTime: 1767254400000 });
    expect(binanceError.parse({ code: '-1021', msg: 'Timestamp outside recvWindow' })).toEqual({ code: -1021, msg: 'Timestamp outside recvWindow' });
  });

  it('rasa: a failed position-state entry with string code and time', () => {
    const row = positionStateRow.parse({ id: 7, quote_id: 123, last_seen_action: 'SendQuote', action_status: 'failed', error_code: '4012', modify_time: '1745970777', state_type: 1 });
    expect(toFailureNotice(row)).toBe('Rasa hedger: SendQuote failed for quote 123 (error 4012: order exceeds max capacity) at 2025-04-29T23:52:57.000Z');
  });
});
