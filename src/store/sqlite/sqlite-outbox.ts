import { statementCache } from './statement-cache.js';
import type { Database, Statement } from './driver.js';
import type { ClaimResult, NewOutboxRow, SendFence, NotificationKind, OutboxCounts, OutboxRow, OutboxStatus, OutboxStore } from '../../core/ports/alerts.js';

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
  in_flight_since: number | null;
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
  if (r.in_flight_since !== null) row.inFlightSince = r.in_flight_since;
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

  async enqueue(row: NewOutboxRow): Promise<OutboxRow> {
    const info = this.insertStmt.run(row.sink, row.idempotencyKey, row.kind, JSON.stringify(row.payload), row.targetId ?? null, row.createdAt, row.createdAt);
    const stored = await this.get(Number(info.lastInsertRowid));
    if (!stored) throw new Error('outbox row vanished right after insert');
    return stored;
  }

  async get(id: number): Promise<OutboxRow | undefined> {
    const r = this.byId.get(id) as Row | undefined;
    return r ? fromRow(r) : undefined;
  }

  async due(now: number, sinks: readonly string[], limit: number): Promise<OutboxRow[]> {
    if (sinks.length === 0) return [];
    const rows = this.sql(`SELECT * FROM outbox WHERE status = 'pending' AND next_attempt_at <= ? AND sink IN (${sinks.map(() => '?').join(', ')}) ORDER BY id LIMIT ?`)
      .all(now, ...sinks, limit) as Row[];
    return rows.map(fromRow);
  }

  /** One process owns a SQLite file (the instance lock), so any fence holds. */
  async claim(id: number, _fence: SendFence, at: number): Promise<ClaimResult> {
    const row = this.byId.get(id) as Row | undefined;
    if (row?.status !== 'pending') return { kind: 'gone' };
    this.sql('UPDATE outbox SET in_flight_since = ? WHERE id = ?').run(at, id);
    return { kind: 'claimed', wasInFlight: row.in_flight_since !== null };
  }

  async markSent(id: number, ref: string | undefined, at: number): Promise<void> {
    this.sql(`UPDATE outbox SET status = 'sent', sent_ref = ?, sent_at = ?, attempts = attempts + 1, last_error = NULL, in_flight_since = NULL WHERE id = ?`).run(ref ?? null, at, id);
  }

  async markRetry(id: number, attempts: number, nextAttemptAt: number, error: string): Promise<void> {
    this.sql(`UPDATE outbox SET attempts = ?, next_attempt_at = ?, last_error = ? WHERE id = ? AND status = 'pending'`).run(attempts, nextAttemptAt, error.slice(0, 500), id);
  }

  async markDead(id: number, error: string, at: number): Promise<void> {
    this.sql(`UPDATE outbox SET status = 'dead', dead_at = ?, attempts = attempts + 1, last_error = ?, in_flight_since = NULL WHERE id = ?`).run(at, error.slice(0, 500), id);
  }

  async supersedeEdits(targetId: number): Promise<number> {
    return this.sql(`UPDATE outbox SET status = 'superseded' WHERE target_id = ? AND status = 'pending'`).run(targetId).changes;
  }

  async resetBackoff(now: number): Promise<number> {
    return this.sql(`UPDATE outbox SET next_attempt_at = ? WHERE status = 'pending' AND next_attempt_at > ?`).run(now, now).changes;
  }

  async counts(): Promise<OutboxCounts> {
    const rows = this.sql('SELECT status, COUNT(*) AS n FROM outbox GROUP BY status').all() as { status: string; n: number }[];
    const out: OutboxCounts = { pending: 0, sent: 0, dead: 0, superseded: 0 };
    for (const r of rows) if (r.status in out) out[r.status as OutboxStatus] = r.n;
    return out;
  }

  async list(filter: { status?: OutboxStatus; kind?: NotificationKind; limit?: number } = {}): Promise<OutboxRow[]> {
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
