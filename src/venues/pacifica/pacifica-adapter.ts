import { z } from 'zod';
import { DeltaOpsError, ErrorCode } from '../../core/errors.js';
import type { AccountState, Capabilities, FundingQuote, MarketSpec, PriceQuote } from '../../core/types.js';
import type { AccountRef, CallOptions, VenueAdapter } from '../../core/ports/venue-adapter.js';
import { DEFAULT_CONCURRENCY, DEFAULT_TIMEOUT_MS, type HttpAdapterOptions } from '../http/adapter-options.js';
import { HttpClient } from '../http/http-client.js';
import { parsePayload } from '../http/payload.js';
import { TtlCache } from '../http/ttl-cache.js';
import { inspectPacifica } from './pacifica-errors.js';
import { toBalance, toFundingQuote, toMarketSpec, toPosition, toPriceQuote } from './pacifica-map.js';
import { accountData, envelope, marketRow, positionRow, priceRow, settingsData } from './pacifica-schemas.js';

// Built once: constructing a zod schema costs more than parsing a small payload with it (the per-call
// `z.array(positionRow)` was a quarter of an account read's CPU in the ccxt-sync benchmark).
const positionRows = z.array(positionRow);
const marketRows = z.array(marketRow);
const priceRows = z.array(priceRow);

export const PACIFICA_MAINNET = 'https://api.pacifica.fi/api/v1';
export const PACIFICA_TESTNET = 'https://test-api.pacifica.fi/api/v1';

const CAPABILITIES: Capabilities = {
  balances: true,
  positions: true,
  markPrices: true,
  funding: true,
  marketSpecs: true,
  hedgerCapacity: false,
  keyPermissions: false,
};

export interface PacificaOptions extends HttpAdapterOptions {
  /** Leverage settings change rarely; refetch per account at most this often. */
  settingsTtlMs?: number;
}

/**
 * Pacifica reads: public GETs by wallet address, no signing (venues.md §1). The optional venue-level
 * `PF-API-KEY` only raises the rate limit (125 → 300 credits/min per IP).
 */
export class PacificaAdapter implements VenueAdapter {
  readonly venue = 'pacifica' as const;
  readonly capabilities = CAPABILITIES;
  private readonly http: HttpClient;
  private readonly settings: TtlCache<Map<string, number>>;
  /** max_leverage per venue symbol from the last market fetch: the default for unlisted markets. */
  private maxLeverage = new Map<string, number>();

  constructor(private readonly opts: PacificaOptions) {
    this.http = new HttpClient({
      venue: 'pacifica',
      baseUrl: opts.baseUrl ?? PACIFICA_MAINNET,
      timeoutMs: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      concurrency: opts.concurrency ?? DEFAULT_CONCURRENCY,
      clock: opts.clock,
      maxBodyBytes: opts.maxBodyBytes,
      rateLimit: opts.rateLimit ?? { weight: opts.apiKey ? 300 : 125, windowMs: 60_000 },
      inspect: (res, where) => inspectPacifica(res, where, opts.clock.now()),
      ...(opts.apiKey ? { headers: { 'PF-API-KEY': opts.apiKey } } : {}),
      ...(opts.sleep ? { sleep: opts.sleep } : {}),
      ...(opts.random ? { random: opts.random } : {}),
      ...(opts.logger ? { logger: opts.logger } : {}),
      ...(opts.retry ? { retry: opts.retry } : {}),
      ...(opts.breaker ? { breaker: opts.breaker } : {}),
    });
    this.settings = new TtlCache(opts.settingsTtlMs ?? 300_000, opts.clock);
  }

  async fetchAccount(account: AccountRef, opts?: CallOptions): Promise<AccountState> {
    const address = account.address;
    if (!address) throw new DeltaOpsError(ErrorCode.InvalidAccount, `pacifica account ${account.id} has no address`);
    const [acc, pos, leverage] = await Promise.all([
      this.get('/account', accountData, account, opts),
      this.get('/positions', positionRows, account, opts),
      this.leverages(account, opts),
    ]);
    return {
      balance: toBalance(acc.data),
      positions: pos.data.map((p) => toPosition(p, leverage.get(p.symbol) ?? this.maxLeverage.get(p.symbol))),
      raw: { account: acc.json, positions: pos.json },
    };
  }

  async fetchMarkets(opts?: CallOptions): Promise<MarketSpec[]> {
    const { data } = await this.get('/info', marketRows, undefined, opts);
    const perps = data.filter((m) => m.instrument_type === undefined || m.instrument_type === 'perpetual');
    this.maxLeverage = new Map(perps.flatMap((m) => (m.max_leverage !== undefined ? [[m.symbol, m.max_leverage] as const] : [])));
    return perps.map((m) => toMarketSpec(m, this.opts.takerFee ?? 0.0004));
  }

  async fetchPrices(opts?: CallOptions): Promise<PriceQuote[]> {
    const { data } = await this.get('/info/prices', priceRows, undefined, opts);
    const now = this.opts.clock.now();
    return data.map((p) => toPriceQuote(p, now));
  }

  async fetchFunding(opts?: CallOptions): Promise<FundingQuote[]> {
    const { data } = await this.get('/info/prices', priceRows, undefined, opts);
    const now = this.opts.clock.now();
    return data.flatMap((p) => toFundingQuote(p, now) ?? []);
  }

  async close(): Promise<void> {
    await this.http.close();
  }

  /** Leverage per symbol from `/account/settings`; best effort: a failure here never fails the sync. */
  private async leverages(account: AccountRef, opts?: CallOptions): Promise<Map<string, number>> {
    try {
      return await this.settings.get(account.address ?? account.id, async () => {
        const { data } = await this.get('/account/settings', settingsData, account, opts);
        return new Map(data.margin_settings.map((s) => [s.symbol, s.leverage]));
      });
    } catch (e) {
      this.opts.logger?.debug({ venue: 'pacifica', account: account.id, code: e instanceof DeltaOpsError ? e.code : undefined }, 'leverage settings unavailable');
      return new Map();
    }
  }

  private async get<S extends z.ZodType>(path: string, schema: S, account: AccountRef | undefined, opts?: CallOptions): Promise<{ data: z.output<S>; json: unknown }> {
    const address = account?.address;
    const res = await this.http.request({
      path,
      ...(address ? { query: () => `account=${encodeURIComponent(address)}` } : {}),
      ...(account?.proxyUrl ? { proxyUrl: account.proxyUrl } : {}),
      ...(opts?.signal ? { signal: opts.signal } : {}),
    });
    const where = { venue: 'pacifica' as const, endpoint: `GET ${path}` };
    const { data } = parsePayload(envelope, res.json, where);
    return { data: parsePayload(schema, data, where), json: res.json };
  }
}
