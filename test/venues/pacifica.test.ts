import { request } from 'undici';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/core/clock.js';
import { ErrorCode } from '../../src/core/errors.js';
import { PacificaAdapter } from '../../src/venues/pacifica/pacifica-adapter.js';
import { PACIFICA_TS } from '../fakes/venues/fixtures/pacifica.js';
import { PacificaFake } from '../fakes/venues/pacifica-fake.js';
import { expectFields, expectVenueError, runVenueContract } from './contract.js';

runVenueContract<PacificaFake>({
  venue: 'pacifica',
  startFake: (now) => PacificaFake.withAccounts(1, now),
  account: () => ({ id: 'pac-1', venue: 'pacifica', address: PacificaFake.address(0) }),
  makeAdapter: (deps) => new PacificaAdapter(deps),
  accountPath: /\/account$/,
  expected: {
    capabilities: { balances: true, positions: true, markPrices: true, funding: true, marketSpecs: true, hedgerCapacity: false, keyPermissions: false },
    balance: { equity: 2150.25, available: 1800.75, maintenanceMargin: 420.69 },
    positions: [
      // Negative liquidation price (a long far from liquidation) → none; leverage from account settings.
      { venueSymbol: 'BTC', symbol: 'BTC', size: 0.5, entryPrice: 60000, liquidationPrice: undefined, leverage: 5 },
      { venueSymbol: 'AAVE', symbol: 'AAVE', size: -223.72, entryPrice: 279.283134, liquidationPrice: undefined },
      { venueSymbol: 'kBONK', symbol: 'BONK', size: 1_500_000, entryPrice: 0.000021, liquidationPrice: 0.0000105 },
    ],
    prices: [
      { symbol: 'BTC', mark: 60500, index: 60490, ts: PACIFICA_TS },
      { symbol: 'BONK', mark: 0.0000222, index: 0.0000221 },
    ],
    markets: [
      { symbol: 'BTC', venueSymbol: 'BTC', lotSize: 0.00001, tickSize: 1, minNotional: 10, takerFee: 0.0004, multiplier: 1, maxLeverage: 50 },
      { symbol: 'BONK', venueSymbol: 'kBONK', lotSize: 1000, tickSize: 1e-9, minNotional: 10, multiplier: 1000, maxLeverage: 10 },
    ],
    marketsExcluded: ['SOL'],
    funding: [
      { symbol: 'BTC', venueSymbol: 'BTC', rate: 0.000015, intervalHours: 1, nextFundingTime: Date.UTC(2026, 0, 1, 1, 0) },
      { symbol: 'AAVE', rate: -0.000025, intervalHours: 1 },
      { symbol: 'BONK', venueSymbol: 'kBONK', rate: 0.00001 },
    ],
  },
});

describe('pacifica specifics', () => {
  const clock = new FakeClock(PACIFICA_TS);
  let fake: PacificaFake;
  let adapter: PacificaAdapter;
  const account = { id: 'pac-1', venue: 'pacifica' as const, address: PacificaFake.address(0) };
  const make = (apiKey?: string): PacificaAdapter =>
    new PacificaAdapter({ baseUrl: fake.apiBase, clock, sleep: async () => undefined, retry: { maxAttempts: 2 }, ...(apiKey ? { apiKey } : {}) });

  beforeAll(async () => {
    fake = await PacificaFake.withAccounts(1);
  });
  afterAll(async () => {
    await fake.stop();
  });
  beforeEach(() => {
    fake.reset();
    fake.accountAsArray = false;
    adapter = make();
  });
  afterEach(async () => {
    await adapter.close();
  });

  it('accepts the account payload as a one-element array (older docs)', async () => {
    fake.accountAsArray = true;
    const state = await adapter.fetchAccount(account);
    expectFields(state.balance, { equity: 2150.25, available: 1800.75, maintenanceMargin: 420.69 });
  });

  it('sends PF-API-KEY only when configured, and no key in any error', async () => {
    await adapter.fetchPrices();
    expect(fake.requests[0]?.headers['pf-api-key']).toBeUndefined();
    await adapter.close();
    adapter = make('pf-secret-key');
    await adapter.fetchPrices();
    expect(fake.requests[1]?.headers['pf-api-key']).toBe('pf-secret-key');
    fake.setFault('500');
    const e = await expectVenueError(adapter.fetchPrices());
    expect(e.message).not.toContain('pf-secret-key');
  });

  it('unknown account (422, business code 1) → 1001, not retried', async () => {
    const e = await expectVenueError(adapter.fetchAccount({ ...account, address: 'NoSuchAccount111111111111111111111111111111' }));
    expect([e.code, e.retryable, e.venueCode]).toEqual([ErrorCode.InvalidAccount, false, 1]);
    expect(fake.requestsTo(/\/account$/)).toHaveLength(1);
  });

  it('JSON 403 (restricted / beta access) → 3001, unlike the CloudFront HTML 403', async () => {
    fake.setFault('reply', { path: /\/account$/, status: 403, body: { success: false, data: null, error: 'Beta access required. Signer must redeem a valid beta code.', code: 403 } });
    const e = await expectVenueError(adapter.fetchAccount(account));
    expect([e.code, e.retryable, e.kind]).toEqual([ErrorCode.PermissionDenied, false, 'auth']);
    expect(e.message).toContain('Beta access required');
  });

  it('success:false with a 5xx code inside a 200 → retried as a venue error', async () => {
    fake.setFault('reply', { path: /\/account$/, status: 200, times: 1, body: { success: false, data: null, error: 'Internal server error', code: 500 } });
    const state = await adapter.fetchAccount(account);
    expect(state.balance.equity).toBe(2150.25);
    expect(fake.requestsTo(/\/account$/)).toHaveLength(2);
  });

  it('the fake rejects a GET that carries a body with CloudFront\'s HTML 403, as the FAQ says', async () => {
    const res = await request(`${fake.apiBase}/positions?account=${account.address}`, { method: 'GET', body: '{}' });
    expect(res.statusCode).toBe(403);
    expect(await res.body.text()).toContain('The request could not be satisfied');
  });

  it('leverage: from settings when listed, else the market max_leverage once markets are known', async () => {
    let state = await adapter.fetchAccount(account);
    expect(state.positions.find((p) => p.venueSymbol === 'AAVE')?.leverage).toBeUndefined();
    await adapter.fetchMarkets();
    state = await adapter.fetchAccount(account);
    expect(state.positions.map((p) => [p.venueSymbol, p.leverage])).toEqual([['BTC', 5], ['AAVE', 20], ['kBONK', 10]]);
  });

  it('settings failing does not fail the account sync', async () => {
    fake.setFault('500', { path: '/account/settings' });
    const state = await adapter.fetchAccount(account);
    expect(state.positions).toHaveLength(3);
    expect(state.positions[0]?.leverage).toBeUndefined();
  });

  it('a payload of the wrong shape → 1005 naming the field, not retryable', async () => {
    fake.accounts.get(account.address)!.positions[0]!.side = 'long' as 'bid';
    try {
      const e = await expectVenueError(adapter.fetchAccount(account));
      expect([e.code, e.retryable, e.kind]).toEqual([ErrorCode.MarketDataUnavailable, false, 'bad-payload']);
      expect(e.message).toContain('0.side');
    } finally {
      fake.accounts.get(account.address)!.positions[0]!.side = 'bid';
    }
  });
});
