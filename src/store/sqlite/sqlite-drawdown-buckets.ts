import type { Database, Statement } from './driver.js';
import type { DrawdownBucketRow, DrawdownBucketStore } from '../../core/ports/store.js';

/** Closed drawdown buckets in `metrics_drawdown_buckets` (migration 003). */
export class SqliteDrawdownBucketStore implements DrawdownBucketStore {
  private readonly upsert: Statement;
  private readonly select: Statement;
  private readonly remove: Statement;

  constructor(private readonly db: Database) {
    this.upsert = db.prepare(
      `INSERT OR REPLACE INTO metrics_drawdown_buckets (metric, scope, start, span, n, max, min, dd, peak, trough)
       VALUES (@metric, @scope, @start, @span, @n, @max, @min, @dd, @peak, @trough)`,
    );
    this.select = db.prepare('SELECT metric, scope, start, span, n, max, min, dd, peak, trough FROM metrics_drawdown_buckets WHERE metric = ? AND span = ? AND start >= ? ORDER BY scope, start');
    this.remove = db.prepare('DELETE FROM metrics_drawdown_buckets WHERE start < ?');
  }

  async load(metric: string, span: number, from: number): Promise<DrawdownBucketRow[]> {
    return this.select.all(metric, span, from) as DrawdownBucketRow[];
  }

  async save(rows: readonly DrawdownBucketRow[]): Promise<void> {
    if (rows.length === 0) return;
    this.db.transaction(() => {
      for (const r of rows) this.upsert.run(r);
    })();
  }

  async prune(before: number): Promise<number> {
    return this.remove.run(before).changes;
  }
}
