import type { RiskLevel, RiskReport, SymbolDelta } from '../risk/types.js';
import { deviationLevel } from '../thresholds/levels.js';
import type { SymbolLimits } from '../thresholds/resolve.js';
import type { Snapshot, SyncStatus, VenueId } from '../types.js';

export interface StatusAccountRow {
  id: string;
  label: string;
  venue: VenueId;
  status: SyncStatus;
  equity?: number;
  available?: number;
  utilization?: number;
  unrealizedPnl?: number;
  positions: number;
  lastSuccessAt?: number;
  error?: string;
}

export interface StatusDeltaRow extends SymbolDelta {
  tolerance: number;
  maxDeviation: number;
  level: 'ok' | 'warn' | 'critical';
}

export interface StatusReport {
  takenAt: number;
  seq: number;
  accounts: StatusAccountRow[];
  deltas: StatusDeltaRow[];
  portfolio: { equity: number; utilization: number; unrealizedPnl: number };
  syncedOk: number;
  syncedFailed: number;
}

/** The deviation limits of a symbol, as resolved by src/core/thresholds (`resolveSymbolLimits`). */
export type DeviationLimits = Pick<SymbolLimits, 'tolerance' | 'maxDeviation'>;

/**
 * Words of the status table, kept until commands/status.ts maps `RiskLevel` itself (it compares these
 * strings today). The level is decided by the one `deviationLevel`.
 */
const STATUS_WORD: Record<RiskLevel, StatusDeltaRow['level']> = { low: 'ok', medium: 'warn', high: 'critical' };

/** The `/status` answer as plain data: every account, net delta and deviation per symbol, the last sync. */
export function buildStatus(snapshot: Snapshot, risk: RiskReport, limits: (symbol: string) => DeviationLimits): StatusReport {
  const metrics = new Map(risk.accounts.map((m) => [m.account, m]));
  const accounts = snapshot.accounts.map((a): StatusAccountRow => {
    const m = metrics.get(a.id);
    const positions = a.state?.positions.length ?? 0;
    // One literal per case, not Object.assign of a second one: a tenth of /status at 1,000 accounts.
    const row: StatusAccountRow = m
      ? { id: a.id, label: a.label, venue: a.venue, status: a.status, positions, equity: m.equity, available: m.available, utilization: m.utilization, unrealizedPnl: m.unrealizedPnl }
      : { id: a.id, label: a.label, venue: a.venue, status: a.status, positions };
    if (a.lastSuccessAt !== undefined) row.lastSuccessAt = a.lastSuccessAt;
    if (a.status === 'failed' && a.lastError) row.error = `${a.lastError.code} ${a.lastError.message}`;
    return row;
  });
  const deltas = risk.portfolio.deltas.map((d): StatusDeltaRow => {
    const l = limits(d.symbol);
    return { ...d, tolerance: l.tolerance, maxDeviation: l.maxDeviation, level: STATUS_WORD[deviationLevel(d.deviation, l)] };
  });
  const failed = snapshot.accounts.filter((a) => a.status !== 'ok').length;
  return {
    takenAt: snapshot.takenAt,
    seq: snapshot.seq,
    accounts,
    deltas,
    portfolio: { equity: risk.portfolio.totalEquity, utilization: risk.portfolio.utilization, unrealizedPnl: risk.portfolio.totalUnrealizedPnl },
    syncedOk: snapshot.accounts.length - failed,
    syncedFailed: failed,
  };
}
