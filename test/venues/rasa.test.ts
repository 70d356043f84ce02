import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/core/clock.js';
import { ErrorCode } from '../../src/core/errors.js';
import { RasaAdapter } from '../../src/venues/rasa/rasa-adapter.js';
import { RASA_NEXT_FUNDING } from '../fakes/venues/fixtures/rasa.js';
import { RASA_MULTI_ACCOUNT, RasaFake } from '../fakes/venues/rasa-fake.js';
import { CONTRACT_START, expectFields, expectVenueError, runVenueContract } from './contract.js';

const rasaAccount = (i = 0) => ({ id: `rasa-${i}`, venue: 'rasa' as const, address: RasaFake.address(i), multiAccountAddress: RASA_MULTI_ACCOUNT });
const BALANCE = { equity: 987.5, available: 880.2, maintenanceMargin: 107.3, unrealizedPnl: -12.5 };

runVenueContract<RasaFake>({
  venue: 'rasa',
  startFake: (now) => RasaFake.withAccounts(1, now),
  account: () => rasaAccount(),
  makeAdapter: (deps) => new RasaAdapter(deps),
  accountPath: '/get_balance_info',
  expected: {
    capabilities: { balances: true, positions: false, markPrices: false, funding: true, marketSpecs: true, hedgerCapacity: true, keyPermissions: false },
    // equity = allocated + upnl; maintenance = party_a_mm + cva + lf.
    balance: BALANCE,
    positions: [],
    hedgerCapacity: { used: 111969.99118371065, cap: 2438560.6679556343 },
    prices: [],
    markets: [
      { symbol: 'BTC', venueSymbol: 'BTCUSDT', lotSize: 0.001, tickSize: 0.1, minNotional: 100, takerFee: 0.0006, multiplier: 1, maxLeverage: 60 },
      { symbol: 'FIL', venueSymbol: 'FILUSDT', lotSize: 0.1, tickSize: 0.001, minNotional: 5, takerFee: 0.0008 },
      { symbol: 'PEPE', venueSymbol: '1000PEPEUSDT', lotSize: 100_000, tickSize: 1e-10, minNotional: 10, multiplier: 1000 },
    ],
    marketsExcluded: ['OLD'],
    // Long rate −0.00005394 (partyB pays partyA when positive) → longs pay 0.00005394 per 4 h epoch.
    funding: [
      { symbol: 'BTC', venueSymbol: 'BTCUSDT', rate: 0.00005394, intervalHours: 4, nextFundingTime: RASA_NEXT_FUNDING },
      { symbol: 'FIL', rate: 0.000060108, intervalHours: 4 },
    ],
  },
});

describe('rasa specifics', () => {
  const clock = new FakeClock(CONTRACT_START);
  let fake: RasaFake;
  let adapter: RasaAdapter;
  const make = (): RasaAdapter => new RasaAdapter({ baseUrl: fake.url, clock, sleep: async (ms) => void clock.advance(ms), retry: { maxAttempts: 2 } });

  beforeAll(async () => {
    fake = await RasaFake.withAccounts(2, () => clock.now());
  });
  afterAll(async () => {
    await fake.stop();
  });
  beforeEach(() => {
    fake.reset();
    fake.numberStyle = 'number';
    fake.upnlStyle = 'number';
    fake.omitUpnl = false;
    clock.set(CONTRACT_START);
    adapter = make();
  });
  afterEach(async () => {
    await adapter.close();
  });

  it('balance values as decimal strings give the same numbers', async () => {
    fake.numberStyle = 'string';
    expectFields((await adapter.fetchAccount(rasaAccount())).balance, BALANCE);
  });

  for (const style of ['number', 'string'] as const) {
    it(`falls back to /partyA_upnl (a bare ${style}) when balance info has no upnl`, async () => {
      fake.omitUpnl = true;
      fake.upnlStyle = style;
      expectFields((await adapter.fetchAccount(rasaAccount())).balance, BALANCE);
      expect(fake.requestsTo('/partyA_upnl')).toHaveLength(1);
    });
  }

  it('raises failed position-state entries within the window as notices, and asks only for that window', async () => {
    const state = await adapter.fetchAccount(rasaAccount());
    expect(state.notices).toEqual([
      `Rasa hedger: FailedToPutOnBinance failed for quote 131389 (error 4001: partyB solvency / max open interest reached) [HEDGER_ERROR] at ${new Date(CONTRACT_START - 30_000).toISOString()}`,
    ]);
    const req = fake.requestsTo('/position-state/0/100')[0]!;
    expect(req.method).toBe('POST');
    expect(JSON.parse(req.body)).toEqual({ address: RasaFake.address(0), modify_time_gte: (CONTRACT_START - 900_000) / 1000 });
  });

  it('a failing position-state log or open-interest route does not fail the account', async () => {
    fake.setFault('500', { path: '/position-state' });
    fake.setFault('429', { path: '/open-interest' });
    const state = await adapter.fetchAccount(rasaAccount());
    expectFields(state.balance, BALANCE);
    expect(state.notices).toBeUndefined();
    expect(state.hedgerCapacity).toBeUndefined();
  });

  it('hedger-wide open interest is fetched once for many accounts', async () => {
    await Promise.all([adapter.fetchAccount(rasaAccount(0)), adapter.fetchAccount(rasaAccount(1))]);
    expect(fake.requestsTo('/open-interest')).toHaveLength(1);
  });

  it('notional cap per symbol id, throttled to one call per 1.5 s', async () => {
    const delays: number[] = [];
    await adapter.close();
    adapter = new RasaAdapter({ baseUrl: fake.url, clock, sleep: async (ms) => void delays.push(ms) });
    expectFields(await adapter.fetchNotionalCap(1), { used: 17746.155, cap: 2344336.8317719237 });
    await adapter.fetchNotionalCap(1);
    expect(delays).toEqual([1500]);
    const e = await expectVenueError(adapter.fetchNotionalCap(7));
    expect([e.code, e.retryable, e.status]).toEqual([ErrorCode.ConnectionFailed, false, 400]);
  });

  it('an address missing from balance info → 1001', async () => {
    const e = await adapter.fetchAccount({ ...rasaAccount(), address: '0x0000000000000000000000000000000000000bad' }).catch((err: unknown) => err);
    expect(e).toMatchObject({ code: ErrorCode.InvalidAccount, retryable: false });
  });

  it('error messages name the route, not the addresses', async () => {
    fake.setFault('500', { path: '/get_balance_info' });
    const e = await expectVenueError(adapter.fetchAccount(rasaAccount()));
    expect(e.message).toContain('GET /get_balance_info');
    expect(e.message).not.toContain(RasaFake.address(0));
  });
});
