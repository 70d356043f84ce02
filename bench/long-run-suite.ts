/**
 * `npm run bench -- --only node24-run`: the compiled bot left running on Node 24 (the Docker image's Node,
 * where SQLite is `node:sqlite` and where better-sqlite3 12 used to abort the process) with fast ticks,
 * commands typed into its console and its HTTP API scraped, then told to exit. Options: --minutes N
 * (default 10), --tick S (seconds between ticks, default 1), --every S (seconds between commands,
 * default 3), --node PATH (the Node to run; default: this Node when it is the Dockerfile's, else that
 * version from the npm registry's `node` package, installed once under the OS temp dir as .ci/run does).
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parse as parseYaml } from 'yaml';
import { assertBuilt, botEnv, DIST_MAIN, npmStartFlags, ROOT } from './compiled.js';
import { extraString, type BenchSuite, type SuiteOptions } from './framework.js';
import { markdownTable } from './report.js';
import { fmtMs, percentile } from './stats.js';

const EXAMPLE = join(ROOT, 'config/delta-ops.example.yaml');
const USAGE_HOOK = join(ROOT, 'bench/exit-usage-hook.mjs');
/** What a native abort leaves in the output (the check .ci/run makes of the Node 24 test run, and more). */
const ABORT = /Assertion failed|SIGABRT|Segmentation fault|FATAL ERROR|core dumped/;
/** Typed in turn; every command the bot has, read-only ones and an on-demand sync. */
const COMMANDS = ['/status', '/risk', '/positions', '/alerts list state:all', '/delta plan symbol:BTC', '/utilization', '/funding', '/feeds', '/history', '/audit', '/sync', '/help'];
const PROMPT = 'delta-ops> ';

/** The Node the Docker image runs (`ARG NODE_VERSION=` in the Dockerfile). */
function dockerNodeVersion(): string {
  const m = /^ARG NODE_VERSION=(\S+)$/m.exec(readFileSync(join(ROOT, 'Dockerfile'), 'utf8'));
  if (!m?.[1]) throw new Error('no ARG NODE_VERSION in the Dockerfile');
  return m[1];
}

/** --node, this Node when it is the image's, or the image's from the npm registry (cached under tmpdir). */
function nodeBinary(opts: SuiteOptions): string {
  const given = extraString(opts, 'node');
  if (given) return given;
  const version = dockerNodeVersion();
  if (process.version === `v${version}`) return process.execPath;
  const prefix = join(tmpdir(), `delta-ops-node-${version}`);
  const bin = join(prefix, 'node_modules/node/bin/node');
  if (!existsSync(bin)) {
    opts.log(`  installing Node ${version} (npm package node@${version}) under ${prefix}`);
    execFileSync('npm', ['install', '--no-save', '--no-audit', '--no-fund', '--loglevel=error', '--prefix', prefix, `node@${version}`], { stdio: 'inherit' });
  }
  return bin;
}

/** VmRSS and VmHWM of a process, bytes (Linux; undefined elsewhere or once it is gone). */
function procMemory(pid: number): { rss: number; hwm: number } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (name: string): number => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(text)?.[1] ?? NaN) * 1024;
    return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
  } catch {
    return undefined;
  }
}

interface LongRun {
  node: string;
  minutes: number;
  tickSeconds: number;
  ticks: number;
  ticksFailed: number;
  ticksSkipped: number;
  lastSync: number | undefined;
  sent: number;
  answered: number;
  errorAnswers: string[];
  answerMs: number[];
  http: { ok: number; failed: number };
  warnings: number;
  errors: number;
  code: number | null;
  signal: string | null;
  aborts: string[];
  rssStart: number | undefined;
  rssEnd: number | undefined;
  peakMb: number | undefined;
}

