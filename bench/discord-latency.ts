/**
 * End-to-end slash-command latency through the loopback Discord fake: the real app (router, handler,
 * render, discord.js REST) against the transport floor, a bare discord.js client answering `/ping` with
 * "pong" on an identical fake in the same process. A second reference, the same bare client answering
 * with each command's prebuilt reply, splits the gap into "a bigger message costs the transport" and
 * "what delta-ops does". All samples are interleaved, so machine noise lands on every row alike.
 */
import { performance } from 'node:perf_hooks';
import type { InteractionReplyOptions } from 'discord.js';
import { renderView } from '../src/discord/render-view.js';
import { messageOptions } from '../src/discord/reply.js';
import { executeCommand } from '../src/present/execute.js';
import { ADMIN, user } from '../test/discord/bot-fixture.js';
import type { FakeDiscord, SlashCommandInput } from '../test/fakes/discord/index.js';
import { percentile, startAppOnFake, startPongOnFake, type AppOnFake } from './discord-harness.js';
import type { BenchSuite, SuiteOptions } from './framework.js';
import { markdownTable } from './report.js';

export const E2E_TARGET_RATIO = 1.3;

interface Case {
  label: string;
  name: string;
  subcommand?: string;
  options?: Record<string, string>;
  /** Asked by an admin (the answer is the same for members; admins are the ones who list alerts). */
  admin?: boolean;
}

const CASES: readonly Case[] = [
  { label: '/status', name: 'status' },
  { label: '/risk', name: 'risk' },
  { label: '/risk account:acc-3', name: 'risk', options: { account: 'acc-3' } },
  { label: '/delta plan symbol:BTC', name: 'delta', subcommand: 'plan', options: { symbol: 'BTC' } },
  { label: '/utilization', name: 'utilization' },
  { label: '/funding', name: 'funding' },
  { label: '/feeds', name: 'feeds' },
  { label: '/alerts list', name: 'alerts', subcommand: 'list', admin: true },
  { label: '/help', name: 'help' },
];

const MEMBER = user(1);

function slashInput(c: Case): SlashCommandInput {
  return { name: c.name, user: c.admin ? ADMIN : MEMBER, ...(c.subcommand ? { subcommand: c.subcommand } : {}), ...(c.options ? { options: c.options } : {}) };
}

interface Timing {
  /** Injection → the fake holds the interaction callback. */
  reply: number;
  /** Injection → the final message (the same as `reply` unless the router deferred). */
  final: number;
  deferred: boolean;
}

async function timeOne(fake: FakeDiscord, input: SlashCommandInput): Promise<Timing> {
  const t0 = performance.now();
  const h = fake.sendSlashCommand(input);
  const cb = await h.reply();
  const reply = performance.now() - t0;
  const out = await h.final();
  const final = performance.now() - t0;
  if (!out.message) throw new Error(`/${input.name}: no message`);
  return { reply, final, deferred: cb.type === 5 };
}

/** The reply the app gives for `c` now, as discord.js options (for the canned reference). */
async function prebuilt(bot: AppOnFake, c: Case): Promise<InteractionReplyOptions> {
  const command = bot.app.commands.find((x) => x.name === c.name);
  if (!command) throw new Error(`no command ${c.name}`);
  const asker = c.admin ? ADMIN : MEMBER;
  const view = await executeCommand(command, bot.app.ctx, { ...(c.subcommand ? { subcommand: c.subcommand } : {}), options: c.options ?? {}, actor: { id: asker.id, name: asker.username, source: 'bench', isAdmin: c.admin === true } }, bot.app.logger);
  return messageOptions(renderView(view));
}

export interface LatencyRow {
  label: string;
  p50: number;
  p99: number;
  finalP50: number;
  finalP99: number;
  deferred: number;
  /** The bare client sending this command's prebuilt reply. */
  cannedP50: number;
  /** final p50 / floor p50 (the target). */
  ratio: number;
}

export interface LatencyResult {
  runs: number;
  floor: { p50: number; p99: number };
  rows: LatencyRow[];
}

/** Runs every case `runs` times (after `warmup` untimed rounds), interleaved with the floor and the canned replies. */
export async function measureLatency(opts: { runs: number; warmup: number; log?: (line: string) => void }): Promise<LatencyResult> {
  const bot = await startAppOnFake();
  let floor: Awaited<ReturnType<typeof startPongOnFake>> | undefined;
  try {
    const canned = await Promise.all(CASES.map((c) => prebuilt(bot, c)));
    floor = await startPongOnFake(canned);
    const floorSamples: number[] = [];
    const cannedSamples = CASES.map((): number[] => []);
    const samples = CASES.map((): Timing[] => []);
    for (let round = 0; round < opts.warmup + opts.runs; round++) {
      const timed = round >= opts.warmup;
      const f = await timeOne(floor.fake, { name: 'ping', user: MEMBER });
      if (timed) floorSamples.push(f.final);
      for (const [i, c] of CASES.entries()) {
        const ref = await timeOne(floor.fake, { name: `canned-${i}`, user: MEMBER });
        const t = await timeOne(bot.fake, slashInput(c));
        if (timed) {
          cannedSamples[i]!.push(ref.final);
          samples[i]!.push(t);
        }
      }
      if (timed && (round - opts.warmup + 1) % 100 === 0) opts.log?.(`  e2e: ${round - opts.warmup + 1}/${opts.runs} rounds`);
    }
    const floorP50 = percentile(floorSamples, 50);
    return {
      runs: opts.runs,
      floor: { p50: floorP50, p99: percentile(floorSamples, 99) },
      rows: CASES.map((c, i) => {
        const s = samples[i]!;
        const reply = s.map((t) => t.reply);
        const final = s.map((t) => t.final);
        const finalP50 = percentile(final, 50);
        return {
          label: c.label,
          p50: percentile(reply, 50),
          p99: percentile(reply, 99),
          finalP50,
          finalP99: percentile(final, 99),
          deferred: s.filter((t) => t.deferred).length,
          cannedP50: percentile(cannedSamples[i]!, 50),
          ratio: finalP50 / floorP50,
        };
      }),
    };
  } finally {
    await bot.close();
    await floor?.close();
  }
}

