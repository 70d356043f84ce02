/**
 * `npm run bench`: runs every benchmark suite (except opt-in ones) and writes each suite's section of
 * BENCHMARKS.md between its `<!-- bench:<key>:start -->` / `<!-- bench:<key>:end -->` markers, with the
 * machine, Node and date. Options: --only KEY[,KEY] (suites; opt-in suites run only this way),
 * --filter TEXT (benchmark names within a suite), --repeats N, --warmup N, --quick (smaller sizes; a
 * smoke run, nothing is written unless --out is given), --out FILE, --no-write, --list; suites read their
 * own options (e.g. --concurrency 8,16 for sync).
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { machineInfo, type BenchSuite } from './framework.js';
import { orderSections, suiteSection, updateBenchmarksFile } from './report.js';
import { handlersSuite } from './handlers-suite.js';
import { soakSuite } from './soak-suite.js';
import { startupSuite } from './startup-suite.js';
import { syncSuite } from './sync-suite.js';
import { tickSuite } from './tick-suite.js';
import { discordLatencySuite } from './discord-latency.js';
import { stormSuite } from './storm.js';
import { ccxtSyncSuite } from './ccxt-sync.js';
import { httpSuite } from './http-suite.js';
import { storeSuite } from './store-suite.js';
import { failoverSuite } from './failover-suite.js';
import { longRunSuite } from './long-run-suite.js';

/** Every suite, in BENCHMARKS.md order. Adding a suite is one line here. */
const SUITES: BenchSuite[] = [syncSuite, handlersSuite, tickSuite, discordLatencySuite, httpSuite, stormSuite, ccxtSyncSuite, startupSuite, soakSuite, longRunSuite, storeSuite, failoverSuite];

async function main(): Promise<number> {
  const { values } = parseArgs({
    strict: false,
    options: {
      only: { type: 'string' },
      filter: { type: 'string' },
      repeats: { type: 'string' },
      warmup: { type: 'string' },
      quick: { type: 'boolean', default: false },
      out: { type: 'string' },
      'no-write': { type: 'boolean', default: false },
      list: { type: 'boolean', default: false },
    },
  });
  const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
  const log = (line: string): void => void process.stdout.write(`${line}\n`);
  if (values.list) {
    for (const s of SUITES) log(`${s.key.padEnd(16)} ${s.title}${s.optIn ? ' (opt-in: --only)' : ''}`);
    return 0;
  }
  const only = str(values.only)?.split(',').map((k) => k.trim()).filter(Boolean);
  const unknown = only?.filter((k) => !SUITES.some((s) => s.key === k)) ?? [];
  if (unknown.length) throw new Error(`unknown suite ${unknown.join(', ')}; known: ${SUITES.map((s) => s.key).join(', ')}`);
  const chosen = SUITES.filter((s) => (only ? only.includes(s.key) : !s.optIn));
  const quick = values.quick === true;
  const out = str(values.out) ?? (quick ? undefined : join(import.meta.dirname, '..', 'BENCHMARKS.md'));
  const write = values['no-write'] !== true && out !== undefined;
  const num = (v: unknown): number | undefined => (str(v) !== undefined ? Math.max(0, Number(v)) : undefined);
  const known = new Set(['only', 'filter', 'repeats', 'warmup', 'quick', 'out', 'no-write', 'list']);
  const extra = Object.fromEntries(Object.entries(values).filter(([k]) => !known.has(k)));

  for (const suite of chosen) {
    const machine = machineInfo();
    log(`\n== ${suite.key}: ${suite.title}`);
    const t0 = Date.now();
    const repeats = num(values.repeats);
    const warmup = num(values.warmup);
    const filter = str(values.filter);
    const body = await suite.run({ machine, quick, extra, log, ...(repeats !== undefined ? { repeats: Math.max(1, repeats) } : {}), ...(warmup !== undefined ? { warmup } : {}), ...(filter ? { filter } : {}) });
    log(`${suite.key} took ${((Date.now() - t0) / 1000).toFixed(1)} s (${machine.cpu}, ${machine.cores} cores, Node ${machine.node}, ${machine.date})`);
    if (write && out) {
      updateBenchmarksFile(out, suite.key, suiteSection(suite.title, machine, body));
      log(`wrote the ${suite.key} section of ${out}`);
    }
  }
  if (write && out) orderSections(out, SUITES.map((s) => s.key));
  // Targets are shown, not enforced: wall times on a shared machine are too noisy to fail a build on.
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`bench: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 2;
  },
);
