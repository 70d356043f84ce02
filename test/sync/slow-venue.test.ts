import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../src/core/errors.js';
import type { VenueAdapter } from '../../src/core/ports/venue-adapter.js';
import { runLanes } from '../../src/core/sync/run-bounded.js';
import { syncAccounts, type SyncAccount, type SyncDeps } from '../../src/core/sync/sync-accounts.js';
import type { AccountState, Capabilities, FundingQuote, MarketSpec, PriceQuote, Snapshot, VenueId } from '../../src/core/types.js';

/*
 * Issue #11 (3): a slow venue's market-data round ran before any account's own timeout started, so the
 * tick took 7.2 s against a 5 s account timeout and healthy accounts' alerts waited. Outcomes only; the
 * "did not wait" checks use hangs of 10 s against a test timeout of a few seconds.
 */

const CAPS: Capabilities = { balances: true, positions: true, markPrices: true, funding: true, marketSpecs: true, hedgerCapacity: false, keyPermissions: false };
const HANG_MS = 10_000;

/** Hung calls: their 10 s timers (cleared after each test so no fork is kept alive) and a way to end them now. */
const hangs = new Map<NodeJS.Timeout, () => void>();
afterEach(() => {
  for (const h of hangs.keys()) clearTimeout(h);
  hangs.clear();
});

/** Hangs for 10 s and ignores the abort signal: the worst a venue call can do. */
function hang<T>(value: T): Promise<T> {
  return new Promise((resolve) => {
    const h = setTimeout(() => resolve(value), HANG_MS);
    hangs.set(h, () => resolve(value));
  });
}

/** Answer every hung call now. */
function releaseHangs(): void {
  for (const [h, release] of hangs) {
    clearTimeout(h);
    release();
  }
  hangs.clear();
}

/** A venue whose every call answers at once, or (`slow`) hangs; `onAccount` sees each account call. */
class ScriptedVenue implements VenueAdapter {
  readonly capabilities = CAPS;
  slow = false;
  onAccount: (id: string) => void = () => undefined;
  constructor(
    readonly venue: VenueId,
    private readonly mark: number,
    private readonly equity: number,
  ) {}
  async fetchAccount(a: { id: string }): Promise<AccountState> {
    this.onAccount(a.id);
    const state: AccountState = { balance: { equity: this.equity, available: this.equity / 2 }, positions: [{ symbol: 'BTC', venueSymbol: 'BTC', size: 1, entryPrice: 1 }] };
    return this.slow ? hang(state) : state;
  }
  async fetchPrices(): Promise<PriceQuote[]> {
    const q = [{ symbol: 'BTC', mark: this.mark, ts: 1 }];
    return this.slow ? hang(q) : q;
  }
  async fetchMarkets(): Promise<MarketSpec[]> {
    const m = [{ symbol: 'BTC', venueSymbol: 'BTC', lotSize: 0.001, tickSize: 0.1, minNotional: 10, takerFee: 0.0004, multiplier: 1 }];
    return this.slow ? hang(m) : m;
  }
  async fetchFunding(): Promise<FundingQuote[]> {
    const f = [{ symbol: 'BTC', venueSymbol: 'BTC', rate: 0.0001, intervalHours: 8 }];
    return this.slow ? hang(f) : f;
  }
  async close() {}
}

const accountsOf = (venue: VenueId, prefix: string, n: number): SyncAccount[] =>
  Array.from({ length: n }, (_, i) => ({ id: `${prefix}${i}`, venue, label: `${prefix}${i}` }));

