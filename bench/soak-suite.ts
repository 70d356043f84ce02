import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { BenchSuite } from './framework.js';
import { markdownTable } from './report.js';
import { fmtMb, fmtMs } from './stats.js';

const SMALL_YOUNG_GEN = '--max-semi-space-size=2';

interface Hour {
  hour: number;
  median: number;
  p99: number;
  max: number;
  rss: number;
  heapUsed: number;
  db: number;
  wal: number;
  elapsedMs: number;
}

interface Result {
  accounts: number;
  hours: number;
  ticks: number;
  failed: number;
  elapsedMs: number;
  tickMedian: number;
  tickP99: number;
  rssAtStart: number;
  rss: number;
  heapUsed: number;
  gc: boolean;
  rssAfterGc: number;
  heapUsedAfterGc: number;
  db: number;
  wal: number;
  rows: { raw: number; hourly: number; staged: number; buckets: number; series: number };
  alerts: number;
}

const NOTES = [
  'RSS misses the 200 MB target, and not because of the bot\'s data: the JS heap holds 25–40 MB after a full GC (snapshot, risk report, 24 hourly drawdown buckets per account, a day of marks per symbol). The rest is the floor and the runtimes\' headroom: ~118 MB before the app is built (Node ~40 MB, tsx ~30 MB — `npm start` compiles TypeScript in-process — and the modules), V8\'s young generation (32 MB of semi-spaces under this allocation rate) and old-space growth between major collections (the RSS before and after a GC differ by 15–60 MB), SQLite\'s page cache (16 MB, better-sqlite3\'s default) and native allocator memory that varies from run to run (two identical 2 h runs ended 124 MB and 210 MB of anonymous memory after GC; closing the database gives ~95 MB back, so most of it is SQLite\'s and the allocator\'s). That native part also grows with the database over the day (RSS 252 → 312 MB from hour 1 to 24 while the JS heap after GC stays ~37 MB): it tracks SQLite\'s work on a growing file, not a leak in the bot (the heap, the staged samples and the risk history are bounded).',
  'What helps, measured: a 2 MB young generation (`--max-semi-space-size=2`, the second row) takes 50–60 MB off at no visible tick cost; a smaller SQLite cache (`cache_size=-2000`) ~8 MB; running the compiled JavaScript instead of tsx ~30 MB. Capping the old space (`--max-old-space-size=128`) brought a 2 h run to 141 MB but makes a larger book crash instead of growing, so it is not a default. These are deployment settings (NODE_OPTIONS, the start script) for the lead to choose; the code side (no per-tick history reads, no per-sample objects kept between ticks) is done.',
  'The database grows by ~36 MB per hour at 1,000 accounts (5,083 series × 240 samples × ~31 B, the key included); raw samples are kept 48 h (`store.rawRetention`), so the file levels off at ~1.7 GB plus the hourly rows. The WAL stays under 16 MB (`journal_size_limit`; before it, it kept its 60 MB high-water mark).',
  'The tick median rises over the day (see the table): the tail pages of more series fall out of SQLite\'s 16 MB page cache as `metrics_raw` grows, the VaR window fills to 5,760 marks per symbol, and the machine is shared; the hourly retention pass (moving every staged sample at once) is the max column.',
];

/** Runs bench/soak-child.ts (with --expose-gc) and collects its hourly and final lines. */
function runChild(accounts: number, hours: number, nodeFlags: readonly string[], log: (line: string) => void): Promise<{ hours: Hour[]; result: Result }> {
  const script = join(import.meta.dirname, 'soak-child.ts');
  const child = spawn(process.execPath, ['--expose-gc', ...nodeFlags, '--import', 'tsx', script, '--accounts', String(accounts), '--hours', String(hours)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const seen: Hour[] = [];
  let result: Result | undefined;
  let buf = '';
  child.stdout.on('data', (d: Buffer) => {
    buf += d.toString();
    let nl: number;
    while ((nl = buf.indexOf('\n')) !== -1) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      if (line.startsWith('HOUR ')) {
        const h = JSON.parse(line.slice(5)) as Hour;
        seen.push(h);
        log(`  hour ${h.hour}: tick median ${fmtMs(h.median)} ms, p99 ${fmtMs(h.p99)} ms, RSS ${fmtMb(h.rss)}, db ${fmtMb(h.db)} + WAL ${fmtMb(h.wal)}, ${(h.elapsedMs / 1000).toFixed(0)} s`);
      } else if (line.startsWith('RESULT ')) result = JSON.parse(line.slice(7)) as Result;
    }
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => (result ? resolve({ hours: seen, result }) : reject(new Error(`soak child exited with ${code} and no result`))));
  });
}

