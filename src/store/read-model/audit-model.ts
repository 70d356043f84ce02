import type { AuditEntry, AuditFilter, AuditStore } from '../../core/ports/alerts.js';
import { WriteGate, type ModelPart } from './write-gate.js';

/** The newest entries kept: `/audit` shows 25, an admin may page further back through the store. */
const KEPT = 1_000;

const asciiLower = (s: string): string => s.replace(/[A-Z]/g, (c) => c.toLowerCase());

/** The stores' WHERE of `AuditStore.list` (src/store/postgres/pg-audit.ts). */
function matches(e: AuditEntry, f: AuditFilter): boolean {
  return (
    (f.since === undefined || e.at >= f.since) &&
    (f.actorId === undefined || e.actorId === f.actorId) &&
    (f.actor === undefined || e.actorId === f.actor || asciiLower(e.actorName) === asciiLower(f.actor)) &&
    (f.action === undefined || e.action === f.action) &&
    (f.outcome === undefined || e.outcome === f.outcome)
  );
}

/**
 * The newest audit entries, kept by the only process that writes them. A listing is answered from
 * memory when the entries kept hold all of it: `limit` matches, or every entry there is.
 */
export class AuditModel implements ModelPart {
  readonly gate = new WriteGate();
  /** Newest first. */
  private rows: AuditEntry[] | undefined;
  /** Whether `rows` holds every entry of the log. */
  private whole = false;

  reset(): void {
    this.rows = undefined;
    this.gate.bump();
  }

  async list(inner: AuditStore, filter: AuditFilter): Promise<AuditEntry[]> {
    const limit = filter.limit ?? 100;
    // A negative limit is none, a fraction an error: the store answers those.
    if (!Number.isInteger(limit) || limit < 0) return inner.list(filter);
    if (!this.rows) await this.load(inner);
    const found = this.rows ? this.select(this.rows, filter, limit) : undefined;
    return found ?? inner.list(filter);
  }

  appended(e: AuditEntry): void {
    if (!this.rows) return;
    if (this.rows.length > 0 && e.id <= this.rows[0]!.id) {
      // Not the newest: never so with one writer, but then keep nothing rather than misorder.
      this.reset();
      return;
    }
    this.rows.unshift({ ...e });
    if (this.rows.length > KEPT) {
      this.rows.pop();
      this.whole = false;
    }
  }

  private select(rows: readonly AuditEntry[], filter: AuditFilter, limit: number): AuditEntry[] | undefined {
    const out: AuditEntry[] = [];
    if (limit === 0) return out;
    for (const e of rows) {
      if (!matches(e, filter)) continue;
      out.push({ ...e });
      if (out.length === limit) return out;
    }
    return this.whole ? out : undefined;
  }

  private async load(inner: AuditStore): Promise<void> {
    const stamp = this.gate.stamp();
    const loaded = await inner.list({ limit: KEPT });
    if (this.rows || !this.gate.unchangedSince(stamp)) return;
    this.rows = loaded;
    this.whole = loaded.length < KEPT;
  }
}
