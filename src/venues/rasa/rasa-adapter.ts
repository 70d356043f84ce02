import type { z } from 'zod';
import { DeltaOpsError, ErrorCode } from '../../core/errors.js';
import type { AccountState, Capabilities, FundingQuote, HedgerCapacity, MarketSpec, PriceQuote } from '../../core/types.js';
import type { AccountRef, CallOptions, VenueAdapter } from '../../core/ports/venue-adapter.js';
import { DEFAULT_CONCURRENCY, DEFAULT_TIMEOUT_MS, type HttpAdapterOptions } from '../http/adapter-options.js';
import { HttpClient, type HttpRequest } from '../http/http-client.js';
import { parsePayload, parseRows } from '../http/payload.js';
import { RateLimiter } from '../http/rate-limiter.js';
import { realSleep } from '../http/sleep.js';
import { TtlCache } from '../http/ttl-cache.js';
import { toBalance, toFailureNotice, toFundingQuotes, toMarketSpec } from './rasa-map.js';
import {
  balanceInfo, contractSymbol, contractSymbolsResponse, fundingInfo, openInterest, partyAUpnl, positionStateResponse, positionStateRow,
  type RasaPartyBalance,
} from './rasa-schemas.js';

export const RASA_BASE_MAINNET = 'https://base-hedger82.rasa.capital';

const CAPABILITIES: Capabilities = {
  balances: true,
  // Positions live on-chain (venues.md §4.13): fetchAccount returns none, which does not mean flat.
  positions: false,
  // Mark prices for SYMMIO markets come from Binance (venues.md §4.12).
  markPrices: false,
  funding: true,
  marketSpecs: true,
  hedgerCapacity: true,
  keyPermissions: false,
};

/** Rasa declares 1 req/s, 40 req/min, 1500 req/h on these routes: one token per 1.5 s meets all three. */
const THROTTLED = { weight: 1, windowMs: 1500 };

export interface RasaOptions extends HttpAdapterOptions {
  /** Failed position-state entries newer than this become notices (and so alerts). */
  failureWindowMs?: number;
  /** Hedger-wide open interest is shared by every account within this time. */
  capacityTtlMs?: number;
  /** `App-Name` header some SYMMIO frontends send; whether Rasa needs it is unconfirmed. */
  appName?: string;
}

/**
 * Rasa Capital SYMMIO hedger: balance info per sub-account, hedger open interest as capacity, funding,
 * contract symbols, and failed position-state entries as notices. No auth on reads.
 */
export class RasaAdapter implements VenueAdapter {
  readonly venue = 'rasa' as const;
  readonly capabilities = CAPABILITIES;
  private readonly http: HttpClient;
  private readonly capacity: TtlCache<HedgerCapacity>;
  private readonly limiters: Record<'openInterest' | 'notionalCap' | 'funding', RateLimiter>;

  constructor(private readonly opts: RasaOptions) {
    this.http = new HttpClient({
      venue: 'rasa',
      baseUrl: opts.baseUrl ?? RASA_BASE_MAINNET,
      timeoutMs: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      concurrency: opts.concurrency ?? DEFAULT_CONCURRENCY,
      clock: opts.clock,
      maxBodyBytes: opts.maxBodyBytes,
      // Limits of the other routes are unconfirmed; a modest budget per egress.
      rateLimit: opts.rateLimit ?? { weight: 300, windowMs: 60_000 },
      ...(opts.appName ? { headers: { 'App-Name': opts.appName } } : {}),
      ...(opts.sleep ? { sleep: opts.sleep } : {}),
      ...(opts.random ? { random: opts.random } : {}),
      ...(opts.logger ? { logger: opts.logger } : {}),
      ...(opts.retry ? { retry: opts.retry } : {}),
      ...(opts.breaker ? { breaker: opts.breaker } : {}),
    });
    const sleep = opts.sleep ?? realSleep;
    this.limiters = {
      openInterest: new RateLimiter(THROTTLED, opts.clock, sleep),
      notionalCap: new RateLimiter(THROTTLED, opts.clock, sleep),
      funding: new RateLimiter(THROTTLED, opts.clock, sleep),
    };
    this.capacity = new TtlCache(opts.capacityTtlMs ?? 5000, opts.clock);
  }

  async fetchAccount(account: AccountRef, opts?: CallOptions): Promise<AccountState> {
    const { address, multiAccountAddress: multi } = account;
    if (!address || !multi) throw new DeltaOpsError(ErrorCode.InvalidAccount, `rasa account ${account.id} needs address and multiAccountAddress`);
    const path = `/get_balance_info/${encodeURIComponent(address)}/${encodeURIComponent(multi)}`;
    const [bal, capacity, states] = await Promise.all([
      this.get(path, balanceInfo, account, opts),
      this.hedgerCapacity(account, opts),
      this.failures(account, opts),
    ]);
    const party = pickParty(bal.data, address);
    if (!party) throw new DeltaOpsError(ErrorCode.InvalidAccount, `rasa balance info has no entry for account ${account.id}`);
    const upnl = party.upnl ?? (await this.get(`/partyA_upnl/${encodeURIComponent(address)}`, partyAUpnl, account, opts)).data;
    const state: AccountState = {
      balance: toBalance(party, upnl),
      positions: [],
      raw: { balanceInfo: bal.json, positionState: states.json },
    };
    if (capacity) state.hedgerCapacity = capacity;
    if (states.notices.length > 0) state.notices = states.notices;
    return state;
  }

