import type { SymbolConfig, ThresholdOverride } from '../settings.js';
import type { AccountId, Symbol } from '../types.js';
import { SYMBOL_DEFAULTS } from './defaults.js';

/** A WARN and a CRITICAL bound of one metric. */
export interface Band {
  warn: number;
  critical: number;
}

/** The thresholds a level reads; the config's full `Thresholds` fits. */
export interface LevelThresholds {
  utilization: Band;
  liquidation: Band;
  drawdown: { critical: number };
}

/** What resolution reads. `AppConfig`, the alert rules' `RuleConfig` and the risk `RiskConfig` all fit. */
export interface ThresholdSettings {
  thresholds: LevelThresholds;
  overrides?: readonly ThresholdOverride[] | undefined;
  symbols?: SymbolSettings | undefined;
}

export type SymbolSettings = Readonly<Record<Symbol, Partial<SymbolConfig> | undefined>>;

/** Deviation limits and plan inputs of one symbol, defaults filled in. */
export interface SymbolLimits {
  target: number;
  tolerance: number;
  maxDeviation: number;
  slippage: number;
}

/**
 * The one ranking rule of overrides: global thresholds < account-wide < symbol-wide < account+symbol;
 * ties keep the order of the file. A symbol-wide override outranks an account-wide one because it
 * speaks about the instrument (how volatile it is decides how close to liquidation is too close, its
 * units decide what a position cap means), while an account-wide one speaks about the account in
 * general; account+symbol is the most specific statement there is.
 */
const NONE: readonly ThresholdOverride[] = [];

function rank(o: ThresholdOverride): number {
  if (o.account === undefined) return o.symbol === undefined ? 0 : 2;
  return o.symbol === undefined ? 1 : 3;
}

/**
 * Overrides that apply to (account, symbol), least specific first, so folding them lets the most
 * specific win. Without a symbol (account-wide metrics: utilization, drawdown) symbol-scoped overrides
 * do not apply: they speak about one position, not the whole account.
 */
function applicable(overrides: readonly ThresholdOverride[] | undefined, account: AccountId, symbol: Symbol | undefined): readonly ThresholdOverride[] {
  // Asked for every account and position every tick: the common no-override case allocates nothing.
  if (!overrides || overrides.length === 0) return NONE;
  return overrides
    .filter((o) => (o.account === undefined || o.account === account) && (o.symbol === undefined || o.symbol === symbol))
    .map((o, i) => ({ o, i, r: rank(o) }))
    .sort((a, b) => a.r - b.r || a.i - b.i)
    .map((x) => x.o);
}

/** Thresholds for an account, or for one of its positions when `symbol` is given. */
export function resolveThresholds(s: ThresholdSettings, account: AccountId, symbol?: Symbol): LevelThresholds {
  const t = s.thresholds;
  return applicable(s.overrides, account, symbol).reduce<LevelThresholds>(
    (acc, o) => ({
      utilization: { warn: o.utilization?.warn ?? acc.utilization.warn, critical: o.utilization?.critical ?? acc.utilization.critical },
      liquidation: { warn: o.liquidation?.warn ?? acc.liquidation.warn, critical: o.liquidation?.critical ?? acc.liquidation.critical },
      drawdown: { critical: o.drawdown?.critical ?? acc.drawdown.critical },
    }),
    { utilization: { ...t.utilization }, liquidation: { ...t.liquidation }, drawdown: { critical: t.drawdown.critical } },
  );
}

/**
 * Largest |size| an account may hold of a symbol: `symbols.<sym>.maxPositionSize` is the base, the
 * overrides fold over it by the ranking above. The position-limit alert and the delta plan both ask
 * here, so a plan never proposes a size the bot would then alert on.
 */
export function resolveMaxPositionSize(s: Pick<ThresholdSettings, 'overrides' | 'symbols'>, account: AccountId, symbol: Symbol): number | undefined {
  const base = s.symbols?.[symbol]?.maxPositionSize;
  return applicable(s.overrides, account, symbol).reduce<number | undefined>((acc, o) => o.maxPositionSize ?? acc, base);
}

/** Target, deviation limits and slippage of a symbol: its `symbols.<sym>` entry, else the defaults. */
export function resolveSymbolLimits(symbols: SymbolSettings | undefined, symbol: Symbol): SymbolLimits {
  const s = symbols?.[symbol];
  return {
    target: s?.target ?? SYMBOL_DEFAULTS.target,
    tolerance: s?.tolerance ?? SYMBOL_DEFAULTS.tolerance,
    maxDeviation: s?.maxDeviation ?? SYMBOL_DEFAULTS.maxDeviation,
    slippage: s?.slippage ?? SYMBOL_DEFAULTS.slippage,
  };
}