const f2 = (v: number): string => v.toFixed(2);

export function latencyMarkdown(r: LatencyResult, notes: readonly string[]): string {
  const rows = [
    ['`/ping` → "pong" (floor: bare discord.js, no app)', '—', '—', f2(r.floor.p50), f2(r.floor.p99), '—', '—', '1.00×'],
    ...r.rows.map((x) => [
      `\`${x.label}\``,
      f2(x.p50),
      f2(x.p99),
      f2(x.finalP50),
      f2(x.finalP99),
      String(x.deferred),
      `${f2(x.cannedP50)} (${(x.cannedP50 / r.floor.p50).toFixed(2)}×)`,
      `**${x.ratio.toFixed(2)}×** ${x.ratio <= E2E_TARGET_RATIO ? '✅' : '❌'}`,
    ]),
  ];
  return [
    `Each command ${r.runs} times, interleaved with the floor and the references; milliseconds from injecting the interaction into the fake's gateway to the fake holding the reply callback ("reply"), and to the final message ("final": the same unless the router deferred). Target: final p50 ≤ ${E2E_TARGET_RATIO}× the floor p50. "Same reply, no app" is the bare client sending the command's prebuilt reply: the part of the gap that is the bigger message's transport (discord.js body building, JSON, the fake's parsing and validation), not delta-ops.`,
    '',
    markdownTable(['command', 'reply p50', 'reply p99', 'final p50', 'final p99', 'deferred', 'same reply, no app p50', 'final p50 / floor p50'], rows, ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'l']),
    '',
    ...notes.map((n) => `- ${n}`),
  ].join('\n');
}

const NOTES: readonly string[] = [
  'Setup: the real app (`createApp` + `startDiscord`, the production logger at info writing to /dev/null, SQLite in a temp dir) on `test/fixtures/discord-scenario.yaml` (3 paper accounts, 2 symbols; `COMMAND_COOLDOWN_MS=0`), connected to the loopback Discord fake (`test/fakes/discord`); the floor and the references are a bare discord.js 14 client on a second fake of the same kind in the same process. Every row pays the same gateway dispatch, discord.js interaction parsing, REST callback and fake-side recording; the difference between a command row and its reference is what delta-ops does in between (router, gate, handler, render).',
  'Fixed after profiling (`node --cpu-prof`, `bench/discord-standalone.ts`): `usd()`/`price()` built an Intl.NumberFormat on every call (13 % of all CPU; now one formatter per digit count, same output); `/alerts list` re-prepared its SQL on every call (better-sqlite3 is built with SQLITE_ENABLE_STAT4, and a bound `LIMIT ?` makes SQLite re-prepare the statement at each execution: 15-150 µs; the limit is now written into the SQL and the alert and silence stores keep their prepared statements) and read every active alert to find the stale accounts (now only the active `sync` alerts); the router built a pino child logger per interaction before anything was logged (now on first use); table widths spread every cell into an array; mention neutralising ran two regex passes over text without `@` or `<`. Together, from the first runs of this benchmark to these: /status 1.87× → ~1.4×, /utilization 1.85× → ~1.4×, /alerts list 1.91× → ~1.7×, /delta plan 1.70× → ~1.6×, /risk 1.58× → ~1.35×.',
  'What limits it: the floor is a loopback round trip with both ends in one process (~0.5 ms), so every 0.1 ms of work is 0.2×. What is left in delta-ops\' path, per command and on an idle machine: the handler (5-50 µs: /alerts list reads and decorates rows from SQLite, /delta plan does exact decimal lot arithmetic), the render into embeds (15-40 µs: escaping every string, aligning tables), the pino child `executeCommand` binds for its log lines (~10 µs, most of it the redaction of the bindings), and the promise/timer race that decides whether to defer (a few µs). The "same reply, no app" column shows that the bigger messages themselves cost the transport little (1.0-1.2× the floor). Against Discord, where a round trip is 50-150 ms, the same work is well under 1 %. On this shared 2-core machine (load 3-5 while the benchmark ran) the figures move by ±0.1× between runs.',
];

export const discordLatencySuite: BenchSuite = {
  key: 'discord-latency',
  title: 'Discord: end-to-end slash-command latency',
  async run(opts: SuiteOptions): Promise<string> {
    const runs = opts.repeats ?? (opts.quick ? 30 : 300);
    const warmup = opts.warmup ?? (opts.quick ? 5 : 30);
    const r = await measureLatency({ runs, warmup, log: opts.log });
    opts.log(`  floor p50 ${f2(r.floor.p50)} ms; ${r.rows.map((x) => `${x.label} ${f2(x.finalP50)} (${x.ratio.toFixed(2)}×, same reply without the app ${f2(x.cannedP50)})`).join('; ')}`);
    return latencyMarkdown(r, NOTES);
  },
};
