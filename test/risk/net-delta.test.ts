import { describe, expect, it } from 'vitest';
import { computeDeviation } from '../../src/core/risk/deviation.js';
import { computeDeltas, computeSymbolDelta } from '../../src/core/risk/net-delta.js';
import { account, pos, snapshot } from './fixtures.js';

/*
 * Book (base units; mark BTC 50 000, ETH 3 000):
 *          a1      a2      a3 (last sync failed)   a4 (never synced)
 *   BTC   +2.0    −1.5    −0.3                       +9 (no state: ignored)
 *   ETH  −10.0      —     +4.0
 *
 * BTC: net = 2.0 − 1.5 − 0.3 = 0.2; long = 2.0; short = 1.8; hedge = max(2.0, 1.8) = 2.0
 *      deviation (target 0) = 0.2 / 2.0 = 0.1; netUsd = 0.2 × 50 000 = 10 000
 * ETH: net = −10 + 4 = −6; long = 4; short = 10; hedge = 10
 *      deviation = |−6 − 0| / 10 = 0.6; netUsd = −6 × 3 000 = −18 000
 */
const book = snapshot(
  [
    account('a1', { positions: [pos('BTC', 2.0), pos('ETH', -10)] }),
    account('a2', { positions: [pos('BTC', -1.5)] }),
    account('a3', { positions: [pos('BTC', -0.3), pos('ETH', 4)] }, { status: 'failed' }),
    account('a4', undefined),
  ],
  { BTC: 50_000, ETH: 3_000 },
);

describe('computeDeltas', () => {
  it('nets three accounts over two symbols, sorted by symbol', () => {
    const [btc, eth, ...rest] = computeDeltas(book, { targets: {} });
    expect(rest).toEqual([]);
    expect(btc?.symbol).toBe('BTC');
    expect(btc?.net).toBeCloseTo(0.2, 12);
    expect(btc?.longSize).toBe(2.0);
    expect(btc?.shortSize).toBeCloseTo(1.8, 12);
    expect(btc?.hedgeSize).toBe(2.0);
    expect(btc?.deviation).toBeCloseTo(0.1, 12);
    expect(btc?.netUsd).toBeCloseTo(10_000, 6);
    expect(btc?.mark).toBe(50_000);
    expect(btc?.accounts).toEqual(['a1', 'a2', 'a3']);
    expect(btc?.staleAccounts).toEqual(['a3']);

    expect(eth).toMatchObject({ symbol: 'ETH', net: -6, longSize: 4, shortSize: 10, hedgeSize: 10, deviation: 0.6, netUsd: -18_000, target: 0 });
    expect(eth?.accounts).toEqual(['a1', 'a3']);
  });

  it('measures deviation from a target, and lists a targeted symbol nobody holds', () => {
    // BTC target 0.2 → |0.2 − 0.2| / 2 = 0; SOL target 5, nobody holds it: hedge 0, net ≠ target → 1.
    const deltas = computeDeltas(book, { targets: { BTC: 0.2, SOL: 5, DOGE: 0 } });
    expect(deltas.map((d) => d.symbol)).toEqual(['BTC', 'ETH', 'SOL']);
    expect(deltas[0]?.deviation).toBeCloseTo(0, 12);
    expect(deltas[2]).toMatchObject({ net: 0, hedgeSize: 0, target: 5, deviation: 1, netUsd: 0, mark: undefined, accounts: [] });
  });

  it('restricts to the given accounts', () => {
    // a1 + a2: BTC net = 2.0 − 1.5 = 0.5, hedge 2.0 → 0.25; ETH: only a1 → −10, hedge 10 → 1.
    const [btc, eth] = computeDeltas(book, { targets: {}, accounts: ['a1', 'a2'] });
    expect(btc).toMatchObject({ net: 0.5, hedgeSize: 2, deviation: 0.25, staleAccounts: [] });
    expect(eth).toMatchObject({ net: -10, hedgeSize: 10, deviation: 1 });
  });

  it('gives netUsd 0 and no mark when the symbol has no price', () => {
    const s = snapshot([account('a1', { positions: [pos('XYZ', 3)] })]);
    expect(computeDeltas(s, { targets: {} })[0]).toMatchObject({ symbol: 'XYZ', net: 3, netUsd: 0, mark: undefined, deviation: 1 });
  });

  it('computeSymbolDelta answers for one symbol, even when flat', () => {
    expect(computeSymbolDelta(book, 'ETH', { targets: {} })).toMatchObject({ net: -6, deviation: 0.6 });
    expect(computeSymbolDelta(book, 'SOL', { targets: {} })).toMatchObject({ net: 0, hedgeSize: 0, deviation: 0, accounts: [] });
  });
});

describe('computeDeviation', () => {
  it('is |net − target| / hedgeSize', () => {
    expect(computeDeviation(0.2, 0, 2)).toBeCloseTo(0.1, 12);
    expect(computeDeviation(-6, 0, 10)).toBe(0.6);
    expect(computeDeviation(-6, -1, 10)).toBe(0.5);
  });

  it('is 0 when net − target and hedgeSize are both 0', () => {
    expect(computeDeviation(0, 0, 0)).toBe(0);
    expect(computeDeviation(5, 5, 0)).toBe(0);
    // float residue of 0.1 + 0.2 − 0.3 is "on target", not a full deviation
    expect(computeDeviation(0.1 + 0.2 - 0.3, 0, 0)).toBe(0);
  });

  it('is 1 when hedgeSize is 0 but net ≠ target', () => {
    expect(computeDeviation(0, 5, 0)).toBe(1);
    expect(computeDeviation(0, -0.001, 0)).toBe(1);
  });
});
