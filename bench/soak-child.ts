/**
 * The soak, in its own process (its RSS is the bot's, not the bench runner's): `--accounts` paper
 * accounts ticked every 15 s of fake time for `--hours`, retention running as configured. Prints a
 * `HOUR {json}` line per simulated hour and a `RESULT {json}` line at the end. Run with --expose-gc; the
 * soak suite runs it compiled (dist/bench/soak-child.js, over dist/src), as production runs the app.
 */
import { readFileSync, statSync } from 'node:fs';
import v8 from 'node:v8';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { driverName } from '../src/store/sqlite/driver.js';
import type { SqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { createBenchApp, TICK_MS } from './app-fixture.js';
import { collectGarbage, percentile } from './stats.js';

const { values } = parseArgs({ options: { accounts: { type: 'string', default: '1000' }, hours: { type: 'string', default: '24' }, paced: { type: 'string', default: '4' }, pragma: { type: 'string', multiple: true, default: [] } } });
const accounts = Number(values.accounts);
const hours = Number(values.hours);
/** Ticks run at the end in real time, 15 s apart, the process idle between them as in production. */
const paced = Number(values.paced);
const perHour = 3_600_000 / TICK_MS;
// Node and every module loaded, before the app exists: the floor under the bot's own memory.
const rssAtStart = process.memoryUsage().rss;
const bench = await createBenchApp(accounts);
const db = (bench.app.store as SqliteStore).db;
// Experiments: `--pragma cache_size=-2000` and the like.
for (const p of values.pragma) db.pragma(p);
const fileBytes = (suffix: string): number => {
  try {
    return statSync(`${bench.dbPath}${suffix}`).size;
  } catch {
    return 0;
  }
};
const started = performance.now();
const all: number[] = [];
for (let h = 1; h <= hours; h++) {
  const ticks: number[] = [];
  for (let i = 0; i < perHour; i++) {
    const t0 = performance.now();
    await bench.tick();
    ticks.push(performance.now() - t0);
  }
  all.push(...ticks);
  const m = process.memoryUsage();
  process.stdout.write(`HOUR ${JSON.stringify({ hour: h, median: percentile(ticks, 50), p99: percentile(ticks, 99), max: Math.max(...ticks), rss: m.rss, heapUsed: m.heapUsed, db: fileBytes(''), wal: fileBytes('-wal'), elapsedMs: performance.now() - started })}\n`);
}
const elapsedMs = performance.now() - started;
const before = process.memoryUsage();
// The day ran tick after tick; a running bot idles ~15 s between ticks, and the runtime may give memory
// back then (V8's memory reducer). A minute of ticks at the real pace, RSS after the last pause.
for (let i = 0; i < paced; i++) {
  await bench.tick();
  await new Promise((resolve) => setTimeout(resolve, TICK_MS));
}
const rssPaced = process.memoryUsage().rss;
const failed = bench.app.engine.snapshot()?.accounts.filter((a) => a.status !== 'ok').length ?? accounts;
const gc = collectGarbage();
const after = process.memoryUsage();
const heapSpaces = Object.fromEntries(v8.getHeapSpaceStatistics().map((s) => [s.space_name, { size: s.space_size, used: s.space_used_size }]));
const status = (() => {
  try {
    return Object.fromEntries(readFileSync('/proc/self/status', 'utf8').split('\n').filter((l) => /^(RssAnon|RssFile)/.test(l)).map((l) => [l.split(':')[0]!, Number(/(\d+)/.exec(l)?.[1] ?? 0) * 1024]));
  } catch {
    return {};
  }
})();
const count = (table: string): number => (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
const result = {
  accounts,
  hours,
  ticks: all.length,
  failed,
  elapsedMs,
  tickMedian: percentile(all, 50),
  tickP99: percentile(all, 99),
  rssAtStart,
  paced,
  rssPaced,
  rss: before.rss,
  heapUsed: before.heapUsed,
  gc,
  rssAfterGc: after.rss,
  heapUsedAfterGc: after.heapUsed,
  heapTotalAfterGc: after.heapTotal,
  externalAfterGc: after.external,
  heapSpaces,
  status,
  db: fileBytes(''),
  wal: fileBytes('-wal'),
  rows: { raw: count('metrics_raw'), hourly: count('metrics_hourly'), staged: (await bench.app.store.metrics.count()) - count('metrics_raw') - count('metrics_hourly'), buckets: count('metrics_drawdown_buckets'), series: count('metrics_series') },
  alerts: (await bench.app.alerts.list({ state: 'all', limit: 100_000 })).length,
  node: process.version,
  driver: driverName,
};
await bench.close();
process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
