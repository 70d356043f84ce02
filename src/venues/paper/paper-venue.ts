import type { PaperVenueConfig } from '../../config/schema.js';
import { DeltaOpsError, ErrorCode } from '../../core/errors.js';
import type { AccountState, Capabilities, FundingQuote, MarketSpec, PriceQuote } from '../../core/types.js';
import type { AccountRef, CallOptions, VenueAdapter } from '../../core/ports/venue-adapter.js';
import { PaperBook, type PaperAccountSeed } from './paper-book.js';
import { seededRandom } from './seeded-random.js';

const CAPABILITIES: Capabilities = {
  balances: true,
  positions: true,
  markPrices: true,
  funding: true,
  marketSpecs: true,
  hedgerCapacity: false,
  keyPermissions: true,
};

/**
 * The built-in paper venue: deterministic (seeded), driven by the engine's tick number rather than the
 * wall clock, so a scenario replays identically in tests and demos.
 */
export class PaperVenue implements VenueAdapter {
  readonly venue = 'paper' as const;
  readonly capabilities = CAPABILITIES;
  private readonly book: PaperBook;

  constructor(
    private readonly cfg: PaperVenueConfig,
    accounts: readonly PaperAccountSeed[],
    private readonly now: () => number,
  ) {
    this.book = new PaperBook(cfg.markets, accounts, cfg.timeline, seededRandom(cfg.seed));
  }

  onTick(tick: number): void {
    this.book.advanceTo(tick);
  }

  // Answers from memory at once: there is nothing to abort, and reading `signal` would make the sync
  // build an AbortController for every paper account every tick.
  async fetchAccount(account: AccountRef, _opts?: CallOptions): Promise<AccountState> {
    if (this.book.isFailing(account.id)) {
      throw new DeltaOpsError(ErrorCode.ConnectionFailed, `paper account ${account.id} is set to fail by the scenario timeline`, { retryable: true });
    }
    return { balance: this.book.balance(account.id), positions: this.book.positions(account.id) };
  }

  async fetchMarkets(): Promise<MarketSpec[]> {
    return Object.entries(this.cfg.markets).map(([symbol, m]) => ({
      symbol,
      venueSymbol: `${symbol}-PERP`,
      lotSize: m.lotSize,
      tickSize: m.tickSize,
      minNotional: m.minNotional,
      takerFee: m.takerFee,
      multiplier: m.multiplier,
    }));
  }

  async fetchPrices(): Promise<PriceQuote[]> {
    const ts = this.now();
    return this.book.symbols().map((symbol) => ({ symbol, mark: this.book.price(symbol), index: this.book.price(symbol), ts }));
  }

  async fetchFunding(): Promise<FundingQuote[]> {
    const now = this.now();
    return Object.entries(this.cfg.markets).map(([symbol, m]) => {
      const intervalMs = m.fundingIntervalHours * 3_600_000;
      return { symbol, venueSymbol: `${symbol}-PERP`, rate: m.fundingRate, intervalHours: m.fundingIntervalHours, nextFundingTime: Math.ceil((now + 1) / intervalMs) * intervalMs };
    });
  }

  async checkKey(): Promise<{ canRead: boolean; canTrade: boolean; canWithdraw: boolean; detail: string }> {
    return { canRead: true, canTrade: false, canWithdraw: false, detail: 'paper venue: simulated, read-only' };
  }

  async close(): Promise<void> {}
}
