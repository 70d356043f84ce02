import { createHmac } from 'node:crypto';
import { FakeHttpServer, type FakeReply, type LoggedRequest } from './fake-http-server.js';
import {
  asterFundingInfo, binanceFundingInfo, binancePositions, binanceTotals, exchangeSymbols, premiumIndexRows,
  type BinanceFakePosition, type BinanceFakeTotals,
} from './fixtures/binance-like.js';

export type BinanceLikeVariant = 'binance' | 'aster';
/** v2: every symbol, `unRealizedProfit`, leverage; v3: open positions only, no leverage; aster-live: the field set live Aster v3 reportedly returns. */
export type PositionRiskStyle = 'v2' | 'v3' | 'aster-live';

export interface BinanceFakeAccount {
  apiKey: string;
  secret: string;
  totals: BinanceFakeTotals;
  positions: BinanceFakePosition[];
  canTrade: boolean;
  canWithdraw: boolean;
}

const err = (status: number, code: number, msg: string): FakeReply => ({ status, json: { code, msg } });

/**
 * Binance USDⓈ-M (`variant: 'binance'`: /fapi/v3/account, /fapi/v3/positionRisk, /fapi/v1/accountConfig)
 * or Aster V1 (`'aster'`: /fapi/v4/account, /fapi/v2/positionRisk), plus public exchangeInfo, premiumIndex,
 * fundingInfo. Signed routes check `X-MBX-APIKEY`, the HMAC-SHA256 signature over the exact query and the
 * timestamp against `now() + serverSkewMs` with the venue's acceptance rule, answering the documented
 * `{code,msg}` errors (-2015, -1022, -1021, -1102).
 */
export class BinanceLikeFake extends FakeHttpServer {
  readonly accounts = new Map<string, BinanceFakeAccount>();
  premiumIndex = premiumIndexRows();
  fundingInfo: Record<string, unknown>[];
  symbols: Record<string, unknown>[];
  /** Server clock minus the client's: a positive skew makes client timestamps look old. */
  serverSkewMs = 0;
  positionRiskStyle: PositionRiskStyle;
  private readonly paths: { account: string; positionRisk: string };

  constructor(readonly variant: BinanceLikeVariant, now?: () => number) {
    super(now);
    const aster = variant === 'aster';
    this.fundingInfo = aster ? asterFundingInfo() : binanceFundingInfo();
    this.symbols = exchangeSymbols(aster ? 'OrderType' : 'orderTypes');
    this.positionRiskStyle = aster ? 'v2' : 'v3';
    this.paths = aster
      ? { account: '/fapi/v4/account', positionRisk: '/fapi/v2/positionRisk' }
      : { account: '/fapi/v3/account', positionRisk: '/fapi/v3/positionRisk' };
  }

  /** A started fake with `n` accounts (`key0`/`secret0`, …), each holding the fixture book. */
  static async withAccounts(variant: BinanceLikeVariant, n = 1, now?: () => number): Promise<BinanceLikeFake> {
    const fake = new BinanceLikeFake(variant, now);
    for (let i = 0; i < n; i++) fake.addAccount(`key${i}`, `secret${i}`);
    await fake.start();
    return fake;
  }

  addAccount(apiKey: string, secret: string, partial: Partial<BinanceFakeAccount> = {}): BinanceFakeAccount {
    const acc: BinanceFakeAccount = { apiKey, secret, totals: binanceTotals(), positions: binancePositions(), canTrade: true, canWithdraw: false, ...partial };
    this.accounts.set(apiKey, acc);
    return acc;
  }

  serverTime(): number {
    return this.now() + this.serverSkewMs;
  }

  protected override rateLimitBody(status: number): unknown {
    return status === 418
      ? { code: -1003, msg: `Way too much request weight used; IP banned until ${this.now() + 120_000}. Please use the websocket for live updates to avoid bans.` }
      : { code: -1003, msg: 'Too many requests; current limit of IP(127.0.0.1) is 2400 requests per minute. Please use the websocket for live updates to avoid polling the API.' };
  }

