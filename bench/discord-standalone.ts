/**
 * Runs one of the transport suites on its own and prints its section (no BENCHMARKS.md write):
 * `npx tsx bench/discord-standalone.ts <discord-latency|storm|ccxt-sync> [--quick] [--repeats N] [--warmup N] [--filter TEXT]`.
 * `npm run bench -- --only <key>` is the normal way; this is for profiling (`node --cpu-prof --import tsx …`).
 */
import { parseArgs } from 'node:util';
import { ccxtSyncSuite } from './ccxt-sync.js';
import { discordLatencySuite } from './discord-latency.js';
import { machineInfo, type BenchSuite } from './framework.js';
import { stormSuite } from './storm.js';

const SUITES: readonly BenchSuite[] = [discordLatencySuite, stormSuite, ccxtSyncSuite];

const { values, positionals } = parseArgs({
  allowPositionals: true,
  strict: false,
  options: { quick: { type: 'boolean', default: false }, repeats: { type: 'string' }, warmup: { type: 'string' }, filter: { type: 'string' } },
});
const suite = SUITES.find((s) => s.key === positionals[0]);
if (!suite) throw new Error(`usage: discord-standalone.ts <${SUITES.map((s) => s.key).join('|')}>`);
const body = await suite.run({
  machine: machineInfo(),
  quick: values.quick === true,
  ...(typeof values.repeats === 'string' ? { repeats: Number(values.repeats) } : {}),
  ...(typeof values.warmup === 'string' ? { warmup: Number(values.warmup) } : {}),
  ...(typeof values.filter === 'string' ? { filter: values.filter } : {}),
  extra: values,
  log: (line) => void process.stdout.write(`${line}\n`),
});
process.stdout.write(`\n## ${suite.title}\n\n${body}\n`);
