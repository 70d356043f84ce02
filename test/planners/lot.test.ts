import { describe, expect, it } from 'vitest';
import { decimalPlaces, subtractDecimals, sumDecimals } from '../../src/core/decimal.js';
import { lotsIn, roundDownToLot } from '../../src/core/planners/lot.js';

describe('roundDownToLot', () => {
  it('counts whole lots on scaled integers, not float division', () => {
    // 0.3 / 0.1 = 2.9999999999999996 in floats; scaled: 3 units / 1 unit = 3 lots.
    expect(lotsIn(0.3, 0.1)).toBe(3);
    expect(roundDownToLot(0.3, 0.1)).toBe(0.3);
    // 0.29 × 100 = 28.999999999999996 in floats; snapped to 29 units → 29 lots of 0.01 = 0.29.
    expect(roundDownToLot(0.29, 0.01)).toBe(0.29);
    // 0.7 × 10 = 7.000000000000001; snapped to 7 → 0.7.
    expect(roundDownToLot(0.7, 0.1)).toBe(0.7);
    // 123 units of 0.001 → 123 / 1000 = 0.123 exactly (no 0.12300000000000001 tail).
    expect(roundDownToLot(0.123, 0.001)).toBe(0.123);
    // 1.0 − 0.7 = 0.30000000000000004 → still exactly 3 lots of 0.1 → 0.3.
    expect(roundDownToLot(1.0 - 0.7, 0.1)).toBe(0.3);
  });

  it('rounds down, never up, and toward zero for negatives', () => {
    // 0.0999 → 0.999 units of 0.1 → 0 lots.
    expect(roundDownToLot(0.0999, 0.1)).toBe(0);
    // 0.12345 at lot 0.001 → 123.45 units → 123 → 0.123.
    expect(roundDownToLot(0.12345, 0.001)).toBe(0.123);
    // 1.7 at lot 0.5 → 17 tenths / 5 tenths = 3 lots → 1.5.
    expect(roundDownToLot(1.7, 0.5)).toBe(1.5);
    // −0.37 at lot 0.1 → −(3 lots) = −0.3.
    expect(roundDownToLot(-0.37, 0.1)).toBe(-0.3);
    // 1,234,567.8 PEPE at lot 1000 → 1234 lots → 1,234,000.
    expect(roundDownToLot(1_234_567.8, 1000)).toBe(1_234_000);
    // lot 1e-7 (exponent notation): 0.00000035 → 3.5 units → 3 → 3e-7.
    expect(roundDownToLot(0.00000035, 1e-7)).toBe(3e-7);
  });

  it('rejects a non-positive lot size', () => {
    expect(() => roundDownToLot(1, 0)).toThrow(RangeError);
  });
});

describe('decimal helpers', () => {
  it('counts real decimal places and sums without drift', () => {
    // 0.1 + 0.2 = 0.30000000000000004 in floats → 1 real decimal.
    expect(decimalPlaces(0.1 + 0.2)).toBe(1);
    // 1.5e-8 = 0.000000015 → 9 decimals.
    expect(decimalPlaces(1.5e-8)).toBe(9);
    // 0.5 + 0.5 − 0.9 = (5 + 5 − 9) tenths = 0.1 exactly.
    expect(sumDecimals([0.5, 0.5, -0.9])).toBe(0.1);
    // 1.0 − 0.7 = 0.3 exactly.
    expect(subtractDecimals(1.0, 0.7)).toBe(0.3);
  });
});
