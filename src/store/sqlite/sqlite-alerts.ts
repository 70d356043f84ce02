import type { Database, Statement } from './driver.js';
import { normalizeShortId, shortIdFor } from '../../core/alerts/short-id.js';
import { statementCache } from './statement-cache.js';
import type { AlertCounts, AlertFilter, AlertRecord, AlertState, AlertStore, AlertType, NewAlert, Severity } from '../../core/ports/alerts.js';

interface AlertRow {
  id: number;
  short_id: string;
  fingerprint: string;
  type: string;
  account: string | null;
  symbol: string | null;
  severity: string;
  state: string;
  summary: string;
  value: number;
  threshold: number;
  sources: string;
  starts_at: number;
  updated_at: number;
  fired_at: number | null;
  first_notified_at: number | null;
  last_notified_at: number | null;
  notified_severity: string | null;
  acked_by: string | null;
  acked_at: number | null;
  ack_comment: string | null;
  resolved_at: number | null;
  resolved_by: string | null;
  resolve_comment: string | null;
  clear_ticks: number;
  escalation_from: number | null;
  escalation_step: number | null;
  escalated_at: number | null;
}

const COLUMNS = `fingerprint, type, account, symbol, severity, state, summary, value, threshold, sources, starts_at, updated_at,
  fired_at, first_notified_at, last_notified_at, notified_severity, acked_by, acked_at, ack_comment, resolved_at, resolved_by,
  resolve_comment, clear_ticks, escalation_from, escalation_step, escalated_at`;
const SEVERITY_RANK_SQL = `CASE severity WHEN 'CRITICAL' THEN 0 WHEN 'WARN' THEN 1 ELSE 2 END`;

function opt<T>(v: T | null): T | undefined {
  return v === null ? undefined : v;
}

function parseSources(text: string): string[] {
  const parsed: unknown = JSON.parse(text);
  return Array.isArray(parsed) ? parsed.filter((s): s is string => typeof s === 'string') : [];
}

function fromRow(r: AlertRow): AlertRecord {
  return {
    id: r.id,
    shortId: r.short_id,
    fingerprint: r.fingerprint,
    // The CHECK constraints and the only writer (this class) keep these within their unions.
    type: r.type as AlertType,
    account: opt(r.account),
    symbol: opt(r.symbol),
    severity: r.severity as Severity,
    state: r.state as AlertState,
    summary: r.summary,
    value: r.value,
    threshold: r.threshold,
    sources: parseSources(r.sources),
    startsAt: r.starts_at,
    updatedAt: r.updated_at,
    firedAt: opt(r.fired_at),
    firstNotifiedAt: opt(r.first_notified_at),
    lastNotifiedAt: opt(r.last_notified_at),
    notifiedSeverity: opt(r.notified_severity) as Severity | undefined,
    ackedBy: opt(r.acked_by),
    ackedAt: opt(r.acked_at),
    ackComment: opt(r.ack_comment),
    resolvedAt: opt(r.resolved_at),
    resolvedBy: opt(r.resolved_by),
    resolveComment: opt(r.resolve_comment),
    clearTicks: r.clear_ticks,
    escalationFrom: opt(r.escalation_from),
    escalationStep: opt(r.escalation_step),
    escalatedAt: opt(r.escalated_at),
  };
}

function values(a: NewAlert): (string | number | null)[] {
  return [
    a.fingerprint, a.type, a.account ?? null, a.symbol ?? null, a.severity, a.state, a.summary, a.value, a.threshold,
    JSON.stringify(a.sources), a.startsAt, a.updatedAt, a.firedAt ?? null, a.firstNotifiedAt ?? null, a.lastNotifiedAt ?? null,
    a.notifiedSeverity ?? null, a.ackedBy ?? null, a.ackedAt ?? null, a.ackComment ?? null, a.resolvedAt ?? null,
    a.resolvedBy ?? null, a.resolveComment ?? null, a.clearTicks, a.escalationFrom ?? null, a.escalationStep ?? null, a.escalatedAt ?? null,
  ];
}

export class SqliteAlertStore implements AlertStore {
  private readonly insertStmt: Statement;
  private readonly setShortId: Statement;
  private readonly updateStmt: Statement;
  private readonly byId: Statement;
  private readonly sql: (text: string) => Statement;

