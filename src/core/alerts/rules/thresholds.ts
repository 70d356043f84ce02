import type { ThresholdOverride } from '../../../config/schema.js';
import type { AccountId, Symbol } from '../../types.js';
import type { RuleConfig } from './types.js';

export interface AccountThresholds {
  utilization: { warn: number; critical: number };
  liquidation: { warn: number; critical: number };
  drawdown: { critical: number };
}

export const DEFAULT_TOLERANCE = 0.05;
export const DEFAULT_MAX_DEVIATION = 0.1;

function rank(o: ThresholdOverride): number {
  return (o.account !== undefined ? 2 : 0) + (o.symbol !== undefined ? 1 : 0);
}

/**
 * Overrides that apply to (account, symbol), least specific first, so that folding them lets the most
 * specific win: global-only < symbol-only < account-only < account+symbol.
 */
function applicable(overrides: readonly ThresholdOverride[], account: AccountId, symbol: Symbol | undefined): readonly ThresholdOverride[] {
  // Asked for every account and position every tick: the common no-override case allocates nothing.
  if (overrides.length === 0) return overrides;
  return overrides
    .filter((o) => (o.account === undefined || o.account === account) && (o.symbol === undefined || o.symbol === symbol))
    .map((o, i) => ({ o, i, r: rank(o) }))
    .sort((a, b) => a.r - b.r || a.i - b.i)
    .map((x) => x.o);
}

/** Thresholds for an account, or for one of its positions when `symbol` is given. */
export function accountThresholds(config: RuleConfig, account: AccountId, symbol?: Symbol): AccountThresholds {
  const t = config.thresholds;
  return applicable(config.overrides, account, symbol).reduce<AccountThresholds>(
    (acc, o) => ({
      utilization: { warn: o.utilization?.warn ?? acc.utilization.warn, critical: o.utilization?.critical ?? acc.utilization.critical },
      liquidation: { warn: o.liquidation?.warn ?? acc.liquidation.warn, critical: o.liquidation?.critical ?? acc.liquidation.critical },
      drawdown: { critical: o.drawdown?.critical ?? acc.drawdown.critical },
    }),
    { utilization: { ...t.utilization }, liquidation: { ...t.liquidation }, drawdown: { critical: t.drawdown.critical } },
  );
}

/** Largest allowed |size| of a position: overrides first (most specific wins), then `symbols.<sym>.maxPositionSize`. */
export function maxPositionSize(config: RuleConfig, account: AccountId, symbol: Symbol): number | undefined {
  const fromOverrides = applicable(config.overrides, account, symbol).reduce<number | undefined>((acc, o) => o.maxPositionSize ?? acc, undefined);
  return fromOverrides ?? config.symbols[symbol]?.maxPositionSize;
}

export function deltaThresholds(config: RuleConfig, symbol: Symbol): { tolerance: number; maxDeviation: number } {
  const s = config.symbols[symbol];
  return { tolerance: s?.tolerance ?? DEFAULT_TOLERANCE, maxDeviation: s?.maxDeviation ?? DEFAULT_MAX_DEVIATION };
}
