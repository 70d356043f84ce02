import { normalizeShortId, shortIdFor } from '../../core/alerts/short-id.js';
import type { AlertCounts, AlertFilter, AlertRecord, AlertState, AlertStore, AlertType, NewAlert, Severity } from '../../core/ports/alerts.js';
import type { PgContext } from './pg-context.js';

type AlertRow = {
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
  sources: string[];
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
};

const COLUMNS = [
  'fingerprint', 'type', 'account', 'symbol', 'severity', 'state', 'summary', 'value', 'threshold', 'sources', 'starts_at', 'updated_at',
  'fired_at', 'first_notified_at', 'last_notified_at', 'notified_severity', 'acked_by', 'acked_at', 'ack_comment', 'resolved_at',
  'resolved_by', 'resolve_comment', 'clear_ticks', 'escalation_from', 'escalation_step', 'escalated_at',
];
const INSERT_SQL = `INSERT INTO alerts (id, short_id, ${COLUMNS.join(', ')}) VALUES ($1, $2, ${COLUMNS.map((_, i) => `$${i + 3}`).join(', ')})`;
const UPDATE_SQL = `UPDATE alerts SET ${COLUMNS.map((c, i) => `${c} = $${i + 2}`).join(', ')} WHERE id = $1`;
/** The SQL type of each of COLUMNS, for the first row of a VALUES list (the others follow it). */
const COLUMN_TYPES = [
  'text', 'text', 'text', 'text', 'text', 'text', 'text', 'float8', 'float8', 'text[]', 'int8', 'int8',
  'int8', 'int8', 'int8', 'text', 'text', 'int8', 'text', 'int8',
  'text', 'text', 'int4', 'int8', 'int4', 'int8',
];
/** Rows per UPDATE of `updateAll`: 27 parameters each, well under PostgreSQL's 65,535. */
const UPDATE_BATCH = 500;

/** One UPDATE of `rows` alerts from a VALUES list (id, then COLUMNS). */
function updateAllSql(rows: number): string {
  const width = COLUMNS.length + 1;
  const tuples = Array.from({ length: rows }, (_, r) =>
    `(${Array.from({ length: width }, (_, c) => `$${r * width + c + 1}${r === 0 ? `::${c === 0 ? 'int8' : COLUMN_TYPES[c - 1]}` : ''}`).join(', ')})`,
  );
  return `UPDATE alerts AS a SET ${COLUMNS.map((c) => `${c} = v.${c}`).join(', ')}
    FROM (VALUES ${tuples.join(', ')}) AS v(id, ${COLUMNS.join(', ')}) WHERE a.id = v.id`;
}
const SEVERITY_RANK_SQL = `CASE severity WHEN 'CRITICAL' THEN 0 WHEN 'WARN' THEN 1 ELSE 2 END`;

