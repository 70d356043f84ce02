import type { AlertFilter, AlertRecord, AlertStore } from '../../core/ports/alerts.js';
import { WriteGate, type ModelPart } from './write-gate.js';

const isActive = (a: AlertRecord): boolean => a.state !== 'resolved';

/** A record the caller may change as it likes, as a store read gives one. */
export function copyAlert(a: AlertRecord): AlertRecord {
  return { ...a, sources: [...a.sources] };
}

const severityRank = (a: AlertRecord): number => (a.severity === 'CRITICAL' ? 0 : a.severity === 'WARN' ? 1 : 2);
const byText = (x: string, y: string): number => (x < y ? -1 : x > y ? 1 : 0);

/**
 * The stores' `list` order for alerts that are not resolved (src/store/postgres/pg-alerts.ts): severity,
 * newest first, type, account, symbol, id descending. Text compares by code unit, as SQLite does and as
 * PostgreSQL does for these columns (COLLATE "C").
 */
function listOrder(a: AlertRecord, b: AlertRecord): number {
  return (
    severityRank(a) - severityRank(b) ||
    (b.resolvedAt ?? b.startsAt) - (a.resolvedAt ?? a.startsAt) ||
    byText(a.type, b.type) ||
    byText(a.account ?? '', b.account ?? '') ||
    byText(a.symbol ?? '', b.symbol ?? '') ||
    b.id - a.id
  );
}

/** The stores' LIMIT of `list` (default 100; a non-finite one is the default too). */
function listLimit(filter: AlertFilter): number {
  const requested = filter.limit ?? 100;
  return Number.isFinite(requested) ? Math.max(0, Math.floor(requested)) : 100;
}

/**
 * The pending and firing alerts, kept by the only process that writes them: `active()` and the
 * listings of active alerts (`/status`, `/alerts list`) are answered from memory. Resolved alerts,
 * single rows and counts are read from the store.
 */
export class ActiveAlertsModel implements ModelPart {
  readonly gate = new WriteGate();
  private byId: Map<number, AlertRecord> | undefined;

  reset(): void {
    this.byId = undefined;
    this.gate.bump();
  }

  async active(inner: AlertStore): Promise<AlertRecord[]> {
    return (await this.rows(inner)).map(copyAlert);
  }

  /** Whether `list(filter)` is answered from memory: the states it asks for are never resolved. */
  serves(filter: AlertFilter): boolean {
    const state = filter.state ?? 'active';
    return state === 'active' || state === 'pending' || state === 'firing';
  }

  async list(inner: AlertStore, filter: AlertFilter): Promise<AlertRecord[]> {
    const state = filter.state ?? 'active';
    const matched = (await this.rows(inner)).filter(
      (a) =>
        (state === 'active' || a.state === state) &&
        // Truthiness, as the stores test each field.
        (!filter.severity || a.severity === filter.severity) &&
        (!filter.account || a.account === filter.account) &&
        (!filter.type || a.type === filter.type),
    );
    return matched.sort(listOrder).slice(0, listLimit(filter)).map(copyAlert);
  }

  /** A row written (inserted or updated) and durable. */
  written(a: AlertRecord): void {
    if (!this.byId) return;
    if (isActive(a)) this.byId.set(a.id, copyAlert(a));
    else this.byId.delete(a.id);
  }

  /** The active rows by id, as `active()` orders them; rows of the model, not to be handed out. */
  private async rows(inner: AlertStore): Promise<AlertRecord[]> {
    if (this.byId) return sortedById([...this.byId.values()]);
    const stamp = this.gate.stamp();
    const loaded = await inner.active();
    if (!this.byId && this.gate.unchangedSince(stamp)) this.byId = new Map(loaded.map((a) => [a.id, copyAlert(a)]));
    return loaded;
  }
}

function sortedById(rows: AlertRecord[]): AlertRecord[] {
  for (let i = 1; i < rows.length; i++) if (rows[i - 1]!.id > rows[i]!.id) return rows.sort((a, b) => a.id - b.id);
  return rows;
}
