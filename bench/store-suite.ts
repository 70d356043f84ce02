import { performance } from 'node:perf_hooks';
import pino from 'pino';
import { loadConfig } from '../src/config/load-config.js';
import type { App } from '../src/app/app.js';
import type { View } from '../src/present/view.js';
import { PostgresStore } from '../src/store/postgres/pg-store.js';
import { ReadModelStore } from '../src/store/read-model/read-model-store.js';
import { BENCH_START, createBenchApp, writeBenchConfig, type BenchApp } from './app-fixture.js';
import type { BenchSuite } from './framework.js';
import { seedDeskReads } from './desk-seed.js';
import { HANDLER_CASES, handlerRunner, type HandlerCase } from './handlers-suite.js';
import { seedHistory } from './history-seed.js';
import { startLoadSampler } from './load-sampler.js';
import { createBenchDatabase, seedHistoryPostgres, startPostgres, type BenchDatabase } from './pg-bench.js';
import { markdownTable } from './report.js';
import { fmtMs, percentile } from './stats.js';

/** Raw history written before the run, as in the tick suite. */
const RAW_HOURS = 1;
/** PG / SQLite at most this, per row. */
const GOAL = 2;

const STORES = ['SQLite', 'PostgreSQL'] as const;
/** The handler table's last row: a bare store round trip, not a command. */
const PING_LABEL = 'store.ping() (one round trip, no command)';
type StoreName = (typeof STORES)[number];

interface TickSide {
  first: number;
  /** Ticks (of all, first and warm-up included) with a failed stage, e.g. a statement timeout. */
  failedStages: number;
  samples: number[];
  seedRows: number;
  seedMs: number;
}

interface TickRow {
  accounts: number;
  warmup: number;
  sides: Record<StoreName, TickSide>;
}

interface HandlerRow {
  label: string;
  ms: Record<StoreName, number[]>;
  /** Timed with the leader's read model dropped before each run: the store read it would do instead. */
  cold?: boolean;
}

/** The commands that read the store, when the read model has nothing yet (first read of a new leader). */
const COLD_LABELS: ReadonlySet<string> = new Set(['/status', '/alerts list', '/history account:acct-7', '/history', '/audit']);

/** `handlerRunner`, with what the read model kept dropped before each run (untimed). */
function coldRunner(app: App, c: HandlerCase): () => Promise<{ view: View; ms: number }> {
  const run = handlerRunner(app, c);
  return async () => {
    if (app.store instanceof ReadModelStore) {
      // The previous run's reads in the background end first: each run starts from nothing kept, on an idle store.
      await app.store.idle();
      app.store.forget();
    }
    return run();
  };
}

