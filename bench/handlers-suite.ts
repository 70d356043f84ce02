import { performance } from 'node:perf_hooks';
import { executeCommand } from '../src/present/execute.js';
import type { CommandInput } from '../src/present/command.js';
import type { View } from '../src/present/view.js';
import { renderView } from '../src/discord/render-view.js';
import type { App } from '../src/app/app.js';
import { createBenchApp, TICK_MS } from './app-fixture.js';
import { seedDeskReads } from './desk-seed.js';
import type { BenchSuite } from './framework.js';
import { markdownTable } from './report.js';
import { fmtMs, percentile } from './stats.js';

const ACTOR = { id: 'bench', name: 'bench', source: 'console', isAdmin: true };

export interface HandlerCase {
  label: string;
  command: string;
  subcommand?: string;
  options?: CommandInput['options'];
}

/** Every read command, as a user would type it. */
export const HANDLER_CASES: readonly HandlerCase[] = [
  { label: '/status', command: 'status' },
  { label: '/risk', command: 'risk' },
  { label: '/risk account:acct-7', command: 'risk', options: { account: 'acct-7' } },
  { label: '/alerts list', command: 'alerts', subcommand: 'list' },
  { label: '/delta plan symbol:BTC', command: 'delta', subcommand: 'plan', options: { symbol: 'BTC' } },
  { label: '/utilization', command: 'utilization' },
  { label: '/funding', command: 'funding' },
  { label: '/feeds', command: 'feeds' },
  { label: '/help', command: 'help' },
  { label: '/positions', command: 'positions' },
  { label: '/positions account:acct-7', command: 'positions', options: { account: 'acct-7' } },
  { label: '/history account:acct-7', command: 'history', options: { account: 'acct-7' } },
  { label: '/history', command: 'history' },
  { label: '/audit', command: 'audit' },
];

/**
 * `/history` and `/audit` again after a day of history and 200 audit entries are written (seedDeskReads):
 * held to the target like the rows above. `/sync`, a whole tick by design (it joins or runs one), is
 * timed here and reported apart from the target.
 */
const DAY_CASES: readonly HandlerCase[] = [
  { label: '/history account:acct-7 (a day of samples)', command: 'history', options: { account: 'acct-7' } },
  { label: '/history (a day of samples)', command: 'history' },
  { label: '/history metric:deviation (a day, 20 symbols)', command: 'history', options: { metric: 'deviation' } },
  { label: '/audit (200 entries)', command: 'audit' },
];
const SYNC_CASE: HandlerCase = { label: '/sync', command: 'sync' };

const NOTES = [
  'Handlers read the engine\'s latest snapshot and risk report (never a venue, never the metrics history), so most commands cost microseconds at any size: `/risk account:…`, `/help`, `/feeds` and `/alerts list` do not depend on the number of accounts, `/delta plan` and `/funding` depend on the holders of the symbols asked about.',
  '`/status`, `/risk` (portfolio) and `/utilization` build a row per account (status table, per-account risk, the rebalance plan over every account), so they grow linearly: 2–6 ms p99 at 1,000 accounts, 20–70 ms at 10,000. Discord never shows 10,000 rows: `renderView` pages the table into embeds and puts the rest in a text attachment, and at 10,000 accounts that render costs as much as the handler (the table text is built whole before it is split). A summary-first view with the full table only as an attachment is the next step if 10,000-account desks appear.',
  '`/positions` builds a row per position (two per account here) and sorts them by |notional|; the message lists the 20 largest, formatted by the handler, and the whole book goes into an attached file whose 2,000 rows are formatted when the transport reads them (`renderView`: their cost is in the render table above). `/history` reads five series (an account\'s or the portfolio\'s), or one per symbol with `metric:deviation`, each thinned (`rangeSampled`) to the last sample of each of 500 equal slices of the window, the chart\'s points, whose runs of 5 give the table\'s 100 rows (100 slices each when 20 symbols share one chart panel). The first read of a series is the store\'s: an index seek per slice and a count of at most 501 rows (~0.7 ms a series with 500 slices on SQLite, whatever the number of accounts), while the whole window is read in the background; from then on the leader\'s read model (src/store/read-model) holds the series, follows every append, and thins it in memory (a binary search and a pass over the window\'s points). The timed runs here are of that second kind; the store suite shows both. The plain rows have the three warm-up ticks of samples; the "a day of samples" rows read 24 h of 15-s ticks (5,760 per series, written before them). `/audit` reads the newest 25 entries.',
  '`/sync` runs a tick (or joins the one running): its time is the tick\'s (see Tick cost), so it is not held to the handler target; Discord is told to wait (deferred) before it starts.',
  'p99 includes garbage-collection pauses of the bench process (the app runs in the same process between measurements) and the noise of a shared 2-core machine; p50 is the handler\'s own cost.',
];

const CASES = [...HANDLER_CASES, ...DAY_CASES, SYNC_CASE];

