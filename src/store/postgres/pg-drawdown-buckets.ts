import type { DrawdownBucketRow, DrawdownBucketStore } from '../../core/ports/store.js';
import type { PgContext } from './pg-context.js';

type BucketRow = { [K in keyof DrawdownBucketRow]: DrawdownBucketRow[K] };

const FIELDS = ['metric', 'scope', 'start', 'span', 'n', 'max', 'min', 'dd', 'peak', 'trough'] as const;
const TYPES = ['text', 'text', 'bigint', 'bigint', 'bigint', 'float8', 'float8', 'float8', 'float8', 'float8'];

/** Closed drawdown buckets in `metrics_drawdown_buckets`; `scope` sorts bytewise as in SQLite. */
export class PgDrawdownBucketStore implements DrawdownBucketStore {
  constructor(private readonly db: PgContext) {}

  async load(metric: string, span: number, from: number): Promise<DrawdownBucketRow[]> {
    const { rows } = await this.db.query<BucketRow>(
      `SELECT ${FIELDS.join(', ')} FROM metrics_drawdown_buckets WHERE metric = $1 AND span = $2 AND start >= $3 ORDER BY scope, start`,
      [metric, span, from],
    );
    return rows;
  }

  /** One statement (atomic by itself); a row given twice keeps the last, as SQLite's INSERT OR REPLACE in order does. */
  async save(rows: readonly DrawdownBucketRow[]): Promise<void> {
    if (rows.length === 0) return;
    const last = new Map<string, DrawdownBucketRow>();
    for (const r of rows) last.set(JSON.stringify([r.metric, r.scope, r.start]), r);
    const unique = [...last.values()];
    await this.db.query(
      `INSERT INTO metrics_drawdown_buckets (${FIELDS.join(', ')})
       SELECT * FROM unnest(${TYPES.map((t, i) => `$${i + 1}::${t}[]`).join(', ')})
       ON CONFLICT (metric, scope, start) DO UPDATE SET ${FIELDS.filter((f) => f !== 'metric' && f !== 'scope' && f !== 'start').map((f) => `${f} = EXCLUDED.${f}`).join(', ')}`,
      FIELDS.map((f) => unique.map((r) => r[f])),
    );
  }

  async prune(before: number): Promise<number> {
    const res = await this.db.query('DELETE FROM metrics_drawdown_buckets WHERE start < $1', [before]);
    return res.rowCount ?? 0;
  }
}
