import { describe, expect, it } from 'vitest';
import { computeRisk } from '../../src/core/risk/compute-risk.js';
import { buildFunding } from '../../src/core/queries/funding.js';
import { buildPositions } from '../../src/core/queries/positions.js';
import type { FundingQuote } from '../../src/core/types.js';
import { account, LEVELS, pos, snapshot, T0 } from '../risk/fixtures.js';

const q = (symbol: string, venueSymbol: string, rate: number, intervalHours: number): FundingQuote => ({ symbol, venueSymbol, rate, intervalHours });
const noHistory = { accountEquitySeries: () => [], portfolioEquitySeries: () => [], priceSeries: () => [] };

/*
 * acc-a (binance): equity 20,000. BTC +0.5 entry 60,000, the venue's mark 62,000, liq 48,000, venue uPnL
 *   1,000; ETH −10 entry 3,000, no venue mark (the snapshot's 3,100), liq 3,400, no venue uPnL.
 * acc-b (pacifica), last sync failed: equity 10,000. BTC −0.4 entry 61,000, mark 62,000, no liq.
 * acc-c: never synced. Funding: Binance BTCUSDT 0.01 %/8 h, ETHUSDT −0.02 %/4 h; Pacifica BTC 0.001 %/h.
 */
const snap = snapshot(
  [
    account('acc-a', { equity: 20_000, available: 12_000, positions: [pos('BTC', 0.5, { entryPrice: 60_000, markPrice: 62_000, liquidationPrice: 48_000, unrealizedPnl: 1_000 }), pos('ETH', -10, { entryPrice: 3_000, liquidationPrice: 3_400 })] }, { venue: 'binance' }),
    account('acc-b', { equity: 10_000, available: 5_000, positions: [pos('BTC', -0.4, { entryPrice: 61_000, markPrice: 62_000 })] }, { venue: 'pacifica', status: 'failed' }),
    account('acc-c', undefined),
  ],
  { BTC: 62_000, ETH: 3_100 },
  { funding: { binance: [q('BTC', 'BTCUSDT', 0.0001, 8), q('ETH', 'ETHUSDT', -0.0002, 4)], pacifica: [q('BTC', 'BTC', 0.00001, 1)] } },
);

describe('buildPositions: hand-worked numbers', () => {
  const r = buildPositions(snap);

  it('each row: notional, uPnL, liquidation distance, leverage and funding per 8 h', () => {
    expect(r.rows.map((p) => [p.account, p.symbol])).toEqual([['acc-a', 'BTC'], ['acc-a', 'ETH'], ['acc-b', 'BTC']]);
    const [btc, eth, short] = r.rows;
    // 0.5 × 62,000 = 31,000; uPnL the venue's 1,000; |62,000 − 48,000| / 62,000 = 0.2258; 31,000 / 20,000 = 1.55x;
    // rate 0.0001 × 8 / 8 = 0.0001 per 8 h; funding −0.5 × 62,000 × 0.0001 = −3.10 (the long pays).
    expect(btc).toMatchObject({ venue: 'binance', side: 'long', size: 0.5, entryPrice: 60_000, mark: 62_000, notional: 31_000, unrealizedPnl: 1_000, liquidationPrice: 48_000, leverage: 1.55, rate8h: 0.0001, funding8h: -3.1, stale: false });
    expect(btc!.liquidationDistance).toBeCloseTo(14_000 / 62_000, 12);
    // −10 × 3,100 = −31,000 (a tie in |notional| with BTC: the account, then the symbol decides);
    // uPnL (3,100 − 3,000) × −10 = −1,000; |3,100 − 3,400| / 3,100 = 0.0968; 1.55x;
    // rate −0.0002 × 8 / 4 = −0.0004 per 8 h: shorts pay; funding −(−10) × 3,100 × (−0.0004) = −12.40.
    expect(eth).toMatchObject({ side: 'short', mark: 3_100, notional: -31_000, unrealizedPnl: -1_000, leverage: 1.55, rate8h: -0.0004, funding8h: -12.4 });
    expect(eth!.liquidationDistance).toBeCloseTo(300 / 3_100, 12);
    // −0.4 × 62,000 = −24,800; uPnL (62,000 − 61,000) × −0.4 = −400; no liq; 24,800 / 10,000 = 2.48x;
    // Pacifica quotes BTC (not BTCUSDT): the venue's BTC quote, 0.00001 × 8 = 0.00008 per 8 h;
    // funding −(−0.4) × 62,000 × 0.00008 = +1.984 (the short receives). Stale: its last sync failed.
    expect(short).toMatchObject({ venue: 'pacifica', side: 'short', notional: -24_800, unrealizedPnl: -400, leverage: 2.48, rate8h: 0.00008, funding8h: 1.984, stale: true });
    expect(short!.liquidationPrice).toBeUndefined();
    expect(short!.liquidationDistance).toBeUndefined();
  });

  it('totals, and the accounts without data', () => {
    // gross 31,000 + 31,000 + 24,800 = 86,800; uPnL 1,000 − 1,000 − 400 = −400; funding −3.10 − 12.40 + 1.984 = −13.516.
    expect(r).toMatchObject({ grossNotional: 86_800, unrealizedPnl: -400, funding8h: -13.516, noData: ['acc-c'] });
  });

  it('adds up to what /risk and /funding show', () => {
    const risk = computeRisk(snap, noHistory, { thresholds: LEVELS }, T0);
    const a = risk.accounts.find((m) => m.account === 'acc-a')!;
    // /risk: acc-a leverage (31,000 + 31,000) / 20,000 = 3.1 = 1.55 + 1.55; liquidation distance = the least.
    expect(a.leverage).toBeCloseTo(r.rows[0]!.leverage! + r.rows[1]!.leverage!, 12);
    expect(a.liquidationDistance).toBeCloseTo(r.rows[1]!.liquidationDistance!, 12);
    expect(risk.portfolio.grossNotional).toBeCloseTo(r.grossNotional, 6);
    // /funding: the net carry is the positions' funding summed.
    expect(buildFunding(snap).netCarry8h).toBeCloseTo(r.funding8h, 9);
  });

  it('filters by account and by symbol', () => {
    expect(buildPositions(snap, { account: 'acc-b' }).rows.map((p) => p.notional)).toEqual([-24_800]);
    const eth = buildPositions(snap, { symbol: 'ETH' });
    expect(eth.rows.map((p) => p.account)).toEqual(['acc-a']);
    expect(eth).toMatchObject({ grossNotional: 31_000, funding8h: -12.4 });
    expect(buildPositions(snap, { account: 'acc-c' })).toEqual({ rows: [], grossNotional: 0, unrealizedPnl: 0, funding8h: 0, noData: ['acc-c'] });
  });

  it('a position with no mark anywhere: notional at the entry price, no uPnL, no distance, no funding quote', () => {
    const s = snapshot([account('x', { equity: 1_000, positions: [pos('SOL', -2, { entryPrice: 150, liquidationPrice: 200 }), pos('BTC', 0, { entryPrice: 1 })] })]);
    // −2 × 150 = −300 (as /risk's gross notional does); leverage 300 / 1,000 = 0.3. The flat BTC row is left out.
    expect(buildPositions(s).rows).toEqual([
      { account: 'x', venue: 'paper', symbol: 'SOL', venueSymbol: 'SOLUSDT', side: 'short', size: -2, entryPrice: 150, notional: -300, unrealizedPnl: 0, liquidationPrice: 200, leverage: 0.3, stale: false },
    ]);
  });
});