  protected handle(req: LoggedRequest): FakeReply | undefined {
    switch (req.path) {
      case '/fapi/v1/exchangeInfo':
        return { json: this.exchangeInfo() };
      case '/fapi/v1/premiumIndex': {
        const symbol = req.query.get('symbol');
        if (!symbol) return { json: this.premiumIndex };
        const row = this.premiumIndex.find((r) => r.symbol === symbol);
        return row ? { json: row } : err(400, -1121, 'Invalid symbol.');
      }
      case '/fapi/v1/fundingInfo':
        return { json: this.fundingInfo };
    }
    const signedPaths = [this.paths.account, this.paths.positionRisk, ...(this.variant === 'binance' ? ['/fapi/v1/accountConfig'] : [])];
    if (!signedPaths.includes(req.path)) return undefined;
    const auth = this.authenticate(req);
    if (!('account' in auth)) return auth;
    const acc = auth.account;
    if (req.path === this.paths.account) return { json: this.renderAccount(acc) };
    if (req.path === this.paths.positionRisk) return { json: this.renderPositionRisk(acc) };
    return { json: { feeTier: 0, canTrade: acc.canTrade, canDeposit: true, canWithdraw: acc.canWithdraw, dualSidePosition: false, updateTime: 0, multiAssetsMargin: false, tradeGroupId: -1 } };
  }

  private authenticate(req: LoggedRequest): { account: BinanceFakeAccount } | FakeReply {
    const key = req.headers['x-mbx-apikey'];
    const acc = typeof key === 'string' ? this.accounts.get(key) : undefined;
    if (!acc) return err(401, -2015, 'Invalid API-key, IP, or permissions for action.');
    const at = req.rawQuery.lastIndexOf('signature=');
    if (at === -1) return err(400, -1102, "Mandatory parameter 'signature' was not sent, was empty/null, or malformed.");
    const payload = req.rawQuery.slice(0, Math.max(0, at - 1));
    const expected = createHmac('sha256', acc.secret).update(payload).digest('hex');
    if (req.rawQuery.slice(at + 'signature='.length) !== expected) return err(400, -1022, 'Signature for this request is not valid.');
    const timestamp = Number(req.query.get('timestamp'));
    const recvWindow = Number(req.query.get('recvWindow') ?? 5000);
    const server = this.serverTime();
    if (!(timestamp < server + 1000 && server - timestamp <= recvWindow)) {
      return err(400, -1021, timestamp >= server + 1000 ? "Timestamp for this request was 1000ms ahead of the server's time." : 'Timestamp for this request is outside of the recvWindow.');
    }
    return { account: acc };
  }

  private exchangeInfo(): Record<string, unknown> {
    return {
      exchangeFilters: [],
      rateLimits: [
        { interval: 'MINUTE', intervalNum: 1, limit: 2400, rateLimitType: 'REQUEST_WEIGHT' },
        { interval: 'MINUTE', intervalNum: 1, limit: 1200, rateLimitType: 'ORDERS' },
      ],
      serverTime: this.serverTime(),
      assets: [{ asset: 'USDT', marginAvailable: true, autoAssetExchange: 0 }],
      symbols: this.symbols,
      timezone: 'UTC',
    };
  }

