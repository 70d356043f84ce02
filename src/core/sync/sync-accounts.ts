import type { Logger } from '../ports/logger.js';
import type { AccountRef, VenueAdapter } from '../ports/venue-adapter.js';
import { DeltaOpsError, ErrorCode, isDeltaOpsError } from '../errors.js';
import { FeedManager } from '../feeds/feed-manager.js';
import { feedSettings } from '../feeds/settings.js';
import type { SourceResult } from '../feeds/types.js';
import type { AccountSnapshot, AccountState, FundingQuote, MarketSpec, Snapshot, VenueId } from '../types.js';
import { runBounded, runLanes } from './run-bounded.js';
import { TickDeadline } from './tick-deadline.js';
import { withCallTimeout, withTimeout } from './with-timeout.js';

export interface SyncAccount extends AccountRef {
  label: string;
}

export interface SyncDeps {
  adapters: ReadonlyMap<VenueId, VenueAdapter>;
  accounts: readonly SyncAccount[];
  /** Accounts synced at once per venue: a venue that hangs fills only its own slots. */
  concurrency: number;
  /** One account's budget, and the whole tick's: nothing in a sync waits on a venue for longer. */
  accountTimeoutMs: number;
  now: () => number;
  logger?: Logger;
  /**
   * Chooses each symbol's price source (health, failover) and must live across ticks. Without one, a
   * fresh manager per tick picks the first venue (adapter order) that quotes the symbol, and the
   * snapshot carries no `feeds`.
   */
  feeds?: FeedManager;
  /** Symbols whose feeds the snapshot reports besides those the accounts hold (the configured ones). */
  watchSymbols?: readonly string[];
}

/** Venue-wide data kept between ticks: market specs change rarely, so they are refreshed on a cadence. */
interface VenueData {
  /** The price fetch as the feed manager sees it; undefined when the venue quotes no prices. */
  prices?: SourceResult;
  markets?: MarketSpec[];
  funding?: FundingQuote[];
}

function errorInfo(err: unknown): { code: number; message: string } {
  if (isDeltaOpsError(err)) return { code: err.code, message: err.message };
  return { code: ErrorCode.ConnectionFailed, message: err instanceof Error ? err.message : 'unknown error' };
}

/**
 * One sync: every venue's shared data and every account at the same time, accounts bounded per venue,
 * each call with its own timeout and all of them inside one tick deadline of `accountTimeoutMs`. The
 * venue-wide round used to finish before any account started, so a slow venue's market-data retries
 * delayed every venue's accounts (issue #11: a 7.2 s tick against a 5 s timeout). A failing account
 * keeps its last good state (marked failed) and never blocks the others.
 */
export async function syncAccounts(deps: SyncDeps, prev: Snapshot | undefined, seq: number): Promise<Snapshot> {
  const { adapters, accounts, now } = deps;
  for (const a of adapters.values()) a.onTick?.(seq);

  const venueIds = [...adapters.keys()];
  const deadline = new TickDeadline(deps.accountTimeoutMs);
  void deadline.passed.then(() => deps.logger?.warn({ job: 'sync', seq, deadlineMs: deadline.ms }, 'sync deadline passed; unfinished venue calls fail as timeouts'));
  let pricesAt = now();
  const [venueData, results] = await Promise.all([
    runBounded(venueIds, venueIds.length, (v) => fetchVenueData(deps, v, prev, deadline)).then((r) => {
      pricesAt = now();
      return r;
    }),
    runLanes(accounts, (a) => a.venue, deps.concurrency, (acc) => syncAccount(deps, acc, deadline)),
  ]).finally(() => deadline.dispose());
  const prevById = new Map(prev?.accounts.map((a) => [a.id, a]));

  const takenAt = now();
  const snapshots = accounts.map((acc, i): AccountSnapshot => {
    const before = prevById.get(acc.id);
    const r = results[i]!;
    if (r.ok) {
      return { id: acc.id, venue: acc.venue, label: acc.label, status: 'ok', state: r.value.state, lastAttemptAt: takenAt, lastSuccessAt: takenAt, consecutiveFailures: 0, latencyMs: r.value.latencyMs };
    }
    const failed: AccountSnapshot = {
      id: acc.id, venue: acc.venue, label: acc.label, status: 'failed', lastAttemptAt: takenAt,
      consecutiveFailures: (before?.consecutiveFailures ?? 0) + 1, lastError: errorInfo(r.error),
    };
    if (before?.state) failed.state = before.state;
    if (before?.lastSuccessAt !== undefined) failed.lastSuccessAt = before.lastSuccessAt;
    deps.logger?.warn({ job: 'sync', account: acc.id, venue: acc.venue, code: failed.lastError?.code, failures: failed.consecutiveFailures }, 'account sync failed');
    return failed;
  });

  const snapshot: Snapshot = { seq, takenAt, accounts: snapshots, prices: {}, markets: {}, funding: {} };
  const priceResults: SourceResult[] = [];
  venueIds.forEach((v, i) => {
    const r = venueData[i]!;
    const data = r.ok ? r.value : undefined;
    const markets = data?.markets ?? (prev?.markets[v] ? Object.values(prev.markets[v]) : undefined);
    if (markets) snapshot.markets[v] = Object.fromEntries(markets.map((m) => [m.symbol, m]));
    const funding = data?.funding ?? prev?.funding[v];
    if (funding) snapshot.funding[v] = funding;
    if (data?.prices) priceResults.push(data.prices);
  });
  // A venue can quote hundreds of symbols: the snapshot (and so the failover alerts) covers the ones
  // the book holds or the config names.
  const watched = new Set(deps.watchSymbols ?? []);
  for (const a of snapshots) for (const p of a.state?.positions ?? []) watched.add(p.symbol);
  const feeds = deps.feeds ?? new FeedManager({ settings: feedSettings(undefined, venueIds) });
  const tick = feeds.update(pricesAt, priceResults, watched);
  snapshot.prices = tick.prices;
  if (deps.feeds) snapshot.feeds = tick.feeds;
  // Keep the last known price (with its age) when no feed can serve a symbol this tick.
  for (const [symbol, p] of Object.entries(prev?.prices ?? {})) snapshot.prices[symbol] ??= p;
  return snapshot;
}