function opt<T>(v: T | null): T | undefined {
  return v === null ? undefined : v;
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
    sources: r.sources,
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

/** In COLUMNS order. */
function values(a: NewAlert): unknown[] {
  return [
    a.fingerprint, a.type, a.account ?? null, a.symbol ?? null, a.severity, a.state, a.summary, a.value, a.threshold,
    a.sources, a.startsAt, a.updatedAt, a.firedAt ?? null, a.firstNotifiedAt ?? null, a.lastNotifiedAt ?? null,
    a.notifiedSeverity ?? null, a.ackedBy ?? null, a.ackedAt ?? null, a.ackComment ?? null, a.resolvedAt ?? null,
    a.resolvedBy ?? null, a.resolveComment ?? null, a.clearTicks, a.escalationFrom ?? null, a.escalationStep ?? null, a.escalatedAt ?? null,
  ];
}

/** Same answers as SqliteAlertStore (src/store/sqlite/sqlite-alerts.ts), ordering included. */
export class PgAlertStore implements AlertStore {
  constructor(private readonly db: PgContext) {}

  async active(): Promise<AlertRecord[]> {
    const { rows } = await this.db.query<AlertRow>(`SELECT * FROM alerts WHERE state <> 'resolved' ORDER BY id`);
    return rows.map(fromRow);
  }

  async get(id: number): Promise<AlertRecord | undefined> {
    const { rows } = await this.db.query<AlertRow>('SELECT * FROM alerts WHERE id = $1', [id]);
    return rows[0] && fromRow(rows[0]);
  }

  async byShortId(shortId: string): Promise<AlertRecord | undefined> {
    const { rows } = await this.db.query<AlertRow>('SELECT * FROM alerts WHERE short_id = $1', [normalizeShortId(shortId)]);
    return rows[0] && fromRow(rows[0]);
  }

  /** The id is drawn first so that the row is written whole, short id included, in one statement. */
  async insert(alert: NewAlert): Promise<AlertRecord> {
    const { rows } = await this.db.query<{ id: number }>(`SELECT nextval(pg_get_serial_sequence('alerts', 'id')) AS id`);
    const id = rows[0]!.id;
    const shortId = shortIdFor(id);
    await this.db.query(INSERT_SQL, [id, shortId, ...values(alert)]);
    return { ...alert, id, shortId };
  }

  async update(alert: AlertRecord): Promise<void> {
    await this.db.query(UPDATE_SQL, [alert.id, ...values(alert)]);
  }

  async updateAll(alerts: readonly AlertRecord[]): Promise<void> {
    // One row per alert, the last given winning, as one UPDATE after another would leave it.
    const rows = [...new Map(alerts.map((a) => [a.id, a])).values()];
    for (let i = 0; i < rows.length; i += UPDATE_BATCH) {
      const chunk = rows.slice(i, i + UPDATE_BATCH);
      if (chunk.length === 1) await this.update(chunk[0]!);
      else await this.db.query(updateAllSql(chunk.length), chunk.flatMap((a) => [a.id, ...values(a)]));
    }
  }

  async list(filter: AlertFilter): Promise<AlertRecord[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, value: unknown): void => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    const state = filter.state ?? 'active';
    if (state === 'active') where.push(`state <> 'resolved'`);
    else if (state !== 'all') add('state = ?', state);
    if (filter.severity) add('severity = ?', filter.severity);
    if (filter.account) add('account = ?', filter.account);
    if (filter.type) add('type = ?', filter.type);
    const requested = filter.limit ?? 100;
    params.push(Number.isFinite(requested) ? Math.max(0, Math.floor(requested)) : 100);
    const sql = `SELECT * FROM alerts ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY (state = 'resolved'), ${SEVERITY_RANK_SQL}, COALESCE(resolved_at, starts_at) DESC, type, COALESCE(account, ''), COALESCE(symbol, ''), id DESC
      LIMIT $${params.length}`;
    const { rows } = await this.db.query<AlertRow>(sql, params);
    return rows.map(fromRow);
  }

  async counts(from: number, to: number): Promise<AlertCounts> {
    const { rows } = await this.db.query<{ fired: number; acknowledged: number; resolved: number }>(
      `SELECT
         count(*) FILTER (WHERE fired_at BETWEEN $1 AND $2) AS fired,
         count(*) FILTER (WHERE acked_at BETWEEN $1 AND $2) AS acknowledged,
         count(*) FILTER (WHERE resolved_at BETWEEN $1 AND $2 AND fired_at IS NOT NULL) AS resolved
       FROM alerts WHERE COALESCE(resolved_at, $2) >= $1`,
      [from, to],
    );
    const row = rows[0]!;
    return { fired: row.fired, acknowledged: row.acknowledged, resolved: row.resolved };
  }

  async linkMessage(outboxId: number, alertIds: readonly number[]): Promise<void> {
    if (alertIds.length === 0) return;
    await this.db.query('INSERT INTO alert_messages (outbox_id, alert_id) SELECT $1, unnest($2::bigint[]) ON CONFLICT DO NOTHING', [outboxId, alertIds]);
  }

  async messagesOf(alertId: number): Promise<number[]> {
    const { rows } = await this.db.query<{ outbox_id: number }>('SELECT outbox_id FROM alert_messages WHERE alert_id = $1 ORDER BY outbox_id', [alertId]);
    return rows.map((r) => r.outbox_id);
  }
}