describe('one slow venue never holds the tick', () => {
  it('40 hung accounts and hung market data: the sync ends at the deadline, healthy accounts ok, slow ones failed (stale) with 2001', { timeout: 3000 }, async () => {
    const slow = new ScriptedVenue('pacifica', 60_050, 500);
    const healthy = new ScriptedVenue('binance', 60_000, 1000);
    // Before the fix: a 300 ms market-data round, then the slow venue's accounts (listed first) in one
    // shared pool of 2, 20 waves of 300 ms, with the healthy ones queued behind: 6.3 s, twice this
    // test's timeout. Now one 300 ms budget bounds everything.
    const accounts = [...accountsOf('pacifica', 'p', 40), ...accountsOf('binance', 'b', 2)];
    const t = 1_000;
    const deps: SyncDeps = { adapters: new Map<VenueId, VenueAdapter>([['pacifica', slow], ['binance', healthy]]), accounts, concurrency: 2, accountTimeoutMs: 300, now: () => t };

    const first = await syncAccounts(deps, undefined, 1);
    expect(first.accounts.every((a) => a.status === 'ok')).toBe(true);

    slow.slow = true;
    const slowCalls: string[] = [];
    slow.onAccount = (id) => slowCalls.push(id);
    const s: Snapshot = await syncAccounts({ ...deps, now: () => 2_000 }, first, 2);
    const byId = new Map(s.accounts.map((a) => [a.id, a]));
    for (const id of ['b0', 'b1']) {
      expect(byId.get(id)).toMatchObject({ status: 'ok', lastSuccessAt: 2_000, consecutiveFailures: 0 });
      expect(byId.get(id)?.state?.balance).toEqual({ equity: 1000, available: 500 });
    }
    for (let i = 0; i < 40; i++) {
      const a = byId.get(`p${i}`);
      // Failed, yet still showing tick 1's numbers: stale, not blank.
      expect(a).toMatchObject({ status: 'failed', lastSuccessAt: 1_000, lastAttemptAt: 2_000, consecutiveFailures: 1 });
      expect(a?.state?.balance).toEqual({ equity: 500, available: 250 });
      expect(a?.lastError?.code).toBe(ErrorCode.VenueTimeout);
    }
    // p0 and p1 were in flight when the budget ran out; p2…p39 were still queued and never called the venue.
    expect(byId.get('p39')?.lastError?.message).toBe("sync of p39 timed out: the sync's 300 ms deadline passed");
    expect(slowCalls).toEqual(['p0', 'p1']);
    // BTC: the slow venue's price fetch timed out, the healthy venue's quote is used.
    expect(s.prices['BTC']).toMatchObject({ mark: 60_000, source: 'binance' });
    // Kept from tick 1: the slow venue's markets and funding.
    expect(s.funding.pacifica).toEqual([{ symbol: 'BTC', venueSymbol: 'BTC', rate: 0.0001, intervalHours: 8 }]);
  });

  it('accounts do not wait for any venue-wide round: a healthy account is read while the other venue\'s market data still hangs', { timeout: 4000 }, async () => {
    const slow = new ScriptedVenue('pacifica', 60_050, 500);
    const healthy = new ScriptedVenue('binance', 60_000, 1000);
    slow.slow = true;
    let slowRoundPendingWhenAccountRead = false;
    let slowRoundSettled = false;
    const slowPrices = slow.fetchPrices.bind(slow);
    slow.fetchPrices = async () => {
      try {
        return await slowPrices();
      } finally {
        slowRoundSettled = true;
      }
    };
    healthy.onAccount = () => {
      slowRoundPendingWhenAccountRead = !slowRoundSettled;
    };
    // A 10 s account timeout: before the fix the healthy account was read only after the slow venue's
    // 10 s round, past this test's timeout.
    const deps: SyncDeps = {
      adapters: new Map<VenueId, VenueAdapter>([['pacifica', slow], ['binance', healthy]]),
      accounts: accountsOf('binance', 'b', 1), concurrency: 4, accountTimeoutMs: 10_000, now: () => 1,
    };
    const pending = syncAccounts(deps, undefined, 1);
    await new Promise((r) => setTimeout(r, 0));
    expect(slowRoundPendingWhenAccountRead).toBe(true);
    // Let the slow venue answer now so the tick can end within the test.
    releaseHangs();
    const s = await pending;
    expect(s.accounts.map((a) => [a.id, a.status, a.state?.balance.equity])).toEqual([['b0', 'ok', 1000]]);
  });
});

describe('runLanes', () => {
  it('bounds each lane on its own and keeps the input order', async () => {
    const inFlight = new Map<string, number>();
    const peak = new Map<string, number>();
    const items = ['a1', 'b1', 'a2', 'b2', 'a3', 'c1'];
    const results = await runLanes(items, (x) => x[0]!, 1, async (x) => {
      const lane = x[0]!;
      inFlight.set(lane, (inFlight.get(lane) ?? 0) + 1);
      peak.set(lane, Math.max(peak.get(lane) ?? 0, inFlight.get(lane)!));
      await new Promise((r) => setTimeout(r, 1));
      inFlight.set(lane, inFlight.get(lane)! - 1);
      if (x === 'b2') throw new Error('b2 failed');
      return x.toUpperCase();
    });
    expect(results.map((r) => (r.ok ? r.value : 'error'))).toEqual(['A1', 'B1', 'A2', 'error', 'A3', 'C1']);
    expect(Object.fromEntries(peak)).toEqual({ a: 1, b: 1, c: 1 });
  });
});