const NOTES = [
  '**Same book, same history, same process, side by side**: each size runs one app per store over the same generated paper book (bench/app-fixture.ts) and the same seeded history; their ticks alternate (SQLite then PostgreSQL, then the other way round, and so on), so load changes on the shared machine hit both alike. Handlers alternate the same way, in four rounds per command.',
  '**PostgreSQL as the tests run it**: the embedded server of test/helpers/postgres/server.ts (PostgreSQL 18, `fsync=off`, `synchronous_commit=off`, `full_page_writes=off`, default `shared_buffers` of 128 MB), on 127.0.0.1 over TCP, through the store\'s pool of 10 connections. SQLite runs in WAL mode with `synchronous=NORMAL`, which does not fsync on commit either; neither side waits for the disk, so the comparison is of round trips and query work, not of durability. A production PostgreSQL with `fsync=on` adds a WAL flush to each commit (two or three per tick).',
  '**History**: SQLite is seeded by bench/history-seed.ts; PostgreSQL by bench/pg-bench.ts with the same series, values and drawdown buckets, written as the staged appends of a running bot move them (32 steps at a time, series by series), then `VACUUM ANALYZE` (what autovacuum does on a live database). Seeding time is not part of any figure.',
  '**First tick** (shown apart, not in the median): it loads the risk history, one `range` query per account\'s equity series and per symbol, 8 at a time: an in-process call on SQLite, a round trip to the server plus a query on PostgreSQL (over the pool, side by side), so the difference grows with the accounts.',
  '**Steady ticks**: a tick writes the samples of every series, staged on both stores (one `metrics_staged` row per slot of series, then one slot of ~32 samples per series moved into `metrics_raw` in key order; on PostgreSQL src/store/postgres/pg-metrics-staging.ts, where the tick waits only for the staged rows and the move runs after it, before the next write), the alert evaluation in one transaction (the changed alerts in one UPDATE on PostgreSQL), and drawdown buckets when an hour closes. Before those two changes (2026-12-07, same day) the PostgreSQL tick at 1,000 accounts was 107 ms against 60 on SQLite (1.78×), and a probe of 20 ticks spent 30 ms of 66 in the append (stage and move in one transaction) and 7–10 ms in 20 sequential alert UPDATEs; after them, 49 ms. The CPU work in this process (paper sync, risk, alert rules) is the same on both. Before staging, PostgreSQL took every sample straight into `metrics_raw` (keyed by series, ts, seq): one index entry on a different leaf page per series per tick, ~50,000 pages at 10,000 accounts of an index (~800 MB at 12 M samples) larger than the test server\'s 128 MB `shared_buffers`. Measured apart on the same kind of server when the staging was built (2026-12-07, a one-off script): 50,000 samples a tick cost 1,256 ms straight in, against 89 ms to stage and 172 ms to move a slot in key order; the tick ratio at 10,000 accounts went from 3.79× to about 1.4×. On a 2-core machine under load the server\'s own CPU time also competes with the bench process.',
  '**Handlers** (the list of the handlers suite, `/sync` left out as it is a tick): most read the engine\'s snapshot and risk report in memory and never touch the store, so their two columns differ by noise only (GC pauses, the machine). The ones that read the store are `/status` (the open alerts), `/alerts list` (the alerts, the silences, the open sync alerts), `/history` (five series of `acct-7`, or the portfolio\'s, over a day of 15-s samples seeded through the store ports as in the handlers suite, thinned to 500 slices) and `/audit` (the newest 25 of 200 seeded entries). They answer from the leader\'s read model (src/store/read-model, the same code over either store): the active alerts, the silences and the newest audit entries are kept in memory by the process that writes them, and a history series read once is kept whole and followed by every append, so a `/history` read is a binary search and a pass over the window\'s points in memory (~0.3 ms for five series of 5,760 points) instead of a thinned read per series (before the read model, 2026-12-07 run: p50 3.8 ms on SQLite and 18.6 ms on PostgreSQL, p99 9 and 61 ms). Before it `/alerts list` missed the goal at p99 with 4.9 vs 14.2 ms, `/history` 6.6 vs 19.4, `/audit` 0.41 vs 4.1. The cold table shows what a read costs when the model has nothing yet. Ratios of sub-0.1 ms figures are noise: µs of jitter make ±50 %.',
];

/**
 * PostgreSQL against SQLite: tick time at 1,000 and 10,000 accounts and handler latency at 1,000, with
 * both stores measured side by side in one run (one app per store, ticks and handler rounds alternating).
 */
