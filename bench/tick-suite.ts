import { performance } from 'node:perf_hooks';
import { loadConfig } from '../src/config/load-config.js';
import { BENCH_START, createBenchApp, writeBenchConfig } from './app-fixture.js';
import type { BenchSuite } from './framework.js';
import { seedHistory } from './history-seed.js';
import { markdownTable } from './report.js';
import { fmtMs, percentile } from './stats.js';

/** Raw history written before the run: enough for each series' tail to sit on its own pages. */
const RAW_HOURS = 1;

interface TickResult {
  accounts: number;
  first: number;
  samples: number[];
  seedRows: number;
  seedMs: number;
}

/**
 * Tick cost at 100, 1,000 and 10,000 accounts: `engine.tick()` of the real app (paper venue sync,
 * risk, alert evaluation in its transaction, metrics persisted), over a database that holds the
 * history of a bot in steady state, timed after warm-up ticks.
 */
export const tickSuite: BenchSuite = {
  key: 'tick',
  title: 'Tick cost',
  async run(opts) {
    const sizes = opts.quick ? [100, 1_000] : [100, 1_000, 10_000];
    const warmup = opts.warmup ?? 5;
    const results: TickResult[] = [];
    for (const n of sizes) {
      const repeats = opts.repeats ?? (opts.quick ? 8 : n >= 10_000 ? 15 : 25);
      const { dir, file, dbPath } = writeBenchConfig(n);
      const seed = seedHistory(dbPath, loadConfig({ DELTA_OPS_DB: dbPath }, file), { end: BENCH_START, rawHours: RAW_HOURS, bucketHours: 24 });
      opts.log(`  ${n} accounts: seeded ${seed.rows.toLocaleString('en-US')} rows in ${(seed.ms / 1000).toFixed(1)} s`);
      const bench = createBenchApp(n, { dir, start: BENCH_START });
      try {
        const timed = async (): Promise<number> => {
          const t0 = performance.now();
          await bench.tick();
          return performance.now() - t0;
        };
        const first = await timed();
        for (let i = 1; i < warmup; i++) await timed();
        const samples: number[] = [];
        for (let i = 0; i < repeats; i++) samples.push(await timed());
        const failed = bench.app.engine.snapshot()?.accounts.filter((a) => a.status !== 'ok').length ?? n;
        if (failed) throw new Error(`${failed} accounts failed to sync`);
        opts.log(`  ${n} accounts: first ${fmtMs(first)} ms, median ${fmtMs(percentile(samples, 50))} ms, p90 ${fmtMs(percentile(samples, 90))} ms`);
        results.push({ accounts: n, first, samples, seedRows: seed.rows, seedMs: seed.ms });
      } finally {
        await bench.close();
      }
    }
    const med = (r: TickResult): number => percentile(r.samples, 50);
    const rows = results.map((r, i) => {
      const prev = results[i - 1];
      const ratio = prev ? med(r) / med(prev) : undefined;
      const scale = prev ? r.accounts / prev.accounts : undefined;
      return [
        r.accounts.toLocaleString('en-US'),
        fmtMs(med(r)),
        fmtMs(percentile(r.samples, 90)),
        fmtMs(Math.max(...r.samples)),
        fmtMs(r.first),
        ratio !== undefined && scale !== undefined ? `${ratio.toFixed(2)}× for ${scale}× accounts ${ratio <= 1.2 * scale ? '✅' : '❌'}` : '—',
      ];
    });
    const at10k = results.find((r) => r.accounts === 10_000);
    return [
      `Each size: ${warmup} warm-up ticks (the first one loads the risk history and is shown apart), then the median of ${results.map((r) => r.samples.length).join(' / ')} ticks.`,
      `Before the run the database holds ${RAW_HOURS} h of raw samples of every series and 24 h of hourly drawdown buckets of every equity series, as a bot in steady state has.`,
      '',
      markdownTable(['accounts', 'median (ms)', 'p90', 'max', 'first tick', 'scaling (median ÷ previous size)'], rows),
      '',
      `Targets: tick < 500 ms at 10,000 accounts — ${at10k ? `${fmtMs(med(at10k))} ms ${med(at10k) < 500 ? '✅' : '❌'}` : 'not run'}; 10× accounts ≤ 12× time (the last column).`,
    ].join('\n');
  },
};
