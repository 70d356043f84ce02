import type { AlertType, Silence, SilenceStore } from '../../core/ports/alerts.js';
import type { PgContext } from './pg-context.js';

type SilenceRow = {
  id: number;
  type: string | null;
  account: string | null;
  symbol: string | null;
  starts_at: number;
  ends_at: number;
  created_by: string;
  reason: string;
  expired_by: string | null;
  created_at: number | null;
};

function fromRow(r: SilenceRow): Silence {
  const matcher: Silence['matcher'] = {};
  // The service validates `type` against ALERT_TYPES before it is stored.
  if (r.type !== null) matcher.type = r.type as AlertType;
  if (r.account !== null) matcher.account = r.account;
  if (r.symbol !== null) matcher.symbol = r.symbol;
  const s: Silence = { id: r.id, matcher, startsAt: r.starts_at, endsAt: r.ends_at, createdBy: r.created_by, reason: r.reason };
  if (r.expired_by !== null) s.expiredBy = r.expired_by;
  if (r.created_at !== null) s.createdAt = r.created_at;
  return s;
}

/** Silences keep only their time window; whether one is active is decided from the clock when asked. */
export class PgSilenceStore implements SilenceStore {
  constructor(private readonly db: PgContext) {}

  async insert(s: Omit<Silence, 'id'>): Promise<Silence> {
    const { rows } = await this.db.query<{ id: number }>(
      'INSERT INTO silences (type, account, symbol, starts_at, ends_at, created_by, reason, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id',
      [s.matcher.type ?? null, s.matcher.account ?? null, s.matcher.symbol ?? null, s.startsAt, s.endsAt, s.createdBy, s.reason, s.createdAt ?? null],
    );
    return { ...s, id: rows[0]!.id };
  }

  async get(id: number): Promise<Silence | undefined> {
    const { rows } = await this.db.query<SilenceRow>('SELECT * FROM silences WHERE id = $1', [id]);
    return rows[0] && fromRow(rows[0]);
  }

  async list(since: number): Promise<Silence[]> {
    const { rows } = await this.db.query<SilenceRow>('SELECT * FROM silences WHERE ends_at > $1 ORDER BY id DESC', [since]);
    return rows.map(fromRow);
  }

  async expire(id: number, at: number, by: string): Promise<void> {
    await this.db.query('UPDATE silences SET ends_at = LEAST(ends_at, $1), expired_by = $2 WHERE id = $3', [at, by, id]);
  }
}
