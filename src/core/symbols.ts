import type { Symbol } from './types.js';

const QUOTE_SUFFIXES = ['USDT', 'USDC', 'USD', 'BUSD'];
const MULTIPLIER_PREFIX = /^(1000000|100000|10000|1000|100|1M|k|m)(?=[A-Z])/;

export interface CanonicalSymbol {
  symbol: Symbol;
  /** Base units of `symbol` per unit of the venue contract. */
  multiplier: number;
}

/**
 * Canonical symbol of a venue's contract name (design.md §2): `BTC-USD`, `BTC/USD`, `BTCUSDT`,
 * `BTC-PERP`, `BTCUSD_PERP` and `BTC` all give `BTC`; `1000PEPEUSDT` gives `PEPE` with multiplier 1000;
 * Pacifica's `kBONK` gives `BONK` with multiplier 1000.
 */
export function canonicalSymbol(venueSymbol: string): CanonicalSymbol {
  let s = venueSymbol.trim();
  s = s.replace(/[-_](PERP|SWAP)$/i, '').replace(/PERP$/i, '');
  s = s.split(/[-/:_]/)[0] ?? s;
  let multiplier = 1;
  const m = MULTIPLIER_PREFIX.exec(s);
  if (m?.[1]) {
    const p = m[1];
    multiplier = p === 'k' ? 1000 : p === 'm' || p === '1M' ? 1_000_000 : Number(p);
    s = s.slice(p.length);
  }
  s = s.toUpperCase();
  for (const q of QUOTE_SUFFIXES) {
    if (s.length > q.length && s.endsWith(q)) {
      s = s.slice(0, -q.length);
      break;
    }
  }
  return { symbol: s, multiplier };
}
