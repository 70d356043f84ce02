import { statementCache } from './statement-cache.js';
import type { Database, Statement } from 'better-sqlite3';
import type { NewOutboxRow, NotificationKind, OutboxCounts, OutboxRow, OutboxStatus, OutboxStore } from '../alert-types.js';

interface Row {
  id: number;
  sink: string;
  idempotency_key: string;
  kind: string;
  payload: string;
  target_id: number | null;
  status: string;
  attempts: number;
  next_attempt_at: number;
  last_error: string | null;
  sent_ref: string | null;
  created_at: number;
  sent_at: number | null;
}

function fromRow(r: Row): OutboxRow {
  const row: OutboxRow = {
    id: r.id,
    sink: r.sink,
    idempotencyKey: r.idempotency_key,
    // CHECK constraints keep kind and status within their unions.
    kind: r.kind as NotificationKind,
    payload: JSON.parse(r.payload) as unknown,
    status: r.status as OutboxStatus,
    attempts: r.attempts,
    nextAttemptAt: r.next_attempt_at,
    createdAt: r.created_at,
  };
  if (r.target_id !== null) row.targetId = r.target_id;
  if (r.last_error !== null) row.lastError = r.last_error;
  if (r.sent_ref !== null) row.sentRef = r.sent_ref;
  if (r.sent_at !== null) row.sentAt = r.sent_at;
  return row;
}

/** The outbox table. Writes are single statements; callers group them in Store.transaction. */
export class SqliteOutboxStore implements OutboxStore {
  private readonly insertStmt: Statement;
  private readonly byId: Statement;

  /** Every statement is prepared once (the dispatcher queries the outbox on every pass). */
  private readonly sql: (text: string) => Statement;

  constructor(db: Database) {
    this.sql = statementCache(db);
    this.insertStmt = db.prepare(
      `INSERT INTO outbox (sink, idempotency_key, kind, payload, target_id, next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
    this.byId = db.prepare('SELECT * FROM outbox WHERE id = ?');
  }

  enqueue(row: NewOutboxRow): OutboxRow {
    const info = this.insertStmt.run(row.sink, row.idempotencyKey, row.kind, JSON.stringify(row.payload), row.targetId ?? null, row.createdAt, row.createdAt);
    const stored = this.get(Number(info.lastInsertRowid));
    if (!stored) throw new Error('outbox row vanished right after insert');
    return stored;
  }

  get(id: number): OutboxRow | undefined {
    const r = this.byId.get(id) as Row | undefined;
    return r ? fromRow(r) : undefined;
  }

  due(now: number, sinks: readonly string[], limit: number): OutboxRow[] {
    if (sinks.length === 0) return [];
    const rows = this.sql(`SELECT * FROM outbox WHERE status = 'pending' AND next_attempt_at <= ? AND sink IN (${sinks.map(() => '?').join(', ')}) ORDER BY id LIMIT ?`)
      .all(now, ...sinks, limit) as Row[];
    return rows.map(fromRow);
  }

  markSent(id: number, ref: string | undefined, at: number): void {
    this.sql(`UPDATE outbox SET status = 'sent', sent_ref = ?, sent_at = ?, attempts = attempts + 1, last_error = NULL WHERE id = ?`).run(ref ?? null, at, id);
  }

  markRetry(id: number, attempts: number, nextAttemptAt: number, error: string): void {
    this.sql(`UPDATE outbox SET attempts = ?, next_attempt_at = ?, last_error = ? WHERE id = ? AND status = 'pending'`).run(attempts, nextAttemptAt, error.slice(0, 500), id);
  }

  markDead(id: number, error: string, at: number): void {
    this.sql(`UPDATE outbox SET status = 'dead', dead_at = ?, attempts = attempts + 1, last_error = ? WHERE id = ?`).run(at, error.slice(0, 500), id);
  }

  supersedeEdits(targetId: number): number {
    return this.sql(`UPDATE outbox SET status = 'superseded' WHERE target_id = ? AND status = 'pending'`).run(targetId).changes;
  }

  resetBackoff(now: number): number {
    return this.sql(`UPDATE outbox SET next_attempt_at = ? WHERE status = 'pending' AND next_attempt_at > ?`).run(now, now).changes;
  }

  counts(): OutboxCounts {
    const rows = this.sql('SELECT status, COUNT(*) AS n FROM outbox GROUP BY status').all() as { status: string; n: number }[];
    const out: OutboxCounts = { pending: 0, sent: 0, dead: 0, superseded: 0 };
    for (const r of rows) if (r.status in out) out[r.status as OutboxStatus] = r.n;
    return out;
  }

  list(filter: { status?: OutboxStatus; kind?: NotificationKind; limit?: number } = {}): OutboxRow[] {
    const where: string[] = [];
    const params: (string | number)[] = [];
    if (filter.status) {
      where.push('status = ?');
      params.push(filter.status);
    }
    if (filter.kind) {
      where.push('kind = ?');
      params.push(filter.kind);
    }
    params.push(filter.limit ?? 1000);
    const rows = this.sql(`SELECT * FROM outbox ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id LIMIT ?`).all(...params) as Row[];
    return rows.map(fromRow);
  }
}
