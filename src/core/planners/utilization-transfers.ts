/**
 * Greedy pairing of collateral surpluses with deficits, in integer cents so that amounts add up
 * exactly. At each step the largest remaining surplus goes to the largest remaining deficit
 * (ties by account id); re-picking after every transfer keeps the number of transfers low.
 */
import type { AccountId } from '../types.js';

export interface CentsBalance {
  account: AccountId;
  /** Positive integer cents. */
  cents: number;
}

export interface CentsTransfer {
  from: AccountId;
  to: AccountId;
  cents: number;
}

export interface Matching {
  transfers: CentsTransfer[];
  /** Deficit left per account once surpluses ran out, in the order of `deficits`. */
  uncovered: CentsBalance[];
}

export function matchSurpluses(surpluses: readonly CentsBalance[], deficits: readonly CentsBalance[]): Matching {
  const give = surpluses.filter((s) => s.cents > 0).map((s) => ({ ...s }));
  const need = deficits.filter((d) => d.cents > 0).map((d) => ({ ...d }));
  const transfers: CentsTransfer[] = [];
  for (;;) {
    const from = largest(give);
    const to = largest(need);
    if (!from || !to) break;
    const cents = Math.min(from.cents, to.cents);
    transfers.push({ from: from.account, to: to.account, cents });
    from.cents -= cents;
    to.cents -= cents;
  }
  return { transfers, uncovered: need.filter((d) => d.cents > 0) };
}

/** The transfers in order, cut so their total stays within `budgetCents`. */
export function capTransfers(transfers: readonly CentsTransfer[], budgetCents: number): CentsTransfer[] {
  const kept: CentsTransfer[] = [];
  let left = Math.max(0, budgetCents);
  for (const t of transfers) {
    if (left <= 0) break;
    const cents = Math.min(t.cents, left);
    kept.push({ ...t, cents });
    left -= cents;
  }
  return kept;
}

function largest(balances: CentsBalance[]): CentsBalance | undefined {
  let best: CentsBalance | undefined;
  for (const b of balances) {
    if (b.cents <= 0) continue;
    if (!best || b.cents > best.cents || (b.cents === best.cents && b.account < best.account)) best = b;
  }
  return best;
}
