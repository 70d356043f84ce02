import { describe, expect, it } from 'vitest';
import { price, qty, usd } from '../../src/present/format.js';

describe('format', () => {
  it('prices under 1 keep six significant digits, without padded zeros or exponents', () => {
    // A PEPE mark and its buy estimate: 0.0000124 × 1.005 = 0.000012462.
    expect(price(0.000012345)).toBe('0.000012345');
    expect(price(0.0000124 * 1.005)).toBe('0.000012462');
    expect(price(0.5)).toBe('0.5');
    expect(price(0.123456789)).toBe('0.123457');
    // From 1: four decimals, trailing zeros trimmed; from 1,000: grouped, up to two decimals.
    expect(price(1.23456789)).toBe('1.2346');
    expect(price(2)).toBe('2');
    expect(price(50_250)).toBe('50,250');
    expect(price(49_750.125)).toBe('49,750.13');
  });

  it('sizes: tiny ones without exponent, −0 as 0', () => {
    expect(qty(0.00000012)).toBe('0.00000012');
    expect(qty(5_000_000)).toBe('5000000');
    expect(qty(-0.3)).toBe('-0.3');
    expect(qty(-0)).toBe('0');
  });

  it('money: grouped, two decimals', () => {
    expect(usd(6_563.2)).toBe('$6,563.20');
    expect(usd(-13_333.33)).toBe('-$13,333.33');
    expect(usd(420_000, 0)).toBe('$420,000');
  });

  it('money and large prices: exactly what Intl.NumberFormat writes, ties included (the shortest decimal, half away from zero)', () => {
    // 1.005 is 1.00499999999999989… in binary: toFixed says 1.00, Intl 1.01.
    expect([usd(1.005), usd(-2.675), usd(9_999.995), usd(999_999.5, 0), usd(0.004), usd(-0.001), usd(-0)]).toEqual(['$1.01', '-$2.68', '$10,000.00', '$1,000,000', '$0.00', '-$0.00', '$0.00']);
    expect([price(1_234.995), price(1_234.5), price(99_999.999), usd(2.5e21, 0)]).toEqual(['1,235', '1,234.5', '100,000', '$2,500,000,000,000,000,000,000']);
    const intl = [0, 1, 2, 3, 4].map((d) => new Intl.NumberFormat('en-US', { minimumFractionDigits: d, maximumFractionDigits: d }));
    const upTo2 = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });
    const bits = new Float64Array(1);
    const words = new BigInt64Array(bits.buffer);
    /** `x` moved by `k` units in the last place. */
    const ulps = (x: number, k: number): number => {
      bits[0] = x;
      words[0]! += BigInt(k);
      return bits[0]!;
    };
    let seed = 7;
    const next = (): number => (seed = (seed * 48_271) % 2_147_483_647) / 2_147_483_647;
    for (let i = 0; i < 10_000; i++) {
      const d = i % 5;
      const magnitude = 10 ** Math.floor(next() * 16 - 2);
      // A tie at d decimals, a few ulps either side; and any number.
      const tie = ulps(Math.floor(next() * magnitude * 10 ** d) / 10 ** d + 0.5 / 10 ** d, Math.floor(next() * 9) - 4);
      for (const v of [tie, -tie, next() * magnitude]) {
        expect(usd(v, d)).toBe(`${v < 0 ? '-' : ''}$${intl[d]!.format(Math.abs(v))}`);
        if (v >= 1_000) expect(price(v)).toBe(upTo2.format(v));
      }
    }
  });
});
