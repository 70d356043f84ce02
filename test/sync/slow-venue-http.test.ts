import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/core/clock.js';
import { ErrorCode } from '../../src/core/errors.js';
import type { VenueAdapter } from '../../src/core/ports/venue-adapter.js';
import { syncAccounts, type SyncAccount, type SyncDeps } from '../../src/core/sync/sync-accounts.js';
import type { VenueId } from '../../src/core/types.js';
import { createVenueAdapter } from '../../src/venues/http-adapters.js';
import { startBinanceFake } from '../fakes/venues/binance-fake.js';
import type { BinanceLikeFake } from '../fakes/venues/binance-like-fake.js';
import { BINANCE_TS } from '../fakes/venues/fixtures/binance-like.js';
import { PacificaFake } from '../fakes/venues/pacifica-fake.js';

/*
 * Issue #11 (3) as reported, with the real adapters over loopback fakes: Binance stops answering, and
 * every request of it (markets, prices, funding, accounts) times out per attempt and is retried with
 * backoff. Pacifica is healthy. The tick's 4 s budget (generous, so Pacifica's real round trips fit
 * even on a loaded machine) bounds Binance's retries; Pacifica's accounts come back ok. No timings
 * asserted: before the fix this tick took 4 s of market-data retries and then 3 × 4 s of Binance
 * accounts one at a time, 16 s, past this test's 12 s timeout.
 */
describe('a hanging venue over HTTP, its requests retried', () => {
  const clock = new FakeClock(BINANCE_TS);
  let pac: PacificaFake;
  let bn: BinanceLikeFake;
  const adapters = new Map<VenueId, VenueAdapter>();

  beforeAll(async () => {
    pac = await PacificaFake.withAccounts(2, () => clock.now());
    bn = await startBinanceFake(3, () => clock.now());
    bn.setFault('timeout');
    // Per attempt 1.5 s, 3 attempts with 250/500 ms backoff: about 5.3 s per call if nothing cut it
    // short. The circuit breaker, which would fail the rest fast after 5 timeouts, is out of reach: a
    // venue that is slow rather than down does not trip it, and every call then really waits.
    const common = { clock, timeoutMs: 1500, retry: { maxAttempts: 3 }, breaker: { failureThreshold: 1000 } };
    adapters.set('binance', createVenueAdapter('binance', { ...common, baseUrl: bn.url }));
    adapters.set('pacifica', createVenueAdapter('pacifica', { ...common, baseUrl: pac.apiBase }));
  });

  afterAll(async () => {
    await Promise.all([...adapters.values()].map((a) => a.close()));
    await Promise.all([pac.stop(), bn.stop()]);
  });

  it('binance accounts fail with 2001, pacifica accounts are ok, BTC is priced by pacifica', { timeout: 12_000 }, async () => {
    const accounts: SyncAccount[] = [
      ...Array.from({ length: 3 }, (_, i): SyncAccount => ({ id: `bn-${i}`, venue: 'binance', label: `bn-${i}`, credentials: { apiKey: `key${i}`, apiSecret: `secret${i}` } })),
      { id: 'pac-0', venue: 'pacifica', label: 'pac-0', address: PacificaFake.address(0) },
      { id: 'pac-1', venue: 'pacifica', label: 'pac-1', address: PacificaFake.address(1) },
    ];
    const deps: SyncDeps = { adapters, accounts, concurrency: 1, accountTimeoutMs: 4000, now: () => clock.now() };
    const s = await syncAccounts(deps, undefined, 1);
    expect(s.accounts.map((a) => [a.id, a.status, a.lastError?.code])).toEqual([
      ['bn-0', 'failed', ErrorCode.VenueTimeout],
      ['bn-1', 'failed', ErrorCode.VenueTimeout],
      ['bn-2', 'failed', ErrorCode.VenueTimeout],
      ['pac-0', 'ok', undefined],
      ['pac-1', 'ok', undefined],
    ]);
    // The fixture book: equity 2150.25 per Pacifica account; BTC mark 60 500 from Pacifica's prices.
    expect(s.accounts.find((a) => a.id === 'pac-0')?.state?.balance.equity).toBe(2150.25);
    expect(s.prices['BTC']).toMatchObject({ mark: 60_500, source: 'pacifica' });
    expect(s.markets.binance).toBeUndefined();
  });
});
