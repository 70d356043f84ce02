import { statementCache } from './statement-cache.js';
import type { Database, Statement } from './driver.js';
import type { AuditAction, AuditEntry, AuditFilter, AuditOutcome, AuditStore } from '../../core/ports/alerts.js';

interface AuditRow {
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
}

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
export class SqliteAuditStore implements AuditStore {
  private readonly sql: (text: string) => Statement;

  constructor(db: Database) {
    this.sql = statementCache(db);
  }

  async append(e: Omit<AuditEntry, 'id'>): Promise<AuditEntry> {
    const info = this.sql('INSERT INTO audit_log (at, actor_id, actor_name, source, action, target, comment, outcome, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(e.at, e.actorId, e.actorName, e.source, e.action, e.target, e.comment ?? null, e.outcome, e.detail ?? null);
    return { ...e, id: Number(info.lastInsertRowid) };
  }

  async list(filter: AuditFilter = {}): Promise<AuditEntry[]> {
    const where: string[] = [];
    const params: (string | number)[] = [];
    if (filter.since !== undefined) {
      where.push('at >= ?');
      params.push(filter.since);
    }
    if (filter.actorId !== undefined) {
      where.push('actor_id = ?');
      params.push(filter.actorId);
    }
    if (filter.actor !== undefined) {
      where.push('(actor_id = ? OR lower(actor_name) = lower(?))');
      params.push(filter.actor, filter.actor);
    }
    if (filter.action !== undefined) {
      where.push('action = ?');
      params.push(filter.action);
    }
    if (filter.outcome !== undefined) {
      where.push('outcome = ?');
      params.push(filter.outcome);
    }
    params.push(filter.limit ?? 100);
    const rows = this.sql(`SELECT * FROM audit_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`).all(...params) as AuditRow[];
    return rows.map(fromRow);
  }
}
