import type { Database, Statement } from './driver.js';
import { statementCache } from './statement-cache.js';
import type { AlertType, Silence, SilenceStore } from '../../core/ports/alerts.js';

interface SilenceRow {
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
}

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
export class SqliteSilenceStore implements SilenceStore {
  private readonly sql: (text: string) => Statement;

  constructor(db: Database) {
    this.sql = statementCache(db);
  }

  async insert(s: Omit<Silence, 'id'>): Promise<Silence> {
    const insert = this.sql('INSERT INTO silences (type, account, symbol, starts_at, ends_at, created_by, reason, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
    const info = insert.run(s.matcher.type ?? null, s.matcher.account ?? null, s.matcher.symbol ?? null, s.startsAt, s.endsAt, s.createdBy, s.reason, s.createdAt ?? null);
    return { ...s, id: Number(info.lastInsertRowid) };
  }

  async get(id: number): Promise<Silence | undefined> {
    const row = this.sql('SELECT * FROM silences WHERE id = ?').get(id) as SilenceRow | undefined;
    return row ? fromRow(row) : undefined;
  }

  async list(since: number): Promise<Silence[]> {
    const rows = this.sql('SELECT * FROM silences WHERE ends_at > ? ORDER BY id DESC').all(since) as SilenceRow[];
    return rows.map(fromRow);
  }

  async expire(id: number, at: number, by: string): Promise<void> {
    this.sql('UPDATE silences SET ends_at = MIN(ends_at, ?), expired_by = ? WHERE id = ?').run(at, by, id);
  }
}