export const storeSuite: BenchSuite = {
  key: 'store',
  title: 'PostgreSQL against SQLite',
  async run(opts) {
    const sizes = opts.quick ? [100, 300] : [1_000, 10_000];
    const handlerSize = opts.quick ? 100 : 1_000;
    const load = startLoadSampler();
    const server = await startPostgres();
    opts.log(`  PostgreSQL: ${server.version.split(',')[0] ?? server.version}`);
    const ticks: TickRow[] = [];
    let handlers: HandlerRow[] = [];
    const silent = pino({ level: 'silent' });
    try {
      for (const n of sizes) {
        const big = n >= 10_000;
        const warmup = opts.warmup ?? (opts.quick ? 3 : big ? 3 : 5);
        const repeats = opts.repeats ?? (opts.quick ? 6 : big ? 10 : 25);
        const { dir, file, dbPath } = writeBenchConfig(n);
        const cfg = loadConfig({ DELTA_OPS_DB: dbPath }, file);
        const seedOpts = { end: BENCH_START, rawHours: RAW_HOURS, bucketHours: 24 };
        const sqliteSeed = seedHistory(dbPath, cfg, seedOpts);
        opts.log(`  ${n} accounts: SQLite seeded ${sqliteSeed.rows.toLocaleString('en-US')} rows in ${(sqliteSeed.ms / 1000).toFixed(1)} s`);
        let db: BenchDatabase | undefined;
        const apps: Partial<Record<StoreName, BenchApp>> = {};
        try {
          db = await createBenchDatabase(server.adminUrl, `n${n}`);
          const url = db.url;
          const pgSeed = await seedHistoryPostgres(url, cfg, seedOpts);
          opts.log(`  ${n} accounts: PostgreSQL seeded ${pgSeed.rows.toLocaleString('en-US')} rows in ${(pgSeed.ms / 1000).toFixed(1)} s (load ${load.sample().toFixed(1)})`);
          apps.SQLite = await createBenchApp(n, { dir, start: BENCH_START });
          apps.PostgreSQL = await createBenchApp(n, { start: BENCH_START, store: () => PostgresStore.open(url, { logger: silent }) });
          const both = { SQLite: apps.SQLite, PostgreSQL: apps.PostgreSQL };
          const timed = async (s: StoreName): Promise<number> => {
            const t0 = performance.now();
            const result = await both[s].tick();
            const ms = performance.now() - t0;
            if (result.failedStages.length) {
              sides[s].failedStages++;
              opts.log(`  ${n} accounts ${s}: tick ${result.seq} had failed stages: ${result.failedStages.join(', ')}`);
            }
            return ms;
          };
          const sides: Record<StoreName, TickSide> = {
            SQLite: { first: 0, failedStages: 0, samples: [], seedRows: sqliteSeed.rows, seedMs: sqliteSeed.ms },
            PostgreSQL: { first: 0, failedStages: 0, samples: [], seedRows: pgSeed.rows, seedMs: pgSeed.ms },
          };
          // Alternate which store goes first, so neither always runs right after the other's garbage.
          const order = (i: number): readonly StoreName[] => (i % 2 === 0 ? STORES : [...STORES].reverse());
          for (const s of STORES) sides[s].first = await timed(s);
          for (let i = 1; i < warmup; i++) for (const s of order(i)) await timed(s);
          for (let i = 0; i < repeats; i++) for (const s of order(i)) sides[s].samples.push(await timed(s));
          for (const s of STORES) {
            const failed = both[s].app.engine.snapshot()?.accounts.filter((a) => a.status !== 'ok').length ?? n;
            if (failed) throw new Error(`${s}: ${failed} accounts failed to sync`);
            const t = sides[s];
            opts.log(`  ${n} accounts ${s}: first ${fmtMs(t.first)} ms, median ${fmtMs(percentile(t.samples, 50))} ms, p90 ${fmtMs(percentile(t.samples, 90))} ms (load ${load.sample().toFixed(1)})`);
          }
          ticks.push({ accounts: n, warmup, sides });
          if (n === handlerSize) {
            // What /history and /audit read, as the handlers suite seeds it: a day of samples ending where
            // the seeded history starts (no overlap), and 200 audit entries, the same on both stores.
            for (const s of STORES) await seedDeskReads(both[s].app, BENCH_START - RAW_HOURS * 3_600_000, { account: 'acct-7', auditRows: 200 });
            handlers = await timeHandlers(both, opts.quick ? 300 : 1_500, opts.log);
          }
        } finally {
          for (const s of STORES) await apps[s]?.close().catch((err: unknown) => opts.log(`  ${s} app did not close: ${String(err)}`));
          await db?.drop();
        }
      }
    } finally {
      await server.stop();
    }
    const loadAvg = load.stop();

    const ratioCell = (pgMs: number, sqliteMs: number): string => {
      const r = pgMs / sqliteMs;
      return `${r.toFixed(2)}× ${r <= GOAL ? '✅' : '❌'}`;
    };
    const tickTable = markdownTable(
      ['accounts', 'SQLite median (ms)', 'SQLite p90', 'PostgreSQL median (ms)', 'PostgreSQL p90', `PG / SQLite median (goal ≤ ${GOAL}×)`, 'PG / SQLite p90', 'first tick SQLite', 'first tick PostgreSQL', 'first tick PG / SQLite'],
      ticks.map((t) => {
        const s = t.sides.SQLite;
        const p = t.sides.PostgreSQL;
        return [
          t.accounts.toLocaleString('en-US'),
          fmtMs(percentile(s.samples, 50)),
          fmtMs(percentile(s.samples, 90)),
          fmtMs(percentile(p.samples, 50)),
          fmtMs(percentile(p.samples, 90)),
          ratioCell(percentile(p.samples, 50), percentile(s.samples, 50)),
          `${(percentile(p.samples, 90) / percentile(s.samples, 90)).toFixed(2)}×`,
          fmtMs(s.first),
          fmtMs(p.first),
          `${(p.first / s.first).toFixed(1)}×`,
        ];
      }),
    );
    const handlerTable = (rows: readonly HandlerRow[], held = true): string => markdownTable(
      ['command', 'SQLite p50', 'SQLite p99', 'PostgreSQL p50', 'PostgreSQL p99', held ? `PG / SQLite p99 (goal ≤ ${GOAL}×)` : 'PG / SQLite p99', 'runs per store'],
      rows.map((h) => [
        h.label === PING_LABEL ? h.label : `\`${h.label}\``,
        fmtMs(percentile(h.ms.SQLite, 50)),
        fmtMs(percentile(h.ms.SQLite, 99)),
        fmtMs(percentile(h.ms.PostgreSQL, 50)),
        fmtMs(percentile(h.ms.PostgreSQL, 99)),
        h.label === PING_LABEL
          ? `${(percentile(h.ms.PostgreSQL, 99) / percentile(h.ms.SQLite, 99)).toFixed(0)}× (the floor)`
          : held
            ? ratioCell(percentile(h.ms.PostgreSQL, 99), percentile(h.ms.SQLite, 99))
            : `${(percentile(h.ms.PostgreSQL, 99) / percentile(h.ms.SQLite, 99)).toFixed(2)}×`,
        `${h.ms.SQLite.length} / ${h.ms.PostgreSQL.length}`,
      ]),
    );
    const tickRows = ticks.map((t) => ({ ok: percentile(t.sides.PostgreSQL.samples, 50) / percentile(t.sides.SQLite.samples, 50) <= GOAL }));
    const warm = handlers.filter((h) => !h.cold);
    const cold = handlers.filter((h) => h.cold);
    const commands = warm.filter((h) => h.label !== PING_LABEL);
    const handlerOk = commands.filter((h) => percentile(h.ms.PostgreSQL, 99) / percentile(h.ms.SQLite, 99) <= GOAL).length;
    const seeds = ticks.map((t) => `${t.accounts.toLocaleString('en-US')} accounts: ${t.sides.SQLite.seedRows.toLocaleString('en-US')} raw samples on each (seeded in ${(t.sides.SQLite.seedMs / 1000).toFixed(1)} s on SQLite, ${(t.sides.PostgreSQL.seedMs / 1000).toFixed(1)} s on PostgreSQL)`);
    return [
      `Both stores start from the same seeded history: ${RAW_HOURS} h of raw samples of every series and 24 h of hourly drawdown buckets of every equity series (${seeds.join('; ')}).`,
      `Ticks: the first one (it loads the risk history) is shown apart, then ${ticks.map((t) => `${t.warmup - 1}`).join(' / ')} more warm-up ticks, then the median and p90 of ${ticks.map((t) => t.sides.SQLite.samples.length).join(' / ')} ticks per store, the two stores' ticks alternating. 1-minute load average during the run: ${loadAvg.text}.`,
      '',
      '### Tick time (`engine.tick()`), ms',
      '',
      tickTable,
      '',
      `Ticks with a failed stage (a statement timeout, say), first and warm-up ticks included: ${STORES.map((st) => `${st} ${ticks.reduce((sum, t) => sum + t.sides[st].failedStages, 0)}`).join(', ')}.`,
      '',
      `### Handler time at ${handlerSize.toLocaleString('en-US')} accounts (\`executeCommand\`, as in the handlers suite), ms`,
      '',
      warm.length ? handlerTable(warm) : '(not run)',
      '',
      `Goal PostgreSQL ≤ ${GOAL}× SQLite: tick median ${tickRows.filter((r) => r.ok).length} of ${tickRows.length} sizes, handler p99 ${handlerOk} of ${commands.length} commands.`,
      '',
      '### The same commands with the read model cold (the first read of a new leader), ms',
      '',
      'The leader keeps in memory what these commands read (src/store/read-model): the table above is how they answer from the second read of a term on. Here what it kept is dropped before every run (untimed, after the reads the previous run started in the background have ended), so each run reads the store: the first `/status`, `/alerts list` and `/audit` after a leader is elected (each keeps what it read), and the first `/history` of a series (the store\'s thinned read, one seek per slice, while every point of the window is read in the background to be kept). That is the store\'s own cost, a round trip per read on PostgreSQL, whose floor alone (the last row of the table above) is several times SQLite\'s in-process call; it is paid once per term and series, so it is shown, not held to the goal.',
      '',
      cold.length ? handlerTable(cold, false) : '(not run)',
      '',
      '### How it is measured, and what limits it',
      '',
      ...NOTES.map((n) => `- ${n}`),
    ].join('\n');
  },
};