  async fetchMarkets(opts?: CallOptions): Promise<MarketSpec[]> {
    const { data } = await this.get('/contract-symbols', contractSymbolsResponse, undefined, opts);
    const { rows } = parseRows(contractSymbol, data.symbols, { venue: 'rasa', endpoint: 'GET /contract-symbols' });
    const fee = this.opts.takerFee ?? 0.0006;
    return rows.flatMap((s) => toMarketSpec(s, fee) ?? []);
  }

  async fetchPrices(): Promise<PriceQuote[]> {
    return [];
  }

  async fetchFunding(opts?: CallOptions): Promise<FundingQuote[]> {
    const { data } = await this.get('/get_funding_info', fundingInfo, undefined, opts, this.limiters.funding);
    return toFundingQuotes(data);
  }

  /** Per-symbol cap (`/notional_cap/{symbol_id}`, throttled to 1 req/1.5 s): for on-demand checks, not per tick. */
  async fetchNotionalCap(symbolId: number, opts?: CallOptions): Promise<HedgerCapacity> {
    const { data } = await this.get(`/notional_cap/${symbolId}`, openInterest, undefined, opts, this.limiters.notionalCap);
    return { used: data.used, cap: data.total_cap };
  }

  async close(): Promise<void> {
    await this.http.close();
  }

  /** Hedger-wide open interest vs cap; best effort: a throttled or failing route must not fail the account. */
  private async hedgerCapacity(account: AccountRef, opts?: CallOptions): Promise<HedgerCapacity | undefined> {
    try {
      return await this.capacity.get('all', async () => {
        const { data } = await this.get('/open-interest', openInterest, account, opts, this.limiters.openInterest);
        return { used: data.used, cap: data.total_cap };
      });
    } catch (e) {
      this.opts.logger?.warn({ venue: 'rasa', code: e instanceof DeltaOpsError ? e.code : undefined }, 'open interest unavailable');
      return undefined;
    }
  }

  /** Failed entries of the position-state log within the window; best effort, never fails the sync. */
  private async failures(account: AccountRef, opts?: CallOptions): Promise<{ notices: string[]; json: unknown }> {
    const since = Math.floor((this.opts.clock.now() - (this.opts.failureWindowMs ?? 900_000)) / 1000);
    try {
      const res = await this.http.request(this.req('/position-state/0/100', account, opts, {
        method: 'POST',
        route: '/position-state',
        body: { address: account.address, modify_time_gte: since },
      }));
      const data = parsePayload(positionStateResponse, res.json, { venue: 'rasa', endpoint: 'POST /position-state' });
      const { rows } = parseRows(positionStateRow, data.position_state, { venue: 'rasa', endpoint: 'POST /position-state' });
      const failed = rows.filter((r) => r.action_status === 'failed' && (r.modify_time ?? r.create_time ?? since) >= since);
      return { notices: failed.map(toFailureNotice), json: res.json };
    } catch (e) {
      this.opts.logger?.warn({ venue: 'rasa', account: account.id, code: e instanceof DeltaOpsError ? e.code : undefined }, 'position-state log unavailable');
      return { notices: [], json: undefined };
    }
  }

  private async get<S extends z.ZodType>(
    path: string, schema: S, account: AccountRef | undefined, opts?: CallOptions, limiter?: RateLimiter,
  ): Promise<{ data: z.output<S>; json: unknown }> {
    const route = routeOf(path);
    const res = await this.http.request(this.req(path, account, opts, { route, ...(limiter ? { limiter } : {}) }));
    return { data: parsePayload(schema, res.json, { venue: 'rasa', endpoint: `GET ${route}` }), json: res.json };
  }

  private req(path: string, account: AccountRef | undefined, opts: CallOptions | undefined, extra: Partial<HttpRequest>): HttpRequest {
    return {
      path,
      ...extra,
      ...(account?.proxyUrl ? { proxyUrl: account.proxyUrl } : {}),
      ...(opts?.signal ? { signal: opts.signal } : {}),
    };
  }
}

/** The route without addresses, for error messages: `/get_balance_info/0xabc/0xdef` → `/get_balance_info`. */
function routeOf(path: string): string {
  return `/${path.split('/')[1] ?? ''}`;
}

function pickParty(data: z.output<typeof balanceInfo>, address: string): RasaPartyBalance | undefined {
  const entries = Object.entries(data);
  const match = entries.find(([k]) => k.toLowerCase() === address.toLowerCase());
  if (match) return match[1].party_a;
  return entries.length === 1 ? entries[0]?.[1].party_a : undefined;
}
