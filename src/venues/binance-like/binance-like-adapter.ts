import { z } from 'zod';
import { DeltaOpsError, ErrorCode } from '../../core/errors.js';
import { canonicalSymbol } from '../../core/symbols.js';
import type { AccountState, Capabilities, FundingQuote, MarketSpec, Position, PriceQuote } from '../../core/types.js';
import type { AccountRef, CallOptions, KeyPermissions, VenueAdapter } from '../../core/ports/venue-adapter.js';
import { DEFAULT_CONCURRENCY, DEFAULT_TIMEOUT_MS, type HttpAdapterOptions } from '../http/adapter-options.js';
import { HttpClient, type HttpResult } from '../http/http-client.js';
import { parsePayload, parseRows } from '../http/payload.js';
import { TtlCache } from '../http/ttl-cache.js';
import { isVenueError } from '../http/venue-error.js';
import type { BinanceLikeDialect, Endpoint } from './binance-like-dialect.js';
import { INVALID_TIMESTAMP, inspectBinanceLike } from './binance-like-errors.js';
import { isPerpetualName, preferByQuote, toBalance, toFundingQuote, toMarketSpec, toPosition, toPriceQuote } from './binance-like-map.js';
import {
  accountSchema, exchangeInfoSchema, exchangeSymbol, fundingInfoRow, positionRiskRow, premiumIndexRow, type BinancePremiumIndex,
} from './binance-like-schemas.js';
import { signedQuery } from './hmac-signer.js';
import { ServerTime } from './server-time.js';

// Built once: constructing a zod schema costs more than parsing a small payload with it.
const positionRiskRows = z.array(positionRiskRow);

const CAPABILITIES: Capabilities = {
  balances: true,
  positions: true,
  markPrices: true,
  funding: true,
  marketSpecs: true,
  hedgerCapacity: false,
  keyPermissions: true,
};

export interface BinanceLikeOptions extends HttpAdapterOptions {
  /** Signed-request validity window (venue default 5000, max 60000). */
  recvWindowMs?: number;
  /** premiumIndex is shared by prices and funding within a tick. */
  premiumIndexTtlMs?: number;
  /** Funding intervals change rarely. */
  fundingInfoTtlMs?: number;
}

/**
 * Binance-compatible USDⓈ-M reads: HMAC-SHA256 signed account and position risk, public premium index,
 * funding info and exchange info. Signed timestamps use the venue's clock: the offset is taken from
 * exchangeInfo's `serverTime` (the documented source) whenever markets are fetched, and measured once
 * (single flight) when a call earns -1021. The sync fetches markets alongside the first accounts, not
 * before them, so with a skewed host clock the first tick's signed calls pay that one resync.
 */
export class BinanceLikeAdapter implements VenueAdapter {
  readonly venue: BinanceLikeDialect['venue'];
  readonly capabilities = CAPABILITIES;
  readonly serverTime: ServerTime;
  private readonly http: HttpClient;
  private readonly premium: TtlCache<BinancePremiumIndex[]>;
  private readonly intervals: TtlCache<Map<string, number>>;

  constructor(
    private readonly dialect: BinanceLikeDialect,
    private readonly opts: BinanceLikeOptions,
  ) {
    this.venue = dialect.venue;
    this.serverTime = new ServerTime(opts.clock);
    this.http = new HttpClient({
      venue: dialect.venue,
      baseUrl: opts.baseUrl ?? dialect.mainnet,
      timeoutMs: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      concurrency: opts.concurrency ?? DEFAULT_CONCURRENCY,
      clock: opts.clock,
      maxBodyBytes: opts.maxBodyBytes,
      rateLimit: opts.rateLimit ?? dialect.rateLimit,
      inspect: (res, where) => inspectBinanceLike(res, where, opts.clock.now()),
      ...(opts.sleep ? { sleep: opts.sleep } : {}),
      ...(opts.random ? { random: opts.random } : {}),
      ...(opts.logger ? { logger: opts.logger } : {}),
      ...(opts.retry ? { retry: opts.retry } : {}),
      ...(opts.breaker ? { breaker: opts.breaker } : {}),
    });
    this.premium = new TtlCache(opts.premiumIndexTtlMs ?? 2000, opts.clock);
    this.intervals = new TtlCache(opts.fundingInfoTtlMs ?? 600_000, opts.clock);
  }

  async fetchAccount(account: AccountRef, opts?: CallOptions): Promise<AccountState> {
    const [acc, risk] = await Promise.all([
      this.signed(this.dialect.account, account, opts),
      this.signed(this.dialect.positionRisk, account, opts),
    ]);
    const balance = toBalance(parsePayload(accountSchema, acc.json, this.where(this.dialect.account)));
    const rows = parsePayload(positionRiskRows, risk.json, this.where(this.dialect.positionRisk));
    return {
      balance,
      positions: rows.map(toPosition).filter((p): p is Position => p !== undefined),
      raw: { account: acc.json, positionRisk: risk.json },
    };
  }

