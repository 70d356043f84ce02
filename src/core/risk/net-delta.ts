import type { AccountId, Snapshot, Symbol } from '../types.js';
import { computeDeviation, summarizeSizes } from './deviation.js';
import type { SymbolDelta } from './types.js';

export interface DeltaOptions {
  /** Target net per symbol in base units; a symbol not listed targets 0. */
  targets: Record<Symbol, number>;
  /** Only these accounts (default: every account). Accounts without any state are skipped. */
  accounts?: readonly AccountId[];
}

interface Tally {
  sizes: number[];
  holders: Set<AccountId>;
  stale: Set<AccountId>;
}

/**
 * Net delta per symbol over a set of accounts, sorted by symbol.
 *
 * Rows: every symbol with a non-zero position in the selected accounts, plus every symbol with a
 * non-zero target (nobody holding it is then a full deviation worth showing). Accounts whose last
 * sync failed still count with their last good state; they are listed in `staleAccounts`.
 */
export function computeDeltas(snapshot: Snapshot, opts: DeltaOptions): SymbolDelta[] {
  const tallies = tallyPositions(snapshot, opts.accounts);
  for (const [symbol, target] of Object.entries(opts.targets)) {
    if (target !== 0 && Number.isFinite(target) && !tallies.has(symbol)) tallies.set(symbol, emptyTally());
  }
  return [...tallies.keys()]
    .sort()
    .map((symbol) => toDelta(snapshot, symbol, tallies.get(symbol) ?? emptyTally(), opts.targets[symbol] ?? 0));
}

/** The delta of one symbol, present even when nobody holds it (then net 0). */
export function computeSymbolDelta(snapshot: Snapshot, symbol: Symbol, opts: DeltaOptions): SymbolDelta {
  const tally = tallyPositions(snapshot, opts.accounts, symbol).get(symbol) ?? emptyTally();
  return toDelta(snapshot, symbol, tally, opts.targets[symbol] ?? 0);
}

function tallyPositions(snapshot: Snapshot, accounts: readonly AccountId[] | undefined, only?: Symbol): Map<Symbol, Tally> {
  const selected = accounts ? new Set(accounts) : undefined;
  const tallies = new Map<Symbol, Tally>();
  for (const account of snapshot.accounts) {
    if (!account.state || (selected && !selected.has(account.id))) continue;
    for (const p of account.state.positions) {
      if (p.size === 0 || !Number.isFinite(p.size) || (only !== undefined && p.symbol !== only)) continue;
      let t = tallies.get(p.symbol);
      if (!t) tallies.set(p.symbol, (t = emptyTally()));
      t.sizes.push(p.size);
      t.holders.add(account.id);
      if (account.status !== 'ok') t.stale.add(account.id);
    }
  }
  return tallies;
}

function toDelta(snapshot: Snapshot, symbol: Symbol, t: Tally, target: number): SymbolDelta {
  const quote = snapshot.prices[symbol]?.mark;
  const mark = quote !== undefined && Number.isFinite(quote) && quote > 0 ? quote : undefined;
  // Summed on scaled integers, like the planner, so 1.0 − 0.7 is 0.3 in both.
  const { net, longSize, shortSize, hedgeSize } = summarizeSizes(t.sizes);
  return {
    symbol,
    net,
    netUsd: mark === undefined ? 0 : net * mark,
    hedgeSize,
    target,
    deviation: computeDeviation(net, target, hedgeSize),
    longSize,
    shortSize,
    mark,
    accounts: [...t.holders].sort(),
    staleAccounts: [...t.stale].sort(),
  };
}

function emptyTally(): Tally {
  return { sizes: [], holders: new Set(), stale: new Set() };
}
