import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadConfig } from '../src/config/load-config.js';
import { writeBenchConfig } from './app-fixture.js';
import type { BenchSuite } from './framework.js';
import { seedHistory } from './history-seed.js';
import { markdownTable } from './report.js';
import { fmtMs, percentile } from './stats.js';

const ROOT = resolve(import.meta.dirname, '..');
const EXAMPLE = join(ROOT, 'config/delta-ops.example.yaml');
const USAGE_HOOK = join(ROOT, 'bench/exit-usage-hook.mjs');
/** Goals of issue 10: the first answer within 0.6 s, peak RSS under 200 MB. */
const START_GOAL_MS = 600;
const RSS_GOAL_MB = 200;

/**
 * How the entry point is started: what `npm start` (and the Docker image, and the systemd unit) runs, the
 * same compiled code with Node's default heap settings, and what `npm run dev` runs.
 */
const RUNTIMES = [
  { key: 'npm start', label: '`npm start`: compiled, `--max-semi-space-size=8`', args: ['--max-semi-space-size=8', '--import', USAGE_HOOK, join(ROOT, 'dist/src/main.js')] },
  { key: 'compiled', label: 'compiled, default flags', args: ['--import', USAGE_HOOK, join(ROOT, 'dist/src/main.js')] },
  { key: 'tsx', label: '`npm run dev`: tsx', args: ['--import', 'tsx', '--import', USAGE_HOOK, join(ROOT, 'src/main.ts')] },
] as const;
type Runtime = (typeof RUNTIMES)[number];

interface ConsoleRun {
  /** Spawn → the console prompt (it opens once the start-up tick is done). */
  prompt: number;
  /** Spawn → the answer to `/status` typed at that prompt. */
  answer: number;
  /** Peak RSS of the whole run, MB. */
  peakMb: number;
}

interface OnceRun {
  /** Spawn → exit of `--once /status` (one tick, the answer printed, the store closed). */
  exit: number;
  peakMb: number;
  /** CPU time (user + system) of the whole run: less sensitive than wall time to other work on the machine. */
  cpuMs: number;
}

interface ExitUsage {
  peakMb: number;
  cpuMs: number;
}

function spawnEntry(rt: Runtime, args: string[], db: string, usageFile: string) {
  const env = { PATH: process.env['PATH'], HOME: process.env['HOME'], NODE_OPTIONS: '', DELTA_OPS_DB: db, DELTA_OPS_ENV_FILE: '/dev/null', USAGE_FILE: usageFile };
  return spawn(process.execPath, [...rt.args, ...args], { cwd: ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] });
}

function readUsage(file: string): ExitUsage {
  const last = JSON.parse(readFileSync(file, 'utf8').trim().split('\n').pop() ?? '{}') as { maxRssKb: number; cpuMs: number };
  rmSync(file, { force: true });
  return { peakMb: last.maxRssKb / 1024, cpuMs: last.cpuMs };
}

/** Console mode: spawn, wait for the prompt, type `/status`, wait for its answer (the next prompt), `exit`. */
function consoleOnce(rt: Runtime, config: string, db: string, usageFile: string): Promise<ConsoleRun> {
  const t0 = performance.now();
  const child = spawnEntry(rt, ['--config', config], db, usageFile);
  let out = '';
  let err = '';
  let prompt: number | undefined;
  let answer: number | undefined;
  return new Promise((done, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (prompt === undefined && out.includes('delta-ops> ')) {
        prompt = performance.now() - t0;
        out = '';
        child.stdin.write('/status\n');
      } else if (prompt !== undefined && answer === undefined && out.includes('delta-ops status') && out.trimEnd().endsWith('delta-ops>')) {
        answer = performance.now() - t0;
        child.stdin.end('exit\n');
      }
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const guard = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(guard);
      if (prompt === undefined || answer === undefined || !existsSync(usageFile)) reject(new Error(`${rt.key} console run ended (code ${code}) before its answer: ${err.slice(-500)}`));
      else done({ prompt, answer, peakMb: readUsage(usageFile).peakMb });
    });
  });
}

/** `--once /status`: spawn to exit. */
function onceRun(rt: Runtime, config: string, db: string, usageFile: string): Promise<OnceRun> {
  const t0 = performance.now();
  const child = spawnEntry(rt, ['--config', config, '--once', '/status'], db, usageFile);
  child.stdin.end();
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise((done, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      const exit = performance.now() - t0;
      if (code !== 0 || !out.includes('delta-ops status') || !existsSync(usageFile)) reject(new Error(`${rt.key} --once run exited ${code}: ${err.slice(-500)}`));
      else done({ exit, ...readUsage(usageFile) });
    });
  });
}

/** dist/ must be the compiled form of the current sources, or the compiled rows measure old code. */
function assertBuilt(): void {
  const stale: string[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (p.endsWith('.ts')) {
        const js = join(ROOT, 'dist', relative(ROOT, p)).replace(/\.ts$/, '.js');
        if (!existsSync(js) || statSync(js).mtimeMs < statSync(p).mtimeMs) stale.push(relative(ROOT, p));
      }
    }
  };
  walk(join(ROOT, 'src'));
  walk(join(ROOT, 'commands'));
  if (stale.length) throw new Error(`dist/ is older than ${stale.slice(0, 3).join(', ')}${stale.length > 3 ? ` and ${stale.length - 3} more` : ''}: run \`npm run build\` first`);
}

const med = (xs: number[]): number => percentile(xs, 50);
const mb = (v: number): string => `${v.toFixed(0)}`;
const goal = (ok: boolean): string => (ok ? ' ✅' : ' ❌');

