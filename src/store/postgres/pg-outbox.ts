import type { ClaimResult, NewOutboxRow, NotificationKind, OutboxCounts, OutboxRow, OutboxStatus, OutboxStore, SendFence } from '../../core/ports/alerts.js';
import type { PgContext } from './pg-context.js';
import { fenceHoldsSql } from './pg-leader-lease.js';
import { limitParam } from './pg-limit.js';

type Row = {
  id: number;
  sink: string;
  idempotency_key: string;
  kind: string;
  /** JSON text. */
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
};

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

/**
 * The claim in one statement: lock the row, check the fence, mark it in flight if both allow. The
 * locked read gives the row as it is now (not as the statement's snapshot had it), so `was` is whether
 * an earlier send really left it in flight.
 */
const CLAIM_SQL = `
  WITH fence AS (SELECT ${fenceHoldsSql('$2', '$3')} AS holds),
  prior AS (SELECT status, in_flight_since FROM outbox WHERE id = $1 FOR UPDATE),
  claimed AS (
    UPDATE outbox SET in_flight_since = $4
    WHERE id = $1 AND (SELECT status FROM prior) = 'pending' AND (SELECT holds FROM fence)
    RETURNING id
  )
  SELECT (SELECT status FROM prior) AS status, (SELECT in_flight_since FROM prior) AS was,
    (SELECT holds FROM fence) AS holds, EXISTS (SELECT 1 FROM claimed) AS claimed`;

/** The outbox table; same answers as SqliteOutboxStore. Several replicas share it: sends are fenced. */
export class PgOutboxStore implements OutboxStore {
  constructor(private readonly db: PgContext) {}

  async enqueue(row: NewOutboxRow): Promise<OutboxRow> {
    const { rows } = await this.db.query<Row>(
      `INSERT INTO outbox (sink, idempotency_key, kind, payload, target_id, next_attempt_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING *`,
      [row.sink, row.idempotencyKey, row.kind, JSON.stringify(row.payload), row.targetId ?? null, row.createdAt],
    );
    return fromRow(rows[0]!);
  }

  async get(id: number): Promise<OutboxRow | undefined> {
    const { rows } = await this.db.query<Row>('SELECT * FROM outbox WHERE id = $1', [id]);
    return rows[0] && fromRow(rows[0]);
  }

  async due(now: number, sinks: readonly string[], limit: number): Promise<OutboxRow[]> {
    if (sinks.length === 0) return [];
    const { rows } = await this.db.query<Row>(
      `SELECT * FROM outbox WHERE status = 'pending' AND next_attempt_at <= $1 AND sink = ANY($2::text[]) ORDER BY id LIMIT $3`,
      [now, sinks, limitParam(limit)],
    );
    return rows.map(fromRow);
  }

  async claim(id: number, fence: SendFence, at: number): Promise<ClaimResult> {
    const { rows } = await this.db.query<{ status: string | null; was: number | null; holds: boolean; claimed: boolean }>(CLAIM_SQL, [id, fence.holder, fence.epoch, at]);
    const r = rows[0]!;
    if (r.status !== 'pending') return { kind: 'gone' };
    if (!r.holds) return { kind: 'fenced' };
    return r.claimed ? { kind: 'claimed', wasInFlight: r.was !== null } : { kind: 'gone' };
  }

  async markSent(id: number, ref: string | undefined, at: number): Promise<void> {
    await this.db.query(
      `UPDATE outbox SET status = 'sent', sent_ref = $2, sent_at = $3, attempts = attempts + 1, last_error = NULL, in_flight_since = NULL WHERE id = $1`,
      [id, ref ?? null, at],
    );
  }

  async markRetry(id: number, attempts: number, nextAttemptAt: number, error: string): Promise<void> {
    await this.db.query(`UPDATE outbox SET attempts = $2, next_attempt_at = $3, last_error = $4 WHERE id = $1 AND status = 'pending'`, [id, attempts, nextAttemptAt, error.slice(0, 500)]);
  }

  async markDead(id: number, error: string, at: number): Promise<void> {
    await this.db.query(
      `UPDATE outbox SET status = 'dead', dead_at = $2, attempts = attempts + 1, last_error = $3, in_flight_since = NULL WHERE id = $1`,
      [id, at, error.slice(0, 500)],
    );
  }

  async supersedeEdits(targetId: number): Promise<number> {
    const res = await this.db.query(`UPDATE outbox SET status = 'superseded' WHERE target_id = $1 AND status = 'pending'`, [targetId]);
    return res.rowCount ?? 0;
  }

  async resetBackoff(now: number): Promise<number> {
    const res = await this.db.query(`UPDATE outbox SET next_attempt_at = $1 WHERE status = 'pending' AND next_attempt_at > $1`, [now]);
    return res.rowCount ?? 0;
  }

  async counts(): Promise<OutboxCounts> {
    const { rows } = await this.db.query<{ status: string; n: number }>('SELECT status, count(*) AS n FROM outbox GROUP BY status');
    const out: OutboxCounts = { pending: 0, sent: 0, dead: 0, superseded: 0 };
    for (const r of rows) if (r.status in out) out[r.status as OutboxStatus] = r.n;
    return out;
  }

  async list(filter: { status?: OutboxStatus; kind?: NotificationKind; limit?: number } = {}): Promise<OutboxRow[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.status) {
      params.push(filter.status);
      where.push(`status = $${params.length}`);
    }
    if (filter.kind) {
      params.push(filter.kind);
      where.push(`kind = $${params.length}`);
    }
    params.push(limitParam(filter.limit ?? 1000));
    const { rows } = await this.db.query<Row>(`SELECT * FROM outbox ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id LIMIT $${params.length}`, params);
    return rows.map(fromRow);
  }
}
