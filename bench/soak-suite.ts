import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { assertBuilt, compileBenchScript, npmStartFlags } from './compiled.js';
import { extraString, type BenchSuite } from './framework.js';
import { markdownTable } from './report.js';
import { fmtMb, fmtMs } from './stats.js';


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
  /** Ticks run at the real pace (15 s apart) after the day, and the RSS after them. */
  paced: number;
  rssPaced: number;
  rss: number;
  heapUsed: number;
  gc: boolean;
  rssAfterGc: number;
  heapUsedAfterGc: number;
  db: number;
  wal: number;
  rows: { raw: number; hourly: number; staged: number; buckets: number; series: number };
  alerts: number;
  /** /proc/self/status after the GC: RssAnon, RssFile (bytes); empty off Linux. */
  status: Record<string, number>;
  node: string;
  driver: string;
}

const NOTES = [
  'Where the memory is (Node 20, the row above): the JS heap holds ~30 MB live after a full GC (snapshot, risk report, 24 hourly drawdown buckets per account, a day of marks per symbol); the process is ~72 MB before the app is built (Node, half of it file-backed code, and the modules); SQLite adds its page cache (16 MB, better-sqlite3\'s default; node:sqlite is set to the same) and allocator memory that grows slowly with the file (~1 MB per simulated hour; the heap, the staged samples and the risk history are bounded). The rest is V8\'s headroom: a tick at 1,000 accounts allocates tens of MB that live through its stages, outlive young-generation collections and die in old space, so the old space grows until the next full collection, and how far V8 lets it grow scales with the heap limit: up to 4× the live heap under Node\'s default limit (several GB here), at most ~1.6× under a 1 GB one. Hence `--max-old-space-size=1024` in `npm start`, the image and the systemd unit (next to `--max-semi-space-size=8`): 248 MB → 172 MB at the end of the day on Node 20, tick times unchanged; 1 GB is ~30× the live heap at 1,000 accounts (a book whose live heap nears it needs a higher limit).',
  'Node 24 (the Docker image; `npm run bench -- --only soak --node=PATH`, same day): 226 MB at the end with these flags ❌ (467 MB with Node\'s defaults), 257 MB after the paced ticks and after a full GC (anonymous 200 MB, JS heap 32 MB live). V8 13 keeps the pages the heap once grew to in a pool, resident, after a full GC; only a memory-reducing GC returns them, and V8\'s memory reducer starts one only while allocation is slow (`--trace-memory-reducer`: "high alloc, foreground" at every check, 1,000 accounts at 15 s ticks allocate faster than that), so on Node 24 the RSS stays at its high-water mark, while Node 20 gives memory back when the bot idles between ticks (the paced row). Measured at 1 h on Node 24: a memory-reducing GC (`gc({ type: \'major\', flavor: \'last-resort\' })` under `--expose-gc`) takes the RSS from 226 MB to 122 MB; making the bot run one (e.g. hourly, after the retention pass) would need the GC exposed, which is the lead\'s call; not done.',
  'Tried and not kept (Node 20, 1,000 accounts, 6 h unless said): `MALLOC_ARENA_MAX=2`, no change; a 2 MB SQLite page cache (`cache_size=-2000`), −14 MB at the end and −36 MB after GC, but metrics appends cost ~20 % more CPU (src/store/sqlite/node-sqlite.ts); `--optimize-for-size`, ~120 MB on both Nodes at 2 h but ticks ~3× slower; `--max-old-space-size=512` or `256`, no lower than 1024 at 2 h (the growing factor is near its minimum already); a 2 MB young generation, ~15 MB less on Node 24 at 2 h.',
  'The database grows by ~43 MB per hour at 1,000 accounts (6,085 series × 240 samples × ~31 B, the key included); raw samples are kept 48 h (`store.rawRetention`), so the file levels off at ~2.1 GB plus the hourly rows. The WAL stays under 16 MB (`journal_size_limit`). "Staged samples not yet moved" are the paced ticks\' samples, since the last hourly pass.',
  'The tick median rises over the day (see the table): the tail pages of more series fall out of SQLite\'s 16 MB page cache as `metrics_raw` grows, the VaR window fills to 5,760 marks per symbol, and the machine is shared; the hourly retention pass (moving every staged sample at once) is the max column.',
];

