import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/core/clock.js';
import { FeedManager } from '../../src/core/feeds/feed-manager.js';
import { feedSettings } from '../../src/core/feeds/settings.js';
import { syncAccounts, type SyncAccount, type SyncDeps } from '../../src/core/sync/sync-accounts.js';
import type { AccountSnapshot, Snapshot, VenueId } from '../../src/core/types.js';
import type { VenueAdapter } from '../../src/core/ports/venue-adapter.js';
import { createVenueAdapter } from '../../src/venues/http-adapters.js';
import { startBinanceFake } from '../fakes/venues/binance-fake.js';
import type { BinanceLikeFake } from '../fakes/venues/binance-like-fake.js';
import { BINANCE_TS } from '../fakes/venues/fixtures/binance-like.js';
import { PacificaFake } from '../fakes/venues/pacifica-fake.js';

/*
 * Sync level, real adapters over loopback fakes: Binance goes down (connections dropped). Its accounts
 * fail tick after tick while Pacifica's stay fresh; BTC, quoted by both, fails over to Pacifica; when
 * Binance answers again (after its circuit breaker's cool-down) everything recovers.
 */
describe('sync with one venue down', () => {
  const clock = new FakeClock(BINANCE_TS);
  let pac: PacificaFake;
  let bn: BinanceLikeFake;
  let deps: SyncDeps;
  const adapters = new Map<VenueId, VenueAdapter>();

  beforeAll(async () => {
    pac = await PacificaFake.withAccounts(2, () => clock.now());
    bn = await startBinanceFake(2, () => clock.now());
    // Generous timeouts: 'down' fails at once, so they cost nothing, and the first tick (cold connections,
    // market data and accounts in flight together) must not time out on a loaded CI machine.
    const common = { clock, timeoutMs: 4000, retry: { maxAttempts: 1 }, breaker: { failureThreshold: 5, coolDownMs: 30_000 } };
    adapters.set('binance', createVenueAdapter('binance', { ...common, baseUrl: bn.url }));
    adapters.set('pacifica', createVenueAdapter('pacifica', { ...common, baseUrl: pac.apiBase }));
    const accounts: SyncAccount[] = [
      { id: 'bn-0', venue: 'binance', label: 'bn-0', credentials: { apiKey: 'key0', apiSecret: 'secret0' } },
      { id: 'pac-0', venue: 'pacifica', label: 'pac-0', address: PacificaFake.address(0) },
      { id: 'bn-1', venue: 'binance', label: 'bn-1', credentials: { apiKey: 'key1', apiSecret: 'secret1' } },
      { id: 'pac-1', venue: 'pacifica', label: 'pac-1', address: PacificaFake.address(1) },
    ];
    const feeds = new FeedManager({ settings: feedSettings({ failAfter: 2 }, ['binance', 'pacifica']) });
    deps = { adapters, accounts, concurrency: 4, accountTimeoutMs: 8000, now: () => clock.now(), feeds };
  });

  afterAll(async () => {
    await Promise.all([...adapters.values()].map((a) => a.close()));
    await Promise.all([pac.stop(), bn.stop()]);
  });

  let prev: Snapshot | undefined;
  let seq = 0;
  const tick = async (): Promise<Snapshot> => {
    clock.advance(15_000);
    prev = await syncAccounts(deps, prev, ++seq);
    return prev;
  };
  const byId = (s: Snapshot): Map<string, AccountSnapshot> => new Map(s.accounts.map((a) => [a.id, a]));

  it('keeps the healthy venue fresh, fails the down venue\'s accounts tick after tick, and recovers them', async () => {
    const first = await tick();
    expect(first.accounts.map((a) => a.status)).toEqual(['ok', 'ok', 'ok', 'ok']);
    expect(first.prices['BTC']).toMatchObject({ source: 'binance', mark: 60_500 });
    const firstOk = first.takenAt;

    bn.setFault('down');
    for (let n = 1; n <= 4; n++) {
      const s = await tick();
      const a = byId(s);
      for (const id of ['pac-0', 'pac-1']) expect(a.get(id)).toMatchObject({ status: 'ok', lastSuccessAt: s.takenAt, consecutiveFailures: 0 });
      for (const id of ['bn-0', 'bn-1']) {
        expect(a.get(id)).toMatchObject({ status: 'failed', consecutiveFailures: n, lastSuccessAt: firstOk, lastAttemptAt: s.takenAt });
        expect(a.get(id)?.lastError?.code).toBe(2002);
        // The last good numbers stay visible (marked failed, i.e. stale).
        expect(a.get(id)?.state?.balance.equity).toBe(10_154);
      }
      // BTC: one failed price fetch degrades binance; the second fails it over to pacifica.
      expect(s.prices['BTC']?.source).toBe(n === 1 ? 'binance' : 'pacifica');
    }
    const down = prev!;
    expect(down.feeds?.find((f) => f.symbol === 'BTC')).toMatchObject({ primary: 'binance', active: 'pacifica' });
    // Binance-only symbols have no feed left: the failover rule's CRITICAL input.
    expect(down.feeds?.find((f) => f.symbol === 'ETH')?.active).toBeUndefined();
    expect(down.feeds?.find((f) => f.symbol === 'ETH')?.feeds.map((f) => f.ok)).toEqual([false]);

    bn.clearFaults();
    // The breaker opened during the outage; after its 30 s cool-down one probe gets through.
    let recovered: Snapshot | undefined;
    for (let i = 0; i < 3 && !recovered; i++) {
      const s = await tick();
      if (s.accounts.every((a) => a.status === 'ok')) recovered = s;
    }
    expect(recovered).toBeDefined();
    for (const a of recovered!.accounts) expect(a).toMatchObject({ status: 'ok', consecutiveFailures: 0, lastSuccessAt: recovered!.takenAt });
    expect(recovered!.feeds?.find((f) => f.symbol === 'ETH')).toMatchObject({ active: 'binance' });
  });
});
