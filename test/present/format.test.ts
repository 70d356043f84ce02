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
});
