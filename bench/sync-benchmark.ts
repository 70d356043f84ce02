import { performance } from 'node:perf_hooks';
import { systemClock } from '../src/core/clock.js';
import { FeedManager } from '../src/core/feeds/feed-manager.js';
import { feedSettings } from '../src/core/feeds/settings.js';
import { syncAccounts, type SyncAccount } from '../src/core/sync/sync-accounts.js';
import type { Snapshot, VenueId } from '../src/core/types.js';
import type { VenueAdapter } from '../src/core/ports/venue-adapter.js';
import { createVenueAdapter } from '../src/venues/http-adapters.js';
import { PacificaFake } from '../test/fakes/venues/pacifica-fake.js';
import type { Benchmark } from './framework.js';
import type { FakeVenues } from './fake-venues.js';

export interface SyncBenchOptions {
  accounts: number;
  /** Accounts synced in parallel (`sync.concurrency`). */
  concurrency: number;
  /** Fake venue answer time per request. */
  latencyMs: number;
  /** Sockets per venue (`venues.<id>.concurrency`); default: enough for every request of the accounts in flight. */
  pool?: number;
  fakes: FakeVenues;
}

/** Requests one account's sync makes at once: Binance account + positionRisk; Pacifica account + positions (+ settings when not cached). */
const PARALLEL_REQUESTS_PER_ACCOUNT = 3;

export const SYNC_DESCRIPTION =
  '**sync-N-cC**: one steady-state `syncAccounts` tick of N accounts (half Binance USDⓈ-M, half Pacifica, interleaved) with the real adapters ' +
  '(HMAC signing, undici pools, zod parsing, rate limiter, circuit breaker) against loopback fakes in a separate process that answer every ' +
  'request after 20 ms, at sync concurrency C, with the feed manager on. Ideal = 20 ms for the venue-wide round (prices and funding of both ' +
  'venues, fetched in parallel before any account) + ceil(N / C) × 20 ms (each account\'s requests go out in parallel, so an account takes one ' +
  'round trip). Warm-up ticks fill the caches a running bot has (markets, Pacifica leverage settings, Binance funding intervals; the premium ' +
  'index is refetched every tick) and open the connections. The rate limit is set high enough that it never throttles. `pool P` rows run with ' +
  'P sockets per venue instead of sockets sized to the concurrency.';

/** A benchmark of one sync tick over `opts.accounts` accounts against the fakes. */
export function syncBenchmark(opts: SyncBenchOptions): Benchmark {
  const pool = opts.pool ?? PARALLEL_REQUESTS_PER_ACCOUNT * opts.concurrency;
  const name = `sync-${opts.accounts}-c${opts.concurrency}${opts.pool !== undefined ? ` (pool ${opts.pool})` : ''}`;
  return {
    name,
    description: SYNC_DESCRIPTION,
    // A row with a deliberately small pool illustrates a misconfiguration; it has no target.
    ...(opts.pool === undefined ? { maxRatio: 1.2 } : {}),
    async setup() {
      const common = { clock: systemClock, concurrency: pool, timeoutMs: 10_000, rateLimit: { weight: 1_000_000_000, windowMs: 60_000 } };
      const adapters = new Map<VenueId, VenueAdapter>([
        ['binance', createVenueAdapter('binance', { ...common, baseUrl: opts.fakes.binance, premiumIndexTtlMs: 0 })],
        ['pacifica', createVenueAdapter('pacifica', { ...common, baseUrl: opts.fakes.pacifica })],
      ]);
      const accounts: SyncAccount[] = Array.from({ length: opts.accounts }, (_, i): SyncAccount => {
        const n = Math.floor(i / 2);
        return i % 2 === 0
          ? { id: `bn-${n}`, venue: 'binance', label: `bn-${n}`, credentials: { apiKey: `key${n}`, apiSecret: `secret${n}` } }
          : { id: `pac-${n}`, venue: 'pacifica', label: `pac-${n}`, address: PacificaFake.address(n) };
      });
      const feeds = new FeedManager({ settings: feedSettings(undefined, ['binance', 'pacifica']) });
      const deps = { adapters, accounts, concurrency: opts.concurrency, accountTimeoutMs: 10_000, now: () => systemClock.now(), feeds };
      let prev: Snapshot | undefined;
      let seq = 0;
      const idealMs = opts.latencyMs + Math.ceil(opts.accounts / opts.concurrency) * opts.latencyMs;
      return {
        run: async () => {
          const t0 = performance.now();
          const s = await syncAccounts(deps, prev, ++seq);
          const ms = performance.now() - t0;
          const failed = s.accounts.filter((a) => a.status !== 'ok');
          if (failed.length) throw new Error(`${name}: ${failed.length} accounts failed, e.g. ${failed[0]?.id}: ${failed[0]?.lastError?.message}`);
          prev = s;
          return { ms, idealMs };
        },
        teardown: async () => {
          await Promise.allSettled([...adapters.values()].map((a) => a.close()));
        },
      };
    },
  };
}
