import type { AuditAction, AuditEntry, AuditFilter, AuditOutcome, AuditStore } from '../../core/ports/alerts.js';
import type { PgContext } from './pg-context.js';
import { limitParam } from './pg-limit.js';

type AuditRow = {
  id: number;
  at: number;
  actor_id: string;
  actor_name: string;
  source: string;
  action: string;
  target: string;
  comment: string | null;
  outcome: string;
  detail: string | null;
};

function fromRow(r: AuditRow): AuditEntry {
  const e: AuditEntry = {
    id: r.id,
    at: r.at,
    actorId: r.actor_id,
    actorName: r.actor_name,
    source: r.source,
    // Written only through append(), typed by the port.
    action: r.action as AuditAction,
    target: r.target,
    outcome: r.outcome as AuditOutcome,
  };
  if (r.comment !== null) e.comment = r.comment;
  if (r.detail !== null) e.detail = r.detail;
  return e;
}

/** Append-only audit log. */
export class PgAuditStore implements AuditStore {
  constructor(private readonly db: PgContext) {}

  async append(e: Omit<AuditEntry, 'id'>): Promise<AuditEntry> {
    const { rows } = await this.db.query<{ id: number }>(
      'INSERT INTO audit_log (at, actor_id, actor_name, source, action, target, comment, outcome, detail) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id',
      [e.at, e.actorId, e.actorName, e.source, e.action, e.target, e.comment ?? null, e.outcome, e.detail ?? null],
    );
    return { ...e, id: rows[0]!.id };
  }

  async list(filter: AuditFilter = {}): Promise<AuditEntry[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.since !== undefined) {
      params.push(filter.since);
      where.push(`at >= $${params.length}`);
    }
    if (filter.actorId !== undefined) {
      params.push(filter.actorId);
      where.push(`actor_id = $${params.length}`);
    }
    if (filter.actor !== undefined) {
      params.push(filter.actor);
      // ASCII case folding, as SQLite's lower(): the same names match on both stores.
      where.push(`(actor_id = $${params.length} OR translate(actor_name, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz') = translate($${params.length}, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz'))`);
    }
    if (filter.action !== undefined) {
      params.push(filter.action);
      where.push(`action = $${params.length}`);
    }
    if (filter.outcome !== undefined) {
      params.push(filter.outcome);
      where.push(`outcome = $${params.length}`);
    }
    params.push(limitParam(filter.limit ?? 100));
    const { rows } = await this.db.query<AuditRow>(`SELECT * FROM audit_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT $${params.length}`, params);
    return rows.map(fromRow);
  }
}