/**
 * Runs bench/soak-child.ts, compiled (`script`: dist/bench/soak-child.js, over the app in dist/src), with
 * `nodeFlags` and --expose-gc (for the after-GC figures), and collects its hourly and final lines.
 */
function runChild(node: string, script: string, accounts: number, hours: number, nodeFlags: readonly string[], log: (line: string) => void): Promise<{ hours: Hour[]; result: Result }> {
  const child = spawn(node, ['--expose-gc', ...nodeFlags, script, '--accounts', String(accounts), '--hours', String(hours)], { stdio: ['ignore', 'pipe', 'inherit'] });
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
 * RSS and database size at the end, and tick time across the day. Opt-in: `npm run bench -- --only soak`
 * (`--node PATH` runs it on another Node).
 */
export const soakSuite: BenchSuite = {
  key: 'soak',
  title: 'Soak: 24 simulated hours',
  optIn: true,
  async run(opts) {
    const accounts = opts.quick ? 200 : 1_000;
    const hours = opts.quick ? 2 : 24;
    // `--node PATH`: another Node binary (Node 24: SQLite through node:sqlite instead of better-sqlite3).
    const node = extraString(opts, 'node') ?? process.execPath;
    assertBuilt();
    const script = compileBenchScript(join(import.meta.dirname, 'soak-child.ts'));
    const flags = npmStartFlags();
    const shown = flags.length ? `\`${flags.join(' ')}\`` : 'no flags';
    opts.log(`  compiled (dist/), as \`npm start\` runs: ${shown}`);
    const { hours: seen, result: r } = await runChild(node, script, accounts, hours, flags, opts.log);
    if (r.failed) throw new Error(`${r.failed} accounts failed at the end of the soak`);
    // The same run with Node's default heap sizing: what the start script's flags buy.
    opts.log('  again with Node\'s default flags');
    const { result: plain } = await runChild(node, script, accounts, hours, [], opts.log);
    const pick = seen.filter((h) => h.hour === 1 || h.hour === Math.ceil(hours / 2) || h.hour === hours);
    const n = (v: number): string => v.toLocaleString('en-US');
    const goal = (rss: number): string => (rss < 200 * 2 ** 20 ? '✅' : '❌');
    const anon = (x: Result): string => (x.status['RssAnon'] !== undefined ? ` (anonymous ${fmtMb(x.status['RssAnon'])}, file-backed ${fmtMb(x.status['RssFile'] ?? 0)})` : '');
    return [
      `${n(accounts)} paper accounts over 20 symbols (bench/app-fixture.ts), ${n(r.ticks)} ticks of 15 s on a fake clock (${hours} h), empty database at the start, retention as configured (raw 48 h, hourly 90 d; compaction every 240 ticks), each tick synced, risk computed, alerts evaluated and metrics persisted. Run as production runs: the compiled app (dist/, \`npm run build\`; the bench driver bench/soak-child.ts compiled beside it, no tsx in the process) in a child process with the flags of \`npm start\` (${shown}) plus \`--expose-gc\` for the after-GC figures; Node ${r.node}, SQLite through ${r.driver}. Took ${(r.elapsedMs / 60_000).toFixed(1)} min of wall time.`,
      '',
      markdownTable(
        ['at the end', 'value'],
        [
          [`RSS (as \`npm start\` runs: ${shown})`, `${fmtMb(r.rss)} ${goal(r.rss)} (target < 200 MB)`],
          [`RSS after ${r.paced} more ticks at the real pace (15 s apart, idle between them, as the bot runs)`, `${fmtMb(r.rssPaced)} ${goal(r.rssPaced)}`],
          [`RSS after a full GC${r.gc ? '' : ' (not available)'}`, `${fmtMb(r.rssAfterGc)}${anon(r)}`],
          ['RSS of the process before the app is built (Node and the modules)', fmtMb(r.rssAtStart)],
          ['JS heap used (before / after GC)', `${fmtMb(r.heapUsed)} / ${fmtMb(r.heapUsedAfterGc)}`],
          ['RSS with Node\'s default flags (at the end / after the paced ticks / after GC)', `${fmtMb(plain.rss)} ${goal(plain.rss)} / ${fmtMb(plain.rssPaced)} / ${fmtMb(plain.rssAfterGc)}; JS heap ${fmtMb(plain.heapUsed)}; tick median ${fmtMs(plain.tickMedian)} ms`],
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
