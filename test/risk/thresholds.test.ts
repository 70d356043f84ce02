import { describe, expect, it } from 'vitest';
import { SYMBOL_DEFAULTS, THRESHOLD_DEFAULTS, UTILIZATION_DEFAULTS } from '../../src/core/thresholds/defaults.js';
import { deviationLevel, levelAbove, maxLevel } from '../../src/core/thresholds/levels.js';
import { resolveMaxPositionSize, resolveSymbolLimits, resolveThresholds, type ThresholdSettings } from '../../src/core/thresholds/resolve.js';
import { LEVELS } from './fixtures.js';

describe('the one set of defaults (design.md §2, §3)', () => {
  it('holds the numbers of the design tables', () => {
    expect(THRESHOLD_DEFAULTS).toEqual({
      utilization: { warn: 0.85, critical: 0.95 },
      liquidation: { warn: 0.1, critical: 0.05 },
      drawdown: { critical: 0.05, window: 86_400_000 },
      sync: { failedSyncs: 3, staleTicks: 3, criticalStale: 600_000 },
      hedgerCapacity: { warn: 0.9 },
      funding: { warn8h: 0.001 },
    });
    expect(SYMBOL_DEFAULTS).toEqual({ target: 0, tolerance: 0.05, maxDeviation: 0.1, slippage: 0.005 });
    expect(UTILIZATION_DEFAULTS).toEqual({ target: 0.75, tolerance: 0.1 });
  });

  it('fills in a symbol the config does not list, and only the fields it leaves out', () => {
    expect(resolveSymbolLimits(undefined, 'DOGE')).toEqual({ target: 0, tolerance: 0.05, maxDeviation: 0.1, slippage: 0.005 });
    expect(resolveSymbolLimits({ BTC: { tolerance: 0.02 } }, 'BTC')).toEqual({ target: 0, tolerance: 0.02, maxDeviation: 0.1, slippage: 0.005 });
  });
});

describe('resolveThresholds: global < account-wide < symbol-wide < account+symbol', () => {
  // Written most specific first, so file order alone would give the opposite answer.
  const settings: ThresholdSettings = {
    thresholds: LEVELS,
    symbols: { BTC: { maxPositionSize: 5 } },
    overrides: [
      { account: 'acc-1', symbol: 'BTC', liquidation: { critical: 0.08 }, maxPositionSize: 1 },
      { symbol: 'BTC', liquidation: { warn: 0.2 }, maxPositionSize: 4 },
      { account: 'acc-1', liquidation: { warn: 0.15 }, utilization: { warn: 0.7 }, maxPositionSize: 3 },
      { liquidation: { critical: 0.04 } },
    ],
  };

  it('folds the applicable overrides by rank', () => {
    // acc-1 BTC warn: 0.10 → 0.15 (account-wide) → 0.20 (symbol-wide); critical: 0.05 → 0.04 (global
    // override) → 0.08 (account+symbol).
    expect(resolveThresholds(settings, 'acc-1', 'BTC').liquidation).toEqual({ warn: 0.2, critical: 0.08 });
    // acc-2 BTC: global 0.04, symbol-wide 0.20.
    expect(resolveThresholds(settings, 'acc-2', 'BTC').liquidation).toEqual({ warn: 0.2, critical: 0.04 });
    // acc-2 ETH: only the global override.
    expect(resolveThresholds(settings, 'acc-2', 'ETH').liquidation).toEqual({ warn: 0.1, critical: 0.04 });
  });

  it('leaves symbol-scoped overrides out of account-wide thresholds', () => {
    expect(resolveThresholds(settings, 'acc-1')).toEqual({
      utilization: { warn: 0.7, critical: 0.95 },
      liquidation: { warn: 0.15, critical: 0.04 },
      drawdown: { critical: 0.05 },
    });
  });

  it('resolves maxPositionSize by the same rule over symbols.<sym>.maxPositionSize', () => {
    // acc-1 BTC: 5 (symbols) → 3 (account-wide) → 4 (symbol-wide) → 1 (account+symbol).
    expect(resolveMaxPositionSize(settings, 'acc-1', 'BTC')).toBe(1);
    // acc-2 BTC: 5 → 4 (symbol-wide).
    expect(resolveMaxPositionSize(settings, 'acc-2', 'BTC')).toBe(4);
    // acc-1 ETH: no symbols entry, the account-wide 3; acc-2 ETH: nothing at all.
    expect(resolveMaxPositionSize(settings, 'acc-1', 'ETH')).toBe(3);
    expect(resolveMaxPositionSize(settings, 'acc-2', 'ETH')).toBeUndefined();
  });
});

describe('levels (strict, as in the alert table)', () => {
  it('deviation: 0.05 low, 0.0501 medium, 0.1 medium, 0.1001 high', () => {
    const l = { tolerance: 0.05, maxDeviation: 0.1 };
    expect([0.05, 0.0501, 0.1, 0.1001].map((d) => deviationLevel(d, l))).toEqual(['low', 'medium', 'medium', 'high']);
  });

  it('levelAbove and maxLevel', () => {
    expect(levelAbove(0.9, LEVELS.utilization)).toBe('medium');
    expect(maxLevel()).toBe('low');
    expect(maxLevel('medium', 'low', 'high', 'medium')).toBe('high');
  });
});