  private renderAccount(acc: BinanceFakeAccount): Record<string, unknown> {
    const t = acc.totals;
    const totals = {
      totalInitialMargin: '0.00000000', totalMaintMargin: t.totalMaintMargin, totalWalletBalance: t.totalWalletBalance,
      totalUnrealizedProfit: t.totalUnrealizedProfit, totalMarginBalance: t.totalMarginBalance, totalPositionInitialMargin: '0.00000000',
      totalOpenOrderInitialMargin: '0.00000000', totalCrossWalletBalance: t.totalWalletBalance, totalCrossUnPnl: t.totalUnrealizedProfit,
      availableBalance: t.availableBalance, maxWithdrawAmount: t.availableBalance,
    };
    const assets = [{
      asset: 'USDT', walletBalance: t.totalWalletBalance, unrealizedProfit: t.totalUnrealizedProfit, marginBalance: t.totalMarginBalance,
      maintMargin: t.totalMaintMargin, initialMargin: '0', positionInitialMargin: '0', openOrderInitialMargin: '0',
      crossWalletBalance: t.totalWalletBalance, crossUnPnl: t.totalUnrealizedProfit, availableBalance: t.availableBalance,
      maxWithdrawAmount: t.availableBalance, marginAvailable: true, updateTime: 1625474304765,
    }];
    if (this.variant === 'binance') {
      const positions = acc.positions.map((p) => ({
        symbol: p.symbol, positionSide: p.positionSide, positionAmt: p.positionAmt, unrealizedProfit: p.unRealizedProfit,
        isolatedMargin: '0.00000000', notional: '0', isolatedWallet: '0', initialMargin: '0', maintMargin: '0', updateTime: 0,
      }));
      return { ...totals, assets, positions };
    }
    const positions = acc.positions.map((p) => ({
      symbol: p.symbol, initialMargin: '0', maintMargin: '0', unrealizedProfit: p.unRealizedProfit, positionInitialMargin: '0',
      openOrderInitialMargin: '0', leverage: p.leverage, isolated: p.marginType === 'isolated', entryPrice: p.entryPrice,
      maxNotional: '250000', positionSide: p.positionSide, positionAmt: p.positionAmt, updateTime: 0,
    }));
    return { feeTier: 0, canTrade: acc.canTrade, canDeposit: true, canWithdraw: acc.canWithdraw, updateTime: 0, ...totals, assets, positions };
  }

  private renderPositionRisk(acc: BinanceFakeAccount): Record<string, unknown>[] {
    switch (this.positionRiskStyle) {
      case 'v2':
        return acc.positions.map((p) => ({
          entryPrice: p.entryPrice, breakEvenPrice: p.entryPrice, marginType: p.marginType, isAutoAddMargin: 'false', isolatedMargin: '0.00000000',
          leverage: p.leverage, liquidationPrice: p.liquidationPrice, markPrice: p.markPrice, maxNotionalValue: '20000000',
          positionAmt: p.positionAmt, notional: '0', isolatedWallet: '0', symbol: p.symbol, unRealizedProfit: p.unRealizedProfit,
          positionSide: p.positionSide, updateTime: 1625474304765,
        }));
      case 'v3':
        return acc.positions.filter((p) => Number(p.positionAmt) !== 0).map((p) => ({
          symbol: p.symbol, positionSide: p.positionSide, positionAmt: p.positionAmt, entryPrice: p.entryPrice, breakEvenPrice: p.entryPrice,
          markPrice: p.markPrice, unRealizedProfit: p.unRealizedProfit, liquidationPrice: p.liquidationPrice, isolatedMargin: '0',
          notional: '0', marginAsset: 'USDT', isolatedWallet: '0', initialMargin: '0', maintMargin: '0', positionInitialMargin: '0',
          openOrderInitialMargin: '0', adl: 2, bidNotional: '0', askNotional: '0', updateTime: 1720736417660,
        }));
      case 'aster-live':
        return acc.positions.map((p) => ({
          symbol: p.symbol, initialMargin: '0', maintMargin: '0', unrealizedProfit: p.unRealizedProfit, positionInitialMargin: '0',
          openOrderInitialMargin: '0', leverage: p.leverage, isolated: p.marginType === 'isolated', entryPrice: p.entryPrice,
          maxNotional: '250000', positionSide: p.positionSide, positionAmt: p.positionAmt, updateTime: 0,
        }));
    }
  }
}
