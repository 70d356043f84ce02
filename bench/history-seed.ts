import { performance } from 'node:perf_hooks';
import type { AppConfig } from '../src/config/load-config.js';
import { METRIC, PORTFOLIO_SCOPE } from '../src/core/risk/history.js';
import { drawdownBucketSpan } from '../src/core/risk/memory-history.js';
import { openDatabase } from '../src/store/sqlite/open-database.js';

const STEP = 15_000;

/** One series of the seeded history and its (flat) value. */
export interface SeededSeries {
  metric: string;
  scope: string;
  value: number;
}

/** Every series a bot of `cfg`'s accounts writes (accounts, symbols, portfolio), valued at the configured equity. */
export function historySeries(cfg: AppConfig): SeededSeries[] {
  const series: SeededSeries[] = [];
  for (const a of cfg.accounts) {
    const equity = a.paper?.equity ?? 10_000;
    const used = equity - (a.paper?.available ?? equity);
    series.push(
      { metric: METRIC.equity, scope: a.id, value: equity },
      { metric: METRIC.available, scope: a.id, value: equity - used },
      { metric: METRIC.utilization, scope: a.id, value: equity > 0 ? used / equity : 0 },
      { metric: METRIC.upnl, scope: a.id, value: 0 },
      { metric: METRIC.leverage, scope: a.id, value: 1.5 },
    );
  }
  for (const [symbol, m] of Object.entries(cfg.venues.paper?.markets ?? {})) {
    series.push({ metric: METRIC.mark, scope: symbol, value: m.price }, { metric: METRIC.netDelta, scope: symbol, value: 0 }, { metric: METRIC.netUsd, scope: symbol, value: 0 }, { metric: METRIC.deviation, scope: symbol, value: 0 });
  }
  const total = cfg.accounts.reduce((s, a) => s + (a.paper?.equity ?? 0), 0);
  series.push({ metric: METRIC.portfolioEquity, scope: PORTFOLIO_SCOPE, value: total }, { metric: METRIC.portfolioUtilization, scope: PORTFOLIO_SCOPE, value: 0.5 }, { metric: METRIC.portfolioUpnl, scope: PORTFOLIO_SCOPE, value: 0 });
  return series;
}

/**
 * Writes the metrics history a bot of `cfg`'s accounts has after running until `end` at a 15 s tick:
 * `rawHours` of raw samples of every series (accounts, symbols, portfolio; flat values at the accounts'
 * configured equity, so no drawdown alert fires), and `bucketHours` of closed drawdown buckets of every
 * equity series. Written by SQLite itself (one statement per series), grouped by series, as the store
 * lays them out.
 */
export function seedHistory(dbPath: string, cfg: AppConfig, opts: { end: number; rawHours: number; bucketHours: number }): { rows: number; ms: number } {
  const t0 = performance.now();
  const db = openDatabase(dbPath);
  try {
    const perSeries = Math.round((opts.rawHours * 3_600_000) / STEP);
    const first = opts.end - perSeries * STEP;
    const series = historySeries(cfg);

    const addSeries = db.prepare('INSERT INTO metrics_series (metric, scope) VALUES (?, ?)');
    // A slow wobble (±0.05 %) so the series are not constant; seq is unique per row.
    const addRaw = db.prepare(
      `WITH RECURSIVE k(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM k WHERE i < ? - 1)
       INSERT INTO metrics_raw (series, ts, seq, value) SELECT ?, ? + i * ${STEP}, ? + i, ? * (1 + 0.0005 * ((i % 40) - 20) / 20.0) FROM k`,
    );
    const span = drawdownBucketSpan(cfg.thresholds.drawdown.window);
    const addBucket = db.prepare('INSERT INTO metrics_drawdown_buckets (metric, scope, start, span, n, max, min, dd, peak, trough) VALUES (?, ?, ?, ?, ?, ?, ?, 0, 0, 0)');
    const bucketsFrom = Math.floor((opts.end - opts.bucketHours * 3_600_000) / span) * span;
    let rows = 0;
    db.transaction(() => {
      let seq = 1;
      for (const s of series) {
        const id = Number(addSeries.run(s.metric, s.scope).lastInsertRowid);
        if (perSeries > 0) rows += addRaw.run(perSeries, id, first, seq, s.value).changes;
        seq += perSeries;
        if (s.metric === METRIC.equity || s.metric === METRIC.portfolioEquity) {
          for (let start = bucketsFrom; start + span <= opts.end; start += span) addBucket.run(s.metric, s.scope, start, span, span / STEP, s.value * 1.0005, s.value * 0.9995);
        }
      }
      db.prepare("INSERT INTO kv (key, value) VALUES ('metrics.rawSeq', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(String(seq));
    })();
    db.pragma('wal_checkpoint(TRUNCATE)');
    return { rows, ms: performance.now() - t0 };
  } finally {
    db.close();
  }
}
