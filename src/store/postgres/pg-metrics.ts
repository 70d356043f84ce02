import { sliceEnds, type MetricPoint, type MetricSample, type MetricsStore, type SampledRange } from '../../core/ports/store.js';
import type { PgContext } from './pg-context.js';
import { mergeSampled } from '../sampled-range.js';
import type { PgMetricsStaging } from './pg-metrics-staging.js';
import { mergeStaged, thinWithStaged } from './pg-staged-slots.js';

const HOUR = 3_600_000;
/** Retention folds and deletes a day of samples at once; it gets longer than a tick's statements. */
const COMPACT_TIMEOUT_MS = 300_000;

/**
 * Hourly rows first, then raw rows, each oldest first: what SqliteMetricsStore's stable sort of
 * [...hourly, ...raw] by ts gives (an hourly row before a raw row of the same ts).
 */
const RANGE = `
  SELECT ts, value FROM (
    SELECT ts, avg AS value, 0 AS part, 0::bigint AS seq FROM metrics_hourly WHERE metric = $1 AND scope = $2 AND ts BETWEEN $3 AND $4
    UNION ALL
    SELECT r.ts, r.value, 1, r.seq FROM metrics_raw r JOIN metrics_series s ON s.id = r.series
    WHERE s.metric = $1 AND s.scope = $2 AND r.ts BETWEEN $3 AND $4
  ) points ORDER BY ts, part, seq`;

/**
 * RANGE's rows thinned to $5 slices: the hourly rows (part 0), then either every raw row when RANGE has
 * at most $5 rows (part 1), or the last raw row of each slice (part 2): one index seek back from each
 * slice end ($6, `sliceEnds`; an empty slice finds the row before it again). `n` counts RANGE's rows up
 * to $5 + 1, which decides the part that runs (a one-time filter); the caller merges as `range` orders.
 */
const RANGE_SAMPLED = `
  WITH s AS (SELECT id FROM metrics_series WHERE metric = $1 AND scope = $2),
  h AS (SELECT ts, avg AS value FROM metrics_hourly WHERE metric = $1 AND scope = $2 AND ts BETWEEN $3 AND $4),
  n AS (SELECT least($5::bigint + 1, (SELECT count(*) FROM h)
    + (SELECT count(*) FROM (SELECT 1 FROM metrics_raw WHERE series = (SELECT id FROM s) AND ts BETWEEN $3 AND $4 LIMIT $5::bigint + 1) r)) AS n)
  SELECT part, ts, value, (SELECT n FROM n) AS n FROM (
    SELECT 0 AS part, ts, value, 0::bigint AS seq FROM h
    UNION ALL
    SELECT 1, r.ts, r.value, r.seq FROM metrics_raw r
    WHERE r.series = (SELECT id FROM s) AND r.ts BETWEEN $3 AND $4 AND (SELECT n FROM n) <= $5::bigint
    UNION ALL
    SELECT 2, l.ts, l.value, l.seq FROM unnest($6::bigint[]) AS e(hi)
    CROSS JOIN LATERAL (
      SELECT ts, value, seq FROM metrics_raw WHERE series = (SELECT id FROM s) AND ts BETWEEN $3 AND e.hi ORDER BY ts DESC, seq DESC LIMIT 1
    ) l
    WHERE (SELECT n FROM n) > $5::bigint
  ) points ORDER BY part, ts, seq`;

/**
 * Raw rows before the cutoff deleted and folded into their hours in one statement: an hour folded
 * earlier merges with the new samples (weighted average, min and max kept), as in SQLite.
 */
