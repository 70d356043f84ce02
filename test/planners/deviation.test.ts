import { describe, expect, it } from 'vitest';
import { computeDeviation, summarizeSizes } from '../../src/core/risk/deviation.js';

describe('computeDeviation', () => {
  it('handles the edge cases of design.md §2', () => {
    // hedgeSize 0 and net = target = 0 → 0.
    expect(computeDeviation(0, 0, 0)).toBe(0);
    // hedgeSize 0 but net 0 ≠ target 0.5 → 1.
    expect(computeDeviation(0, 0.5, 0)).toBe(1);
    // |0.3 − 0| / 1.2 = 0.25.
    expect(computeDeviation(0.3, 0, 1.2)).toBe(0.25);
    // |−0.2 − 0| / 0.8 = 0.25.
    expect(computeDeviation(-0.2, 0, 0.8)).toBe(0.25);
    // |0.1 − (−0.5)| / 0.2 = 3.
    expect(computeDeviation(0.1, -0.5, 0.2)).toBeCloseTo(3, 12);
  });

  it('summarizes signed sizes without float drift', () => {
    // net = 1.0 − 0.7 + 0.2 = 0.5; long = 1.0 + 0.2 = 1.2; short = 0.7; hedge = max(1.2, 0.7) = 1.2.
    expect(summarizeSizes([1.0, -0.7, 0.2])).toEqual({ net: 0.5, longSize: 1.2, shortSize: 0.7, hedgeSize: 1.2 });
    // nothing held → all zero.
    expect(summarizeSizes([])).toEqual({ net: 0, longSize: 0, shortSize: 0, hedgeSize: 0 });
  });
});
