import type { AccountSnapshot, AccountState, Position, Snapshot, SyncStatus, VenueId } from '../../src/core/types.js';
import type { LevelThresholds } from '../../src/core/thresholds/resolve.js';

export const T0 = Date.UTC(2026, 0, 1);
export const HOUR = 3_600_000;
export const DAY = 86_400_000;

/** The default thresholds of design.md §3. */
export const LEVELS: LevelThresholds & { drawdown: { critical: number; window: number } } = {
  utilization: { warn: 0.85, critical: 0.95 },
  liquidation: { warn: 0.1, critical: 0.05 },
  drawdown: { critical: 0.05, window: DAY },
};

/** The same thresholds for every symbol: `computeAccountMetrics`' resolver without overrides. */
export const sameForAll = (): LevelThresholds => LEVELS;

export function pos(symbol: string, size: number, extra: Partial<Position> = {}): Position {
  return { symbol, venueSymbol: `${symbol}USDT`, size, entryPrice: extra.entryPrice ?? 1, ...extra };
}

export function account(
  id: string,
  state: Partial<AccountState> & { equity?: number; available?: number } | undefined,
  opts: { venue?: VenueId; status?: SyncStatus } = {},
): AccountSnapshot {
  const base: AccountSnapshot = { id, venue: opts.venue ?? 'paper', label: id, status: opts.status ?? (state ? 'ok' : 'never'), consecutiveFailures: 0 };
  if (!state) return base;
  const { equity = 0, available = 0, balance, positions = [], ...rest } = state;
  return { ...base, state: { balance: balance ?? { equity, available }, positions, ...rest } };
}

export function snapshot(accounts: AccountSnapshot[], marks: Record<string, number> = {}, extra: Partial<Snapshot> = {}): Snapshot {
  const prices: Snapshot['prices'] = {};
  for (const [symbol, mark] of Object.entries(marks)) prices[symbol] = { symbol, mark, ts: T0, source: 'test' };
  return { seq: 1, takenAt: T0, accounts, prices, markets: {}, funding: {}, ...extra };
}