  async fetchMarkets(opts?: CallOptions): Promise<MarketSpec[]> {
    const sentAt = this.opts.clock.now();
    const res = await this.public(this.dialect.exchangeInfo, opts);
    const info = parsePayload(exchangeInfoSchema, res.json, this.where(this.dialect.exchangeInfo));
    if (info.serverTime !== undefined) this.serverTime.observe(info.serverTime, sentAt);
    const { rows } = parseRows(exchangeSymbol, info.symbols, this.where(this.dialect.exchangeInfo));
    const fee = this.opts.takerFee ?? this.dialect.defaultTakerFee;
    return preferByQuote(rows.flatMap((s) => toMarketSpec(s, fee) ?? []));
  }

  async fetchPrices(opts?: CallOptions): Promise<PriceQuote[]> {
    const now = this.opts.clock.now();
    return (await this.premiumRows(opts)).map((r) => toPriceQuote(r, now));
  }

  async fetchFunding(opts?: CallOptions): Promise<FundingQuote[]> {
    const [rows, intervals] = await Promise.all([this.premiumRows(opts), this.fundingIntervals(opts)]);
    return rows.map((r) => toFundingQuote(r, intervals));
  }

  /**
   * Neither venue exposes per-key permissions on the futures API; the signed call proving the key can
   * read, and the account-level `canTrade` / `canWithdraw` flags, are what there is.
   */
  async checkKey(account: AccountRef, opts?: CallOptions): Promise<KeyPermissions> {
    let res: HttpResult;
    try {
      res = await this.signed(this.dialect.keyCheck, account, opts);
    } catch (e) {
      if (e instanceof DeltaOpsError && e.code === ErrorCode.PermissionDenied) return { canRead: false, detail: e.message };
      throw e;
    }
    const flags = z.object({ canTrade: z.boolean().optional(), canWithdraw: z.boolean().optional() }).safeParse(res.json);
    const perms: KeyPermissions = {
      canRead: true,
      detail: `signed read works; canTrade/canWithdraw are account-level flags from ${this.dialect.keyCheck.source}, the futures API exposes no per-key permissions`,
    };
    if (flags.success && flags.data.canTrade !== undefined) perms.canTrade = flags.data.canTrade;
    if (flags.success && flags.data.canWithdraw !== undefined) perms.canWithdraw = flags.data.canWithdraw;
    return perms;
  }

  async close(): Promise<void> {
    await this.http.close();
  }

  private async premiumRows(opts?: CallOptions): Promise<BinancePremiumIndex[]> {
    return this.premium.get('all', async () => {
      const res = await this.public(this.dialect.premiumIndex, opts);
      const { rows } = parseRows(premiumIndexRow, res.json, this.where(this.dialect.premiumIndex));
      const perps = rows.filter((r) => isPerpetualName(r.symbol));
      const best = preferByQuote(perps.map((r) => ({ symbol: canonicalSymbol(r.symbol).symbol, venueSymbol: r.symbol, row: r })));
      return best.map((b) => b.row);
    });
  }

  private async fundingIntervals(opts?: CallOptions): Promise<Map<string, number>> {
    return this.intervals.get('all', async () => {
      const res = await this.public(this.dialect.fundingInfo, opts);
      const { rows } = parseRows(fundingInfoRow, res.json, this.where(this.dialect.fundingInfo));
      return new Map(rows.filter((r) => r.fundingIntervalHours > 0).map((r) => [r.symbol, r.fundingIntervalHours]));
    });
  }

  private public(ep: Endpoint, opts?: CallOptions, proxyUrl?: string): Promise<HttpResult> {
    return this.http.request({
      path: ep.path,
      weight: ep.weight,
      ...(proxyUrl ? { proxyUrl } : {}),
      ...(opts?.signal ? { signal: opts.signal } : {}),
    });
  }

  private async signed(ep: Endpoint, account: AccountRef, opts?: CallOptions): Promise<HttpResult> {
    const { apiKey, apiSecret } = account.credentials ?? {};
    if (!apiKey || !apiSecret) {
      throw new DeltaOpsError(ErrorCode.InvalidAccount, `${this.venue} account ${account.id} has no API key/secret configured`);
    }
    const recvWindow = this.opts.recvWindowMs ?? 5000;
    for (let resynced = false; ; resynced = true) {
      try {
        return await this.http.request({
          path: ep.path,
          weight: ep.weight,
          headers: { 'X-MBX-APIKEY': apiKey },
          query: () => signedQuery({ recvWindow, timestamp: this.serverTime.now() }, apiSecret),
          ...(account.proxyUrl ? { proxyUrl: account.proxyUrl } : {}),
          ...(opts?.signal ? { signal: opts.signal } : {}),
        });
      } catch (e) {
        if (resynced || !isVenueError(e) || e.venueCode !== INVALID_TIMESTAMP) throw e;
        await this.syncTime(account, opts);
      }
    }
  }

  private async syncTime(account: AccountRef, opts?: CallOptions): Promise<void> {
    await this.serverTime.sync(async () => {
      const res = await this.public(this.dialect.exchangeInfo, opts, account.proxyUrl);
      const info = parsePayload(exchangeInfoSchema, res.json, this.where(this.dialect.exchangeInfo));
      if (info.serverTime === undefined) throw new DeltaOpsError(ErrorCode.MarketDataUnavailable, `${this.venue} exchangeInfo has no serverTime`);
      return info.serverTime;
    });
  }

  private where(ep: Endpoint): { venue: BinanceLikeDialect['venue']; endpoint: string } {
    return { venue: this.venue, endpoint: `GET ${ep.path}` };
  }
}
