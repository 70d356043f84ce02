import { sliceWidth, type MetricPoint, type MetricSample, type MetricsStore, type SampledRange } from '../../core/ports/store.js';
import type { PgContext } from './pg-context.js';

const HOUR = 3_600_000;
/** Samples per INSERT: a tick of 10,000+ samples is a few statements, each under the statement timeout. */
const SAMPLES_PER_INSERT = 20_000;
/** Retention folds and deletes a day of samples at once; it gets longer than a tick's statements. */
const COMPACT_TIMEOUT_MS = 300_000;

/** The batch as parallel arrays, expanded server-side by unnest (one bound parameter per column). */
const INPUT = `unnest($1::text[], $2::text[], $3::bigint[], $4::float8[]) WITH ORDINALITY AS input (metric, scope, ts, value, ord)`;

/** Names series not seen before; NOT EXISTS first, so known series cost no sequence value. */
const INSERT_SERIES = `
  INSERT INTO metrics_series (metric, scope)
  SELECT DISTINCT input.metric, input.scope FROM ${INPUT}
  WHERE NOT EXISTS (SELECT 1 FROM metrics_series s WHERE s.metric = input.metric AND s.scope = input.scope)
  ON CONFLICT (metric, scope) DO NOTHING`;

/** `seq` is drawn in ORDER BY order: samples with the same ts keep their append order. */
const INSERT_RAW = `
  INSERT INTO metrics_raw (series, ts, value)
  SELECT s.id, input.ts, input.value FROM ${INPUT}
  JOIN metrics_series s ON s.metric = input.metric AND s.scope = input.scope
  ORDER BY input.ord`;

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
 * RANGE's rows thinned ($5 slices of width $6, as `sliceOf` computes them in float8): the last of
 * each slice in RANGE's order, or every row when there are at most $5; `n` counts RANGE's rows.
 */
const RANGE_SAMPLED = `
  WITH points AS (
    SELECT ts, avg AS value, 0 AS part, 0::bigint AS seq FROM metrics_hourly WHERE metric = $1 AND scope = $2 AND ts BETWEEN $3 AND $4
    UNION ALL
    SELECT r.ts, r.value, 1, r.seq FROM metrics_raw r JOIN metrics_series s ON s.id = r.series
    WHERE s.metric = $1 AND s.scope = $2 AND r.ts BETWEEN $3 AND $4
  ), ranked AS (
    SELECT ts, value, part, seq, count(*) OVER () AS n,
      row_number() OVER (
        PARTITION BY LEAST($5::int - 1, GREATEST(0, floor((ts - $3::bigint)::float8 / $6::float8)))
        ORDER BY ts DESC, part DESC, seq DESC
      ) AS rn
    FROM points
  )
  SELECT ts, value, n FROM ranked WHERE rn = 1 OR n <= $5::int ORDER BY ts, part, seq`;

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
 * Metrics history: raw samples, folded into hourly rows as they age, deleted past retention. Same
 * answers as SqliteMetricsStore without its staging: PostgreSQL appends a batch with a couple of
 * multi-row statements and no write amplification per series.
 */
export class PgMetricsStore implements MetricsStore {
  constructor(private readonly db: PgContext) {}

  async append(samples: readonly MetricSample[]): Promise<void> {
    // Non-finite values are dropped, as SQLite does.
    const kept = samples.filter((s) => Number.isFinite(s.value));
    if (kept.length === 0) return;
    await this.db.atomic(async (tx) => {
      for (let i = 0; i < kept.length; i += SAMPLES_PER_INSERT) {
        const batch = kept.slice(i, i + SAMPLES_PER_INSERT);
        const columns = [batch.map((s) => s.metric), batch.map((s) => s.scope), batch.map((s) => s.ts), batch.map((s) => s.value)];
        await tx.query(INSERT_SERIES, columns);
        await tx.query(INSERT_RAW, columns);
      }
    });
  }

  async range(metric: string, scope: string, from: number, to: number): Promise<MetricPoint[]> {
    const { rows } = await this.db.query<MetricPoint>(RANGE, [metric, scope, from, to]);
    return rows;
  }

  async rangeSampled(metric: string, scope: string, from: number, to: number, points: number): Promise<SampledRange> {
    const slices = Math.max(1, Math.floor(points));
    const { rows } = await this.db.query<{ ts: number; value: number; n: number }>(RANGE_SAMPLED, [metric, scope, from, to, slices, sliceWidth(from, to, slices)]);
    return { points: rows.map((r) => ({ ts: r.ts, value: r.value })), samples: rows[0]?.n ?? 0 };
  }

  async compact(rawBefore: number, downsampledBefore: number): Promise<number> {
    const cutoff = Math.floor(rawBefore / HOUR) * HOUR;
    return this.db.atomic(async (tx) => {
      const folded = await tx.query<{ removed: number }>(FOLD, [cutoff]);
      const hourly = await tx.query('DELETE FROM metrics_hourly WHERE ts < $1', [downsampledBefore]);
      return folded.rows[0]!.removed + (hourly.rowCount ?? 0);
    }, COMPACT_TIMEOUT_MS);
  }

  async count(): Promise<number> {
    const { rows } = await this.db.query<{ n: number }>('SELECT (SELECT count(*) FROM metrics_raw) + (SELECT count(*) FROM metrics_hourly) AS n');
    return rows[0]!.n;
  }
}