const FOLD = `
  WITH gone AS (DELETE FROM metrics_raw WHERE ts < $1 RETURNING series, ts, value),
  folded AS (
    INSERT INTO metrics_hourly AS h (metric, scope, ts, avg, min, max, n)
    SELECT s.metric, s.scope, (gone.ts / ${HOUR}) * ${HOUR} AS hour, avg(gone.value), min(gone.value), max(gone.value), count(*)
    FROM gone JOIN metrics_series s ON s.id = gone.series
    GROUP BY s.metric, s.scope, hour
    ON CONFLICT (metric, scope, ts) DO UPDATE SET
      avg = (h.avg * h.n + EXCLUDED.avg * EXCLUDED.n) / (h.n + EXCLUDED.n),
      min = LEAST(h.min, EXCLUDED.min), max = GREATEST(h.max, EXCLUDED.max), n = h.n + EXCLUDED.n
    RETURNING 1
  )
  SELECT (SELECT count(*) FROM gone) AS removed, (SELECT count(*) FROM folded) AS hours`;

/**
 * Metrics history: raw samples, folded into hourly rows as they age, deleted past retention; the same
 * answers as SqliteMetricsStore. Appends are staged (PgMetricsStaging): reads merge the staged samples
 * held in memory with the database's rows.
 */
export class PgMetricsStore implements MetricsStore {
  /**
   * `db` is the pool or, for a store scope inside `PostgresStore.transaction`, that transaction
   * (`inTransaction`): appends there only stage, and memory follows once it commits.
   */
  constructor(
    private readonly db: PgContext,
    private readonly staging: PgMetricsStaging,
    private readonly inTransaction: boolean,
  ) {}

  append(samples: readonly MetricSample[]): Promise<void> {
    return this.staging.append(samples, this.inTransaction ? this.db : undefined);
  }

  async range(metric: string, scope: string, from: number, to: number): Promise<MetricPoint[]> {
    const { db, staged } = await this.staging.withStaged(metric, scope, from, to, async () => (await this.db.query<MetricPoint>(RANGE, [metric, scope, from, to], 'metrics_range')).rows);
    return mergeStaged(db, staged);
  }

  async rangeSampled(metric: string, scope: string, from: number, to: number, points: number): Promise<SampledRange> {
    const slices = Math.max(1, Math.floor(points));
    const { db, staged } = await this.staging.withStaged(metric, scope, from, to, async () => {
      const { rows } = await this.db.query<{ part: number; ts: number; value: number; n: number }>(RANGE_SAMPLED, [metric, scope, from, to, slices, sliceEnds(from, to, slices)], 'metrics_range_sampled');
      const hourly: MetricPoint[] = [];
      const raw: MetricPoint[] = [];
      for (const r of rows) {
        if (r.part === 0) hourly.push({ ts: r.ts, value: r.value });
        // Part 2 holds a slice's row once per slice end that found it.
        else if (r.part === 1 || raw.at(-1)?.ts !== r.ts) raw.push({ ts: r.ts, value: r.value });
      }
      const samples = rows[0]?.n ?? 0;
      // Every point: in RANGE's order (a stable sort puts an hourly row before a raw row of its ts).
      if (samples <= slices) return { points: [...hourly, ...raw].sort((a, b) => a.ts - b.ts), samples };
      return { points: mergeSampled(hourly, raw, from, to, slices), samples };
    });
    return thinWithStaged(db, staged, from, to, slices);
  }

  async compact(rawBefore: number, downsampledBefore: number): Promise<number> {
    const cutoff = Math.floor(rawBefore / HOUR) * HOUR;
    // Every staged sample moves first, so that old ones are folded too.
    return this.staging.withAllMoved(
      async (tx) => {
        const folded = await tx.query<{ removed: number }>(FOLD, [cutoff]);
        const hourly = await tx.query('DELETE FROM metrics_hourly WHERE ts < $1', [downsampledBefore]);
        return folded.rows[0]!.removed + (hourly.rowCount ?? 0);
      },
      COMPACT_TIMEOUT_MS,
      this.inTransaction ? this.db : undefined,
    );
  }

  async count(): Promise<number> {
    return this.staging.withPendingCount(async () => {
      const { rows } = await this.db.query<{ n: number }>('SELECT (SELECT count(*) FROM metrics_raw) + (SELECT count(*) FROM metrics_hourly) AS n');
      return rows[0]!.n;
    });
  }
}
