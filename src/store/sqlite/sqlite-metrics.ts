import type { Database, Statement } from 'better-sqlite3';
import type { MetricPoint, MetricSample, MetricsStore } from '../types.js';

const HOUR = 3_600_000;

/** Metrics history: raw samples, folded into hourly rows as they age, deleted past retention. */
export class SqliteMetricsStore implements MetricsStore {
  private readonly insert: Statement;
  private readonly selectRaw: Statement;
  private readonly selectHourly: Statement;

  constructor(private readonly db: Database) {
    this.insert = db.prepare('INSERT INTO metrics_raw (metric, scope, ts, value) VALUES (?, ?, ?, ?)');
    this.selectRaw = db.prepare('SELECT ts, value FROM metrics_raw WHERE metric = ? AND scope = ? AND ts BETWEEN ? AND ? ORDER BY ts');
    this.selectHourly = db.prepare('SELECT ts, avg AS value FROM metrics_hourly WHERE metric = ? AND scope = ? AND ts BETWEEN ? AND ? ORDER BY ts');
  }

  append(samples: readonly MetricSample[]): void {
    const run = this.db.transaction((rows: readonly MetricSample[]) => {
      for (const s of rows) if (Number.isFinite(s.value)) this.insert.run(s.metric, s.scope, s.ts, s.value);
    });
    run(samples);
  }

  range(metric: string, scope: string, from: number, to: number): MetricPoint[] {
    const hourly = this.selectHourly.all(metric, scope, from, to) as MetricPoint[];
    const raw = this.selectRaw.all(metric, scope, from, to) as MetricPoint[];
    if (hourly.length === 0) return raw;
    // Hourly rows cover only what was folded, which is older than any remaining raw row.
    return [...hourly, ...raw].sort((a, b) => a.ts - b.ts);
  }

  compact(rawBefore: number, downsampledBefore: number): number {
    const cutoff = Math.floor(rawBefore / HOUR) * HOUR;
    return this.db.transaction(() => {
      this.db
        .prepare(
          `INSERT INTO metrics_hourly (metric, scope, ts, avg, min, max, n)
           SELECT metric, scope, (ts / ${HOUR}) * ${HOUR} AS h, AVG(value), MIN(value), MAX(value), COUNT(*)
           FROM metrics_raw WHERE ts < ? GROUP BY metric, scope, h
           ON CONFLICT (metric, scope, ts) DO UPDATE SET
             avg = (avg * n + excluded.avg * excluded.n) / (n + excluded.n),
             min = MIN(min, excluded.min), max = MAX(max, excluded.max), n = n + excluded.n`,
        )
        .run(cutoff);
      const raw = this.db.prepare('DELETE FROM metrics_raw WHERE ts < ?').run(cutoff).changes;
      const hourly = this.db.prepare('DELETE FROM metrics_hourly WHERE ts < ?').run(downsampledBefore).changes;
      return raw + hourly;
    })();
  }

  count(): number {
    const a = this.db.prepare('SELECT COUNT(*) AS n FROM metrics_raw').get() as { n: number };
    const b = this.db.prepare('SELECT COUNT(*) AS n FROM metrics_hourly').get() as { n: number };
    return a.n + b.n;
  }
}