/**
 * One command of `app` as a timed call through `executeCommand` (the path every transport takes), with
 * the View it returned; throws at once when the command does not exist.
 */
export function handlerRunner(app: App, c: HandlerCase): () => Promise<{ view: View; ms: number }> {
  const command = app.commands.find((x) => x.name === c.command);
  if (!command) throw new Error(`no command ${c.command}`);
  const input: CommandInput = { ...(c.subcommand ? { subcommand: c.subcommand } : {}), options: c.options ?? {}, actor: ACTOR };
  return async () => {
    // Each run starts on a turn of the event loop of its own, as an interaction arriving from Discord
    // does: what the previous run left for later (the read model's loads, timers) gets its turn first.
    await new Promise<void>((resolve) => setImmediate(resolve));
    const t0 = performance.now();
    const view = await executeCommand(command, app.ctx, input, app.logger, app.onRefused);
    return { view, ms: performance.now() - t0 };
  };
}

interface Timing {
  handler: number[];
  render: number[];
}

/**
 * Handler latency of every command at 100, 1,000 and 10,000 accounts: the real app over the paper book
 * (bench/app-fixture.ts), after warm-up ticks so a snapshot, a risk report and alerts exist; each
 * command runs through `executeCommand` (the path every transport takes), and the View it returns is
 * then rendered to a Discord message (`renderView`) and timed apart.
 */
export const handlersSuite: BenchSuite = {
  key: 'handlers',
  title: 'Command handlers',
  async run(opts) {
    const sizes = opts.quick ? [100, 1_000] : [100, 1_000, 10_000];
    const results = new Map<number, Map<string, Timing>>();
    for (const n of sizes) {
      const bench = await createBenchApp(n);
      const { app } = bench;
      try {
        // groupWait is 30 s: three 15 s ticks leave the alerts firing, as in a running bot.
        for (let i = 0; i < 3; i++) await bench.tick();
        const byCase = new Map<string, Timing>();
        for (const c of CASES) {
          if (c === DAY_CASES[0]) {
            const seeded = await seedDeskReads(app, bench.clock.now() - 3 * TICK_MS, { account: 'acct-7', auditRows: 200 });
            opts.log(`  ${n} accounts: seeded ${seeded.samples.toLocaleString('en-US')} history samples and 200 audit entries`);
          }
          const run = handlerRunner(app, c);
          const first = await run();
          if (first.view.title.startsWith('Error')) throw new Error(`${c.label} at ${n} accounts answered ${first.view.title}: ${first.view.lines?.join(' ')}`);
          // Iterations: at least 50, about 1.5 s per command and size, at most 2,000.
          const budgetMs = opts.quick ? 300 : 1_500;
          const timing: Timing = { handler: [], render: [] };
          const started = performance.now();
          for (let i = 0; i < 10; i++) await run();
          while (timing.handler.length < 2_000 && (timing.handler.length < 50 || performance.now() - started < budgetMs)) {
            const { view, ms } = await run();
            timing.handler.push(ms);
            const t0 = performance.now();
            renderView(view);
            timing.render.push(performance.now() - t0);
          }
          byCase.set(c.label, timing);
          opts.log(`  ${n} accounts ${c.label}: p50 ${fmtMs(percentile(timing.handler, 50))} ms, p99 ${fmtMs(percentile(timing.handler, 99))} ms (${timing.handler.length} runs); render p50 ${fmtMs(percentile(timing.render, 50))} ms`);
        }
        results.set(n, byCase);
      } finally {
        await bench.close();
      }
    }
    const head = ['command', ...sizes.flatMap((n) => [`p50 @ ${n.toLocaleString('en-US')}`, `p99 @ ${n.toLocaleString('en-US')}`])];
    const table = (pick: (t: Timing) => number[]): string =>
      markdownTable(
        head,
        CASES.map((c) => [`\`${c.label}\``, ...sizes.flatMap((n) => {
          const t = results.get(n)?.get(c.label);
          return t ? [fmtMs(percentile(pick(t), 50)), fmtMs(percentile(pick(t), 99))] : ['—', '—'];
        })]),
      );
    const at1k = results.get(1_000);
    const worst1k = at1k ? Math.max(...[...HANDLER_CASES, ...DAY_CASES].map((c) => at1k.get(c.label)).map((t) => (t ? percentile(t.handler, 99) : NaN))) : NaN;
    return [
      'Handler time in ms (`executeCommand`: the admin gate, the core query and the View), p50 and p99 over the runs, by number of accounts.',
      '',
      table((t) => t.handler),
      '',
      `Target: handler p99 < 10 ms at 1,000 accounts — worst command ${fmtMs(worst1k)} ms ${worst1k < 10 ? '✅' : '❌'} (every row but \`/sync\`, which is a tick).`,
      '',
      'The same Views rendered to a Discord message (`renderView`: limits, paging, attachments), ms:',
      '',
      table((t) => t.render),
      '',
      '### What limits it',
      '',
      ...NOTES.map((n) => `- ${n}`),
    ].join('\n');
  },
};