  constructor(private readonly db: Database) {
    this.sql = statementCache(db);
    this.insertStmt = db.prepare(`INSERT INTO alerts (${COLUMNS}) VALUES (${COLUMNS.split(',').map(() => '?').join(', ')})`);
    this.setShortId = db.prepare('UPDATE alerts SET short_id = ? WHERE id = ?');
    const assignments = COLUMNS.split(',').map((c) => `${c.trim()} = ?`).join(', ');
    this.updateStmt = db.prepare(`UPDATE alerts SET ${assignments} WHERE id = ?`);
    this.byId = db.prepare('SELECT * FROM alerts WHERE id = ?');
  }

  async active(): Promise<AlertRecord[]> {
    const rows = this.sql(`SELECT * FROM alerts WHERE state <> 'resolved' ORDER BY id`).all() as AlertRow[];
    return rows.map(fromRow);
  }

  async get(id: number): Promise<AlertRecord | undefined> {
    const row = this.byId.get(id) as AlertRow | undefined;
    return row ? fromRow(row) : undefined;
  }

  async byShortId(shortId: string): Promise<AlertRecord | undefined> {
    const row = this.sql('SELECT * FROM alerts WHERE short_id = ?').get(normalizeShortId(shortId)) as AlertRow | undefined;
    return row ? fromRow(row) : undefined;
  }

  async insert(alert: NewAlert): Promise<AlertRecord> {
    return this.db.transaction(() => {
      const id = Number(this.insertStmt.run(...values(alert)).lastInsertRowid);
      const shortId = shortIdFor(id);
      this.setShortId.run(shortId, id);
      return { ...alert, id, shortId };
    })();
  }

  async update(alert: AlertRecord): Promise<void> {
    this.updateStmt.run(...values(alert), alert.id);
  }

  async updateAll(alerts: readonly AlertRecord[]): Promise<void> {
    for (const alert of alerts) this.updateStmt.run(...values(alert), alert.id);
  }

  async list(filter: AlertFilter): Promise<AlertRecord[]> {
    const where: string[] = [];
    const params: (string | number)[] = [];
    const state = filter.state ?? 'active';
    if (state === 'active') where.push(`state <> 'resolved'`);
    else if (state !== 'all') {
      where.push('state = ?');
      params.push(state);
    }
    if (filter.severity) {
      where.push('severity = ?');
      params.push(filter.severity);
    }
    if (filter.account) {
      where.push('account = ?');
      params.push(filter.account);
    }
    if (filter.type) {
      where.push('type = ?');
      params.push(filter.type);
    }
    // The limit is written into the SQL, not bound: with SQLITE_ENABLE_STAT4 (better-sqlite3's build) a
    // bound LIMIT makes SQLite re-prepare the statement on every call (15-150 µs, most of `/alerts list`).
    const requested = filter.limit ?? 100;
    const limit = Number.isFinite(requested) ? Math.max(0, Math.floor(requested)) : 100;
    const sql = `SELECT * FROM alerts ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY (state = 'resolved'), ${SEVERITY_RANK_SQL}, COALESCE(resolved_at, starts_at) DESC, type, COALESCE(account, ''), COALESCE(symbol, ''), id DESC LIMIT ${limit}`;
    return (this.sql(sql).all(...params) as AlertRow[]).map(fromRow);
  }

  async counts(from: number, to: number): Promise<AlertCounts> {
    const row = this.sql(
      `SELECT
         SUM(CASE WHEN fired_at BETWEEN @from AND @to THEN 1 ELSE 0 END) AS fired,
         SUM(CASE WHEN acked_at BETWEEN @from AND @to THEN 1 ELSE 0 END) AS acknowledged,
         SUM(CASE WHEN resolved_at BETWEEN @from AND @to AND fired_at IS NOT NULL THEN 1 ELSE 0 END) AS resolved
       FROM alerts WHERE COALESCE(resolved_at, @to) >= @from`,
    ).get({ from, to }) as { fired: number | null; acknowledged: number | null; resolved: number | null };
    return { fired: row.fired ?? 0, acknowledged: row.acknowledged ?? 0, resolved: row.resolved ?? 0 };
  }

  async linkMessage(outboxId: number, alertIds: readonly number[]): Promise<void> {
    const stmt = this.sql('INSERT OR IGNORE INTO alert_messages (outbox_id, alert_id) VALUES (?, ?)');
    for (const id of alertIds) stmt.run(outboxId, id);
  }

  async messagesOf(alertId: number): Promise<number[]> {
    const rows = this.sql('SELECT outbox_id FROM alert_messages WHERE alert_id = ? ORDER BY outbox_id').all(alertId) as { outbox_id: number }[];
    return rows.map((r) => r.outbox_id);
  }
}
