import { describe, expect, it } from 'vitest';
import { DeltaOpsError, ErrorCode } from '../../src/core/errors.js';
import { syncAccounts, type SyncAccount } from '../../src/core/sync/sync-accounts.js';
import type { AccountState, Capabilities, VenueId } from '../../src/core/types.js';
import type { AccountRef, VenueAdapter } from '../../src/core/ports/venue-adapter.js';

const CAPS: Capabilities = { balances: true, positions: true, markPrices: true, funding: false, marketSpecs: true, hedgerCapacity: false, keyPermissions: false };

/** A venue whose accounts answer, fail or hang as the test says. */
class ScriptedVenue implements VenueAdapter {
  readonly venue: VenueId = 'paper';
  readonly capabilities = CAPS;
  inFlight = 0;
  maxInFlight = 0;
  constructor(private readonly behaviour: (id: string) => 'ok' | 'fail' | 'hang') {}
  async fetchAccount(a: AccountRef, opts?: { signal?: AbortSignal }): Promise<AccountState> {
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      const b = this.behaviour(a.id);
      if (b === 'hang') await new Promise((_, reject) => opts?.signal?.addEventListener('abort', () => reject(opts.signal?.reason)));
      await new Promise((r) => setTimeout(r, 2));
      if (b === 'fail') throw new DeltaOpsError(ErrorCode.ConnectionFailed, 'refused', { retryable: true });
      return { balance: { equity: 100, available: 40 }, positions: [{ symbol: 'BTC', venueSymbol: 'BTC', size: 1, entryPrice: 10 }] };
    } finally {
      this.inFlight--;
    }
  }
  async fetchMarkets() {
    return [{ symbol: 'BTC', venueSymbol: 'BTC', lotSize: 0.001, tickSize: 0.1, minNotional: 10, takerFee: 0.0004, multiplier: 1 }];
  }
  async fetchPrices() {
    return [{ symbol: 'BTC', mark: 10, ts: 1 }];
  }
  async fetchFunding() {
    return [];
  }
  async close() {}
}

const accounts = (n: number): SyncAccount[] => Array.from({ length: n }, (_, i) => ({ id: `a${i}`, venue: 'paper', label: `a${i}` }));

describe('syncAccounts', () => {
  it('keeps per-account results: one failing and one hanging account never block the others', async () => {
    const venue = new ScriptedVenue((id) => (id === 'a1' ? 'fail' : id === 'a2' ? 'hang' : 'ok'));
    let t = 1000;
    const deps = { adapters: new Map([['paper' as const, venue]]), accounts: accounts(5), concurrency: 2, accountTimeoutMs: 50, now: () => t };
    const s1 = await syncAccounts(deps, undefined, 1);
    expect(s1.accounts.map((a) => a.status)).toEqual(['ok', 'failed', 'failed', 'ok', 'ok']);
    expect(s1.accounts[1]?.lastError).toEqual({ code: 2002, message: 'refused' });
    expect(s1.accounts[2]?.lastError?.code).toBe(ErrorCode.VenueTimeout);
    expect(s1.accounts[0]?.state?.balance.equity).toBe(100);
    expect(s1.prices['BTC']).toMatchObject({ mark: 10, source: 'paper' });
    expect(s1.markets.paper?.['BTC']?.lotSize).toBe(0.001);
    expect(venue.maxInFlight).toBeLessThanOrEqual(2);

    t = 2000;
    const s2 = await syncAccounts(deps, s1, 2);
    expect(s2.accounts[1]?.consecutiveFailures).toBe(2);
    expect(s2.accounts[0]?.lastSuccessAt).toBe(2000);
  });

  it('a failed account keeps its last good state and last success time', async () => {
    let failing = false;
    const venue = new ScriptedVenue(() => (failing ? 'fail' : 'ok'));
    let t = 10;
    const deps = { adapters: new Map([['paper' as const, venue]]), accounts: accounts(1), concurrency: 4, accountTimeoutMs: 100, now: () => t };
    const ok = await syncAccounts(deps, undefined, 1);
    failing = true;
    t = 20;
    const bad = await syncAccounts(deps, ok, 2);
    expect(bad.accounts[0]).toMatchObject({ status: 'failed', lastSuccessAt: 10, lastAttemptAt: 20, consecutiveFailures: 1 });
    expect(bad.accounts[0]?.state?.balance.equity).toBe(100);
    // Markets fetched once are kept on later ticks.
    expect(bad.markets.paper?.['BTC']).toBeDefined();
  });
});