async function runBot(node: string, opts: { minutes: number; tickSeconds: number; everySeconds: number; log: (line: string) => void }): Promise<LongRun> {
  const dir = mkdtempSync(join(tmpdir(), 'delta-ops-long-run-'));
  try {
    const config = parseYaml(readFileSync(EXAMPLE, 'utf8')) as { schedule?: Record<string, unknown>; http?: Record<string, unknown> };
    config.schedule = { ...config.schedule, tickInterval: `${opts.tickSeconds}s` };
    config.http = { ...config.http, listen: '127.0.0.1:0' };
    const configFile = join(dir, 'long-run.yaml');
    writeFileSync(configFile, JSON.stringify(config));
    const usageFile = join(dir, 'usage.jsonl');
    const env = botEnv({ DELTA_OPS_DB: join(dir, 'long-run.sqlite'), LOG_LEVEL: 'info', USAGE_FILE: usageFile });
    const child = spawn(node, [...npmStartFlags(), '--import', USAGE_HOOK, DIST_MAIN, '--config', configFile], { cwd: ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] });
    const r: LongRun = { node: '', minutes: opts.minutes, tickSeconds: opts.tickSeconds, ticks: 0, ticksFailed: 0, ticksSkipped: 0, lastSync: undefined, sent: 0, answered: 0, errorAnswers: [], answerMs: [], http: { ok: 0, failed: 0 }, warnings: 0, errors: 0, code: null, signal: null, aborts: [], rssStart: undefined, rssEnd: undefined, peakMb: undefined };
    let url: string | undefined;
    let out = '';
    let pending: { line: string; at: number } | undefined;
    let errBuf = '';
    // The console is up (its first prompt): the start-up tick is done.
    let ready = false;
    const seen = (text: string): void => {
      for (const line of text.split('\n')) if (ABORT.test(line) && r.aborts.length < 5) r.aborts.push(line.trim().slice(0, 200));
    };
    child.stdout.on('data', (d: Buffer) => {
      const text = d.toString();
      seen(text);
      out += text;
      if (text.includes(PROMPT)) ready = true;
      // An answer is the rendered view, a blank line and the prompt; a notification printed meanwhile ends
      // with one newline before the prompt.
      if (pending && out.includes(`\n\n${PROMPT}`)) {
        r.answered++;
        r.answerMs.push(performance.now() - pending.at);
        const first = out.split('\n').find((l) => l.trim() !== '' && !l.startsWith(PROMPT)) ?? '';
        if (/^\[CRITICAL\] Error|^Error/.test(first)) r.errorAnswers.push(`${pending.line}: ${first.slice(0, 120)}`);
        const sync = /Last sync #(\d+)/.exec(out);
        if (sync) r.lastSync = Number(sync[1]);
        pending = undefined;
        out = '';
      } else if (!pending) out = out.slice(-4096);
    });
    child.stderr.on('data', (d: Buffer) => {
      errBuf += d.toString();
      let nl: number;
      while ((nl = errBuf.indexOf('\n')) !== -1) {
        const line = errBuf.slice(0, nl);
        errBuf = errBuf.slice(nl + 1);
        seen(line);
        let rec: { level?: number; msg?: string; url?: string; component?: string };
        try {
          rec = JSON.parse(line) as typeof rec;
        } catch {
          continue;
        }
        if (rec.msg === 'tick finished') r.ticks++;
        else if (rec.msg === 'tick failed') r.ticksFailed++;
        else if (rec.msg?.startsWith('tick skipped')) r.ticksSkipped++;
        if (rec.msg === 'HTTP API listening' && rec.url) url = rec.url;
        if ((rec.level ?? 0) >= 50) r.errors++;
        else if ((rec.level ?? 0) >= 40) r.warnings++;
      }
    });
    const closed = new Promise<void>((resolve) =>
      child.on('close', (code, signal) => {
        r.code = code;
        r.signal = signal;
        resolve();
      }),
    );
    r.node = execFileSync(node, ['--version'], { encoding: 'utf8' }).trim();

    const t0 = performance.now();
    const end = t0 + opts.minutes * 60_000;
    let next = 0;
    let lastHttp = 0;
    let lastLog = t0;
    let exited = false;
    void closed.then(() => (exited = true));
    while (performance.now() < end && !exited) {
      await new Promise((res) => setTimeout(res, 250));
      const now = performance.now();
      const mem = child.pid !== undefined ? procMemory(child.pid) : undefined;
      if (mem && r.rssStart === undefined && r.ticks > 0) r.rssStart = mem.rss;
      if (mem) r.rssEnd = mem.rss;
      if (!pending && ready && now >= next) {
        const line = COMMANDS[r.sent % COMMANDS.length]!;
        out = '';
        pending = { line, at: now };
        r.sent++;
        child.stdin.write(`${line}\n`);
        next = now + opts.everySeconds * 1000;
      }
      if (url && now - lastHttp >= 10_000) {
        lastHttp = now;
        for (const path of ['/metrics', '/api/v1/system/status']) {
          const ok = await fetch(`${url}${path}`, { signal: AbortSignal.timeout(5000) }).then(
            async (res) => (await res.arrayBuffer(), res.ok),
            () => false,
          );
          if (ok) r.http.ok++;
          else r.http.failed++;
        }
      }
      if (now - lastLog >= 60_000) {
        lastLog = now;
        opts.log(`  ${((now - t0) / 60_000).toFixed(0)} min: ${r.ticks} ticks, ${r.answered}/${r.sent} commands answered, HTTP ${r.http.ok} ok / ${r.http.failed} failed, RSS ${mem ? (mem.rss / 2 ** 20).toFixed(0) : '?'} MB`);
      }
    }
    // The last command's answer, a last `/status` (the sync count at the end), then `exit` (the console
    // closes, the app stops, the store closes).
    const settle = async (): Promise<void> => {
      const until = performance.now() + 30_000;
      while (pending && !exited && performance.now() < until) await new Promise((res) => setTimeout(res, 100));
    };
    await settle();
    if (!exited) {
      out = '';
      pending = { line: '/status', at: performance.now() };
      r.sent++;
      child.stdin.write('/status\n');
      await settle();
    }
    child.stdin.end('exit\n');
    const guard = setTimeout(() => child.kill('SIGKILL'), 30_000);
    await closed;
    clearTimeout(guard);
    if (existsSync(usageFile)) {
      const last = JSON.parse(readFileSync(usageFile, 'utf8').trim().split('\n').pop() ?? '{}') as { maxRssKb?: number };
      if (last.maxRssKb) r.peakMb = last.maxRssKb / 1024;
    }
    return r;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const longRunSuite: BenchSuite = {
  key: 'node24-run',
  title: 'Node 24: the bot left running',
  optIn: true,
  async run(opts) {
    assertBuilt();
    const num = (name: string, dflt: number): number => {
      const v = Number(extraString(opts, name) ?? dflt);
      if (!(v > 0)) throw new Error(`--${name} must be a positive number`);
      return v;
    };
    const minutes = num('minutes', opts.quick ? 1 : 10);
    const tickSeconds = num('tick', 1);
    const everySeconds = num('every', 3);
    const node = nodeBinary(opts);
    opts.log(`  ${node}: ${minutes} min, ticks every ${tickSeconds} s, a command every ${everySeconds} s`);
    const r = await runBot(node, { minutes, tickSeconds, everySeconds, log: opts.log });
    const mb = (b: number | undefined): string => (b === undefined ? '—' : `${(b / 2 ** 20).toFixed(0)} MB`);
    const clean = r.aborts.length === 0 && r.code === 0 && r.signal === null;
    opts.log(`  ${r.node}: ${r.ticks} ticks, ${r.answered}/${r.sent} commands, exit ${r.code ?? r.signal}, aborts ${r.aborts.length}, peak RSS ${r.peakMb?.toFixed(0) ?? '?'} MB`);
    const flags = npmStartFlags();
    return [
      `The compiled bot (dist/, as \`npm start\` runs it: \`node ${flags.join(' ')} dist/src/main.js\`) on **Node ${r.node.replace(/^v/, '')}** (the Docker image's Node: SQLite through \`node:sqlite\`), on the example config (3 paper accounts, the scripted timeline raising alerts) with ${tickSeconds} s ticks and the HTTP server on 127.0.0.1, left running ${minutes} min: a command typed into its console every ${everySeconds} s (${COMMANDS.map((c) => `\`${c}\``).join(', ')} in turn), \`/metrics\` and \`/api/v1/system/status\` fetched every 10 s, then a last \`/status\` and \`exit\` typed. Its output (stdout and the JSON log on stderr, \`LOG_LEVEL=info\`) is searched for what a native abort prints (\`Assertion failed\`, \`SIGABRT\`, \`Segmentation fault\`, \`FATAL ERROR\`, \`core dumped\`). (The “Measured” line above names the Node of the bench runner, not of the bot.)`,
      '',
      markdownTable(
        ['', 'value'],
        [
          ['result', clean ? 'no abort ✅' : 'FAILED ❌'],
          ['ticks done (failed / skipped as overlapping)', `${r.ticks.toLocaleString('en-US')} (${r.ticksFailed} / ${r.ticksSkipped}); the last \`/status\`: sync #${r.lastSync ?? '—'} (the \`/sync\` commands add to the count)`],
          ['commands answered / typed', `${r.answered} / ${r.sent}${r.errorAnswers.length ? ` (${r.errorAnswers.length} answered with an error: ${r.errorAnswers.slice(0, 3).join('; ')})` : ', none an error'}`],
          ['answer time, median / max (typed → answer)', `${fmtMs(percentile(r.answerMs, 50))} / ${fmtMs(Math.max(...r.answerMs))} ms`],
          ['HTTP fetches ok / failed', `${r.http.ok} / ${r.http.failed}`],
          ['log lines at warn / error', `${r.warnings} / ${r.errors}`],
          ['exit', r.signal ? `signal ${r.signal}` : `code ${r.code}`],
          ['abort markers in the output', r.aborts.length ? r.aborts.map((a) => `\`${a}\``).join('; ') : 'none'],
          ['RSS after the first tick / at the end / peak', `${mb(r.rssStart)} / ${mb(r.rssEnd)} / ${r.peakMb === undefined ? '—' : `${r.peakMb.toFixed(0)} MB`}`],
        ],
        ['l', 'l'],
      ),
    ].join('\n');
  },
};
