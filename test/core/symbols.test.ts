import { describe, expect, it } from 'vitest';
import { canonicalSymbol } from '../../src/core/symbols.js';

describe('canonicalSymbol', () => {
  it.each([
    ['BTC-USD', 'BTC', 1], ['BTC/USD', 'BTC', 1], ['BTCUSDT', 'BTC', 1], ['BTC-PERP', 'BTC', 1], ['BTCUSD_PERP', 'BTC', 1], ['BTC', 'BTC', 1],
    ['ETHUSDC', 'ETH', 1], ['1000PEPEUSDT', 'PEPE', 1000], ['kBONK', 'BONK', 1000], ['1MBABYDOGEUSDT', 'BABYDOGE', 1_000_000], ['1000SHIBUSDT', 'SHIB', 1000],
  ])('%s → %s × %d', (venueSymbol, symbol, multiplier) => {
    expect(canonicalSymbol(venueSymbol)).toEqual({ symbol, multiplier });
  });
});