/**
 * Every command of the handlers suite on both apps, after the ticks above (alerts are firing): 10 untimed
 * runs each, then four rounds, each giving each store `budgetMs / 4` (at least 13 runs, at most 500).
 */
async function timeHandlers(apps: Record<StoreName, BenchApp>, budgetMs: number, log: (line: string) => void): Promise<HandlerRow[]> {
  const rows: HandlerRow[] = [];
  const ROUNDS = 4;
  const cases = [...HANDLER_CASES.map((c) => ({ c, cold: false })), ...HANDLER_CASES.filter((c) => COLD_LABELS.has(c.label)).map((c) => ({ c, cold: true }))];
  for (const { c, cold } of cases) {
    const runner = cold ? coldRunner : handlerRunner;
    const runs = { SQLite: runner(apps.SQLite.app, c), PostgreSQL: runner(apps.PostgreSQL.app, c) };
    const ms: Record<StoreName, number[]> = { SQLite: [], PostgreSQL: [] };
    for (const s of STORES) {
      const first = await runs[s]();
      if (first.view.title.startsWith('Error')) throw new Error(`${c.label} on ${s} answered ${first.view.title}: ${first.view.lines?.join(' ')}`);
      for (let i = 0; i < 10; i++) await runs[s]();
    }
    for (let round = 0; round < ROUNDS; round++) {
      for (const s of round % 2 === 0 ? STORES : [...STORES].reverse()) {
        const started = performance.now();
        let k = 0;
        while (k < 500 && (k < 13 || performance.now() - started < budgetMs / ROUNDS)) {
          ms[s].push((await runs[s]()).ms);
          k++;
        }
      }
    }
    rows.push({ label: c.label, ms, ...(cold ? { cold } : {}) });
    log(`  ${c.label}${cold ? ' (read model cold)' : ''}: p99 SQLite ${fmtMs(percentile(ms.SQLite, 99))} ms, PostgreSQL ${fmtMs(percentile(ms.PostgreSQL, 99))} ms (p50 ${fmtMs(percentile(ms.SQLite, 50))} / ${fmtMs(percentile(ms.PostgreSQL, 50))})`);
  }
  // The floor under every store read: one `SELECT 1` (an in-process call on SQLite), timed the same way.
  const ping: Record<StoreName, number[]> = { SQLite: [], PostgreSQL: [] };
  for (let round = 0; round < ROUNDS; round++) {
    for (const s of round % 2 === 0 ? STORES : [...STORES].reverse()) {
      for (let k = 0; k < 500; k++) {
        const t0 = performance.now();
        await apps[s].app.store.ping();
        ping[s].push(performance.now() - t0);
      }
    }
  }
  rows.push({ label: PING_LABEL, ms: ping });
  return rows;
}
