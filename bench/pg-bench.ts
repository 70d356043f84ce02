import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import pg, { escapeIdentifier } from 'pg';
import type { AppConfig } from '../src/config/load-config.js';
import { METRIC } from '../src/core/risk/history.js';
import { drawdownBucketSpan } from '../src/core/risk/memory-history.js';
import { PostgresStore } from '../src/store/postgres/pg-store.js';
import { historySeries } from './history-seed.js';

export { startPostgres, type PostgresServer } from '../test/helpers/postgres/server.js';

const STEP = 15_000;

export interface BenchDatabase {
  /** postgres:// URL of the new, empty database. */
  url: string;
  name: string;
  /** Drops it, ending any connection still open to it. Safe to call twice. */
  drop(): Promise<void>;
}

async function asAdmin(adminUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A new database on the server of `adminUrl` (what test/helpers/postgres/fresh-database.ts does, without vitest). */
export async function createBenchDatabase(adminUrl: string, label: string): Promise<BenchDatabase> {
  const name = `bench_${label.replace(/\W/g, '_')}_${randomBytes(4).toString('hex')}`;
  const ident = escapeIdentifier(name);
  await asAdmin(adminUrl, `CREATE DATABASE ${ident}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  let dropped = false;
  return {
    url: url.toString(),
    name,
    async drop() {
      if (dropped) return;
      dropped = true;
      await asAdmin(adminUrl, `DROP DATABASE IF EXISTS ${ident} WITH (FORCE)`);
    },
  };
}

/**
 * The history seedHistory (bench/history-seed.ts) writes into SQLite, written into the PostgreSQL
 * database at `url` (migrated first): the same series, values and drawdown buckets. Raw samples go in
 * as a running bot's staged appends move them (src/store/postgres/pg-metrics-staging.ts): 32 steps at a
 * time, series by series within them (PostgreSQL's heap keeps insert order; SQLite's table is clustered
 * by series whatever the order). Ends with VACUUM ANALYZE, as autovacuum would have done on a database
 * of a bot that ran that long.
 */
export async function seedHistoryPostgres(url: string, cfg: AppConfig, opts: { end: number; rawHours: number; bucketHours: number }): Promise<{ rows: number; ms: number }> {
  const t0 = performance.now();
  // Migrations, as the app applies them.
  await (await PostgresStore.open(url)).close();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const series = historySeries(cfg);
    const perSeries = Math.round((opts.rawHours * 3_600_000) / STEP);
    const first = opts.end - perSeries * STEP;
    let rows = 0;
    await client.query('BEGIN');
    const named = await client.query<{ id: string; metric: string; scope: string }>(
      `INSERT INTO metrics_series (metric, scope)
       SELECT metric, scope FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS s(metric, scope, ord) ORDER BY ord
       RETURNING id, metric, scope`,
      [series.map((s) => s.metric), series.map((s) => s.scope)],
    );
    const ids = new Map(named.rows.map((r) => [`${r.metric}\u0000${r.scope}`, r.id]));
    const idList = series.map((s) => ids.get(`${s.metric}\u0000${s.scope}`)!);
    const values = series.map((s) => s.value);
    // The same ±0.05 % wobble as the SQLite seed; about a million rows per statement, whole moves of 32 steps.
    const stepsPerInsert = 32 * Math.max(1, Math.floor(1_000_000 / Math.max(1, series.length) / 32));
    for (let from = 0; from < perSeries; from += stepsPerInsert) {
      const to = Math.min(perSeries, from + stepsPerInsert) - 1;
      const r = await client.query(
        `INSERT INTO metrics_raw (series, ts, value)
         SELECT s.id, $3::bigint + k.i * ${STEP}, s.v * (1 + 0.0005 * ((k.i % 40) - 20) / 20.0)::float8
         FROM generate_series($4::int, $5::int) AS k(i) CROSS JOIN unnest($1::bigint[], $2::float8[]) WITH ORDINALITY AS s(id, v, ord)
         ORDER BY k.i / 32, s.ord, k.i`,
        [idList, values, first, from, to],
      );
      rows += r.rowCount ?? 0;
    }
    const span = drawdownBucketSpan(cfg.thresholds.drawdown.window);
    const bucketsFrom = Math.floor((opts.end - opts.bucketHours * 3_600_000) / span) * span;
    const starts: number[] = [];
    for (let start = bucketsFrom; start + span <= opts.end; start += span) starts.push(start);
    const equity = series.filter((s) => s.metric === METRIC.equity || s.metric === METRIC.portfolioEquity);
    if (starts.length > 0) {
      await client.query(
        `INSERT INTO metrics_drawdown_buckets (metric, scope, start, span, n, max, min, dd, peak, trough)
         SELECT e.metric, e.scope, b.start, $5::bigint, $6::bigint, e.v * 1.0005, e.v * 0.9995, 0, 0, 0
         FROM unnest($1::text[], $2::text[], $3::float8[]) AS e(metric, scope, v) CROSS JOIN unnest($4::bigint[]) AS b(start)`,
        [equity.map((s) => s.metric), equity.map((s) => s.scope), equity.map((s) => s.value), starts, span, span / STEP],
      );
    }
    await client.query('COMMIT');
    await client.query('VACUUM ANALYZE metrics_series, metrics_raw, metrics_drawdown_buckets');
    return { rows, ms: performance.now() - t0 };
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    await client.end();
  }
}