async function syncAccount(deps: SyncDeps, acc: SyncAccount, deadline: TickDeadline): Promise<{ state: AccountState; latencyMs: number }> {
  const adapter = deps.adapters.get(acc.venue);
  if (!adapter) throw new DeltaOpsError(ErrorCode.InvalidAccount, `no adapter for venue ${acc.venue}`);
  const started = deps.now();
  const state = await withCallTimeout(deps.accountTimeoutMs, `sync of ${acc.id}`, (opts) => adapter.fetchAccount(acc, opts), deadline);
  return { state, latencyMs: deps.now() - started };
}

const MARKET_REFRESH_TICKS = 240;

async function fetchVenueData(deps: SyncDeps, venue: VenueId, prev: Snapshot | undefined, deadline: TickDeadline): Promise<VenueData> {
  const adapter = deps.adapters.get(venue)!;
  const t = deps.accountTimeoutMs;
  const needMarkets = !prev?.markets[venue] || prev.seq % MARKET_REFRESH_TICKS === 0;
  const [prices, markets, funding] = await Promise.allSettled([
    adapter.capabilities.markPrices ? timedPrices(deps, venue, adapter, deadline) : Promise.resolve(undefined),
    needMarkets && adapter.capabilities.marketSpecs ? withTimeout(t, `${venue} markets`, (signal) => adapter.fetchMarkets({ signal }), deadline) : Promise.resolve(undefined),
    adapter.capabilities.funding ? withTimeout(t, `${venue} funding`, (signal) => adapter.fetchFunding({ signal }), deadline) : Promise.resolve(undefined),
  ]);
  for (const [what, r] of [['markets', markets], ['funding', funding]] as const) {
    if (r.status === 'rejected') deps.logger?.warn({ job: 'sync', venue, what, code: errorInfo(r.reason).code }, 'venue data fetch failed');
  }
  const data: VenueData = {};
  if (prices.status === 'fulfilled' && prices.value) data.prices = prices.value;
  if (markets.status === 'fulfilled' && markets.value) data.markets = markets.value;
  if (funding.status === 'fulfilled' && funding.value) data.funding = funding.value;
  return data;
}

/** The price fetch with its latency; a failure is a result too (the feed manager counts it). */
async function timedPrices(deps: SyncDeps, venue: VenueId, adapter: VenueAdapter, deadline: TickDeadline): Promise<SourceResult> {
  const started = deps.now();
  try {
    const quotes = await withTimeout(deps.accountTimeoutMs, `${venue} prices`, (signal) => adapter.fetchPrices({ signal }), deadline);
    return { source: venue, ok: true, quotes, latencyMs: deps.now() - started };
  } catch (err) {
    const error = errorInfo(err);
    deps.logger?.warn({ job: 'sync', venue, what: 'prices', code: error.code }, 'venue data fetch failed');
    return { source: venue, ok: false, error, latencyMs: deps.now() - started };
  }
}
