import { describe, expect, it } from 'vitest';
import { DeltaOpsError, ErrorCode } from '../../src/core/errors.js';
import { FeedManager } from '../../src/core/feeds/feed-manager.js';
import { DEFAULT_FEED_SETTINGS } from '../../src/core/feeds/settings.js';
import { syncAccounts, type SyncAccount, type SyncDeps } from '../../src/core/sync/sync-accounts.js';
import type { AccountState, Capabilities, PriceQuote, Snapshot, VenueId } from '../../src/core/types.js';
import type { VenueAdapter } from '../../src/core/ports/venue-adapter.js';

const CAPS: Capabilities = { balances: true, positions: true, markPrices: true, funding: false, marketSpecs: false, hedgerCapacity: false, keyPermissions: false };

/** A venue whose price list and price failures the test sets; every account holds 1 BTC. */
class PriceVenue implements VenueAdapter {
  readonly capabilities = CAPS;
  failing = false;
  constructor(
    readonly venue: VenueId,
    public marks: Record<string, number>,
    private readonly now: () => number,
  ) {}
  async fetchAccount(): Promise<AccountState> {
    return { balance: { equity: 100, available: 50 }, positions: [{ symbol: 'BTC', venueSymbol: 'BTC', size: 1, entryPrice: 1 }] };
  }
  async fetchPrices(): Promise<PriceQuote[]> {
    if (this.failing) throw new DeltaOpsError(ErrorCode.ConnectionFailed, `${this.venue} prices: connection refused`, { retryable: true });
    return Object.entries(this.marks).map(([symbol, mark]) => ({ symbol, mark, ts: this.now() }));
  }
  async fetchMarkets() {
    return [];
  }
  async fetchFunding() {
    return [];
  }
  async close() {}
}

describe('sync with price feeds', () => {
  function setup() {
    let t = Date.UTC(2026, 0, 1);
    const now = (): number => t;
    const bn = new PriceVenue('binance', { BTC: 60_000, ETH: 3000, DOGE: 0.1 }, now);
    const pac = new PriceVenue('pacifica', { BTC: 60_050, ETH: 3001 }, now);
    const feeds = new FeedManager({ settings: { ...DEFAULT_FEED_SETTINGS, order: ['binance', 'pacifica'], failAfter: 2 } });
    const accounts: SyncAccount[] = [
      { id: 'bn-1', venue: 'binance', label: 'bn-1' },
      { id: 'pac-1', venue: 'pacifica', label: 'pac-1' },
    ];
    const deps: SyncDeps = { adapters: new Map<VenueId, VenueAdapter>([['binance', bn], ['pacifica', pac]]), accounts, concurrency: 4, accountTimeoutMs: 500, now, feeds, watchSymbols: ['ETH'] };
    let prev: Snapshot | undefined;
    let seq = 0;
    const tick = async (): Promise<Snapshot> => {
      t += 15_000;
      prev = await syncAccounts(deps, prev, ++seq);
      return prev;
    };
    return { bn, pac, deps, tick };
  }

  it('takes each symbol\'s price from its active feed and fails over when that feed fails', async () => {
    const { bn, tick } = setup();
    const s1 = await tick();
    expect(s1.prices['BTC']).toMatchObject({ mark: 60_000, source: 'binance' });
    expect(s1.prices['DOGE']).toMatchObject({ mark: 0.1, source: 'binance' });
    // Feeds of the held (BTC) and configured (ETH) symbols only.
    expect(s1.feeds?.map((f) => [f.symbol, f.active, f.feeds.map((x) => `${x.name}:${x.state}`).join(' ')])).toEqual([
      ['BTC', 'binance', 'binance:healthy pacifica:healthy'],
      ['ETH', 'binance', 'binance:healthy pacifica:healthy'],
    ]);

    bn.failing = true;
    const s2 = await tick();
    // One failed fetch: degraded, still served from binance's last quote.
    expect(s2.prices['BTC']).toMatchObject({ mark: 60_000, source: 'binance', ts: s1.takenAt });
    expect(s2.feeds?.[0]?.feeds[0]).toMatchObject({ state: 'degraded', errorCount: 1, lastError: { code: 2002, message: 'binance prices: connection refused' } });

    const s3 = await tick();
    expect(s3.prices['BTC']).toMatchObject({ mark: 60_050, source: 'pacifica' });
    expect(s3.feeds?.[0]).toMatchObject({ symbol: 'BTC', primary: 'binance', active: 'pacifica' });
    // DOGE has no other feed: it keeps its last price (and its age) from the previous snapshot.
    expect(s3.prices['DOGE']).toMatchObject({ mark: 0.1, source: 'binance', ts: s1.takenAt });
    // Accounts are not affected by a price feed's failure.
    expect(s3.accounts.map((a) => a.status)).toEqual(['ok', 'ok']);
  });

  it('without a feed manager: the first venue that quotes a symbol wins, and the snapshot has no feeds', async () => {
    const { deps, pac } = setup();
    pac.marks = { BTC: 1, SOL: 150 };
    const { feeds: _unused, ...plain } = deps;
    const s = await syncAccounts(plain, undefined, 1);
    expect(s.prices['BTC']?.source).toBe('binance');
    expect(s.prices['SOL']?.source).toBe('pacifica');
    expect(s.feeds).toBeUndefined();
  });
});