/**
 * 24 simulated hours at a 15 s tick (5,760 ticks) with 1,000 paper accounts, as the bot runs them:
 * RSS and database size at the end, and tick time across the day. Opt-in: `npm run bench -- --only soak`.
 */
export const soakSuite: BenchSuite = {
  key: 'soak',
  title: 'Soak: 24 simulated hours',
  optIn: true,
  async run(opts) {
    const accounts = opts.quick ? 200 : 1_000;
    const hours = opts.quick ? 2 : 24;
    const { hours: seen, result: r } = await runChild(accounts, hours, [], opts.log);
    if (r.failed) throw new Error(`${r.failed} accounts failed at the end of the soak`);
    // The same run with V8's young generation capped (2 MB semi-spaces instead of up to 16 MB): what
    // the runtime's heap sizing, not the bot's data, adds to RSS.
    opts.log(`  again with ${SMALL_YOUNG_GEN}`);
    const { result: small } = await runChild(accounts, hours, [SMALL_YOUNG_GEN], opts.log);
    const pick = seen.filter((h) => h.hour === 1 || h.hour === Math.ceil(hours / 2) || h.hour === hours);
    const n = (v: number): string => v.toLocaleString('en-US');
    return [
      `${n(accounts)} paper accounts over 20 symbols (bench/app-fixture.ts), ${n(r.ticks)} ticks of 15 s on a fake clock (${hours} h), empty database at the start, retention as configured (raw 48 h, hourly 90 d; compaction every 240 ticks), each tick synced, risk computed, alerts evaluated and metrics persisted. Run in a child process with \`--expose-gc\`; took ${(r.elapsedMs / 60_000).toFixed(1)} min of wall time.`,
      '',
      markdownTable(
        ['at the end', 'value'],
        [
          ['RSS (default Node flags, as `npm start` runs)', `${fmtMb(r.rss)} ${r.rss < 200 * 2 ** 20 ? '✅' : '❌'} (target < 200 MB)`],
          [`RSS after a full GC${r.gc ? '' : ' (not available)'}`, fmtMb(r.rssAfterGc)],
          ['RSS of the process before the app is built (Node, tsx, the modules)', fmtMb(r.rssAtStart)],
          ['JS heap used (before / after GC)', `${fmtMb(r.heapUsed)} / ${fmtMb(r.heapUsedAfterGc)}`],
          [`RSS with \`${SMALL_YOUNG_GEN}\` (before / after GC)`, `${fmtMb(small.rss)} ${small.rss < 200 * 2 ** 20 ? '✅' : '❌'} / ${fmtMb(small.rssAfterGc)}; tick median ${fmtMs(small.tickMedian)} ms`],
          ['database file + WAL', `${fmtMb(r.db)} + ${fmtMb(r.wal)}`],
          ['raw samples (`metrics_raw`)', n(r.rows.raw)],
          ['staged samples not yet moved', n(r.rows.staged)],
          ['hourly rows / drawdown buckets / series', `${n(r.rows.hourly)} / ${n(r.rows.buckets)} / ${n(r.rows.series)}`],
          ['bytes per raw sample (file ÷ rows)', (r.db / Math.max(1, r.rows.raw)).toFixed(1)],
          ['alerts (all states)', n(r.alerts)],
          ['tick median / p99 over the run', `${fmtMs(r.tickMedian)} / ${fmtMs(r.tickP99)} ms`],
        ],
        ['l', 'l'],
      ),
      '',
      'Across the day:',
      '',
      markdownTable(
        ['hour', 'tick median (ms)', 'p99', 'max', 'RSS', 'database + WAL'],
        pick.map((h) => [String(h.hour), fmtMs(h.median), fmtMs(h.p99), fmtMs(h.max), fmtMb(h.rss), `${fmtMb(h.db)} + ${fmtMb(h.wal)}`]),
      ),
      '',
      '### What limits it',
      '',
      ...NOTES.map((n) => `- ${n}`),
    ].join('\n');
  },
};