/**
 * Start-up of the real entry point, compiled against tsx: to the console prompt, to the first answer
 * (`/status` typed at the prompt, and `--once /status`), and the peak RSS, on the shipped example,
 * 1,000 accounts on an empty database, and 1,000 accounts after 24 h of history.
 */
export const startupSuite: BenchSuite = {
  key: 'startup',
  title: 'Start-up',
  async run(opts) {
    assertBuilt();
    const runs = opts.repeats ?? (opts.quick ? 2 : 5);
    const work = writeBenchConfig(1_000);
    const historyDb = join(work.dir, 'history.sqlite');
    const hours = opts.quick ? 2 : 24;
    const seeded = seedHistory(historyDb, loadConfig({ DELTA_OPS_DB: historyDb }, work.file), { end: Date.now(), rawHours: hours, bucketHours: 24 });
    opts.log(`  seeded ${seeded.rows.toLocaleString('en-US')} rows of history in ${(seeded.ms / 1000).toFixed(1)} s`);
    const fresh = (): string => join(work.dir, `fresh-${Math.random().toString(36).slice(2)}.sqlite`);
    const cases = [
      { label: 'example (3 accounts), new database', config: EXAMPLE, db: fresh },
      { label: '1,000 accounts, new database', config: work.file, db: fresh },
      { label: `1,000 accounts after ${hours} h (${(seeded.rows / 1e6).toFixed(1)} M samples)`, config: work.file, db: () => historyDb },
    ];
    const usageFile = join(work.dir, 'usage.jsonl');
    const load = [loadavg()[0]!];
    const rows: string[][] = [];
    try {
      for (const c of cases) {
        for (const rt of RUNTIMES) {
          // One untimed start of each kind: the OS file cache (and tsx's transform cache) warm, as on a restart.
          await consoleOnce(rt, c.config, c.db(), usageFile);
          await onceRun(rt, c.config, c.db(), usageFile);
          const con: ConsoleRun[] = [];
          const once: OnceRun[] = [];
          for (let i = 0; i < runs; i++) {
            con.push(await consoleOnce(rt, c.config, c.db(), usageFile));
            once.push(await onceRun(rt, c.config, c.db(), usageFile));
          }
          load.push(loadavg()[0]!);
          const answer = med(con.map((r) => r.answer));
          const onceMs = med(once.map((r) => r.exit));
          const peak = Math.max(...con.map((r) => r.peakMb), ...once.map((r) => r.peakMb));
          const cpu = med(once.map((r) => r.cpuMs));
          opts.log(`  ${c.label}, ${rt.key}: prompt ${fmtMs(med(con.map((r) => r.prompt)))} ms, answer ${fmtMs(answer)} ms, --once ${fmtMs(onceMs)} ms (CPU ${fmtMs(cpu)} ms), peak RSS ${mb(peak)} MB`);
          rows.push([
            c.label,
            rt.label,
            fmtMs(med(con.map((r) => r.prompt))),
            `${fmtMs(answer)}${goal(answer <= START_GOAL_MS)}`,
            `${fmtMs(onceMs)}${goal(onceMs <= START_GOAL_MS)}`,
            `${fmtMs(Math.min(...once.map((r) => r.exit)))} – ${fmtMs(Math.max(...once.map((r) => r.exit)))}`,
            fmtMs(cpu),
            `${mb(med(con.map((r) => r.peakMb)))} / ${mb(med(once.map((r) => r.peakMb)))}${goal(peak < RSS_GOAL_MB)}`,
          ]);
        }
      }
    } finally {
      rmSync(work.dir, { recursive: true, force: true });
    }
    return [
      `Spawn of the real entry point (console mode, no Discord token) to the console prompt, and to the answer of \`/status\` typed at that prompt; spawn to exit of \`--once /status\` (what a script or a health probe runs: one tick, the answer, the store closed). Peak RSS and CPU time (user + system) from getrusage at exit (peak RSS: console run / \`--once\` run). Medians of ${runs} runs after one untimed start of each kind; goals (issue 10): first answer ≤ ${START_GOAL_MS} ms, peak RSS < ${RSS_GOAL_MB} MB. Load average (1 min) on this shared 2-core machine during the run: ${Math.min(...load).toFixed(1)}–${Math.max(...load).toFixed(1)}.`,
      '',
      markdownTable(['start', 'runtime', 'prompt (ms)', 'first answer (ms)', '--once /status (ms)', '--once range', '--once CPU (ms)', 'peak RSS (MB)'], rows),
      '',
      'The prompt comes once the start-up tick is done (the console opens after it), and the first answer follows within about a tenth of a second: it reads the snapshot that tick built. `npm start` (also the Docker image and the systemd unit) runs the compiled JavaScript with an 8 MB young generation (`--max-semi-space-size=8`): the first tick at 1,000 accounts allocates fast, and with Node\'s default young generation (larger on Node 22+ than on 20) the heap, and so the RSS, grows further before it is collected, at no gain in time. tsx compiles every TypeScript module in-process at each start (`npm run dev`), which costs CPU and ~35 MB. What a start loads: Node and ~650 module files (the app\'s own ~360, undici, zod, yaml, prom-client, pino); discord.js (~45 MB, a third of the CPU of a start) loads only when the Discord bot runs, and node-postgres only with DATABASE_URL. 1,000 accounts add the configuration (parsed and validated with zod), the paper book and a first tick over them; after 24 h the first tick also loads the risk history from the stored hourly drawdown buckets (24 per account) and the samples after the last one, not the day of raw samples. Wall times here move with the load of the shared machine (see the load average above); the CPU column moves less.',
    ].join('\n');
  },
};
