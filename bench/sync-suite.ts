import { startFakeVenues } from './fake-venues.js';
import { floorBenchmark } from './floor-benchmark.js';
import { extraString, runBenchmark, type Benchmark, type BenchSuite, type Result } from './framework.js';
import { consoleTable, descriptionList, resultsTable } from './report.js';
import { syncBenchmark } from './sync-benchmark.js';

const ACCOUNTS = 200;
const LATENCY_MS = 20;

/** What limits the sync figures; written under the table. */
const NOTES = [
  'The configured default is `sync.concurrency: 16`, so sync-200-c16 is the row the 1.2× target applies to; the other rows show how the ratio moves with concurrency.',
  'The ideal assumes zero CPU. The floor rows send the very same requests with nothing of delta-ops in the path, so the gap between a sync row and its floor row is what delta-ops adds (per request: zod parsing and mapping, abort signals, rate limiter and breaker bookkeeping; the largest items in a `node --cpu-prof` of sync-200-c50). Most of the distance to the ideal is the floor itself: the fakes sign-check and render every account on the same small machine, timers fire late, and the C answers of one round arrive within the same millisecond and are processed one after another, so the ratio grows with C. Real venues answer with jitter, which spreads that work out.',
  'Each account\'s sync sends two or three requests at once. A venue pool smaller than 3 × sync.concurrency makes them queue: the `pool 8` row (the former default pool under the default concurrency) takes about twice the ideal. The venue pool now defaults to 3 × sync.concurrency (at least 8, at most 256) unless `venues.<id>.concurrency` is set.',
];

/**
 * Venue sync against loopback fakes answering after 20 ms, against the ideal and the bare-transport
 * floor. Own option: `--concurrency 8,16,32,50`.
 */
export const syncSuite: BenchSuite = {
  key: 'sync',
  title: 'Venue sync',
  async run(opts) {
    const repeats = opts.repeats ?? (opts.quick ? 3 : 7);
    const warmup = opts.warmup ?? (opts.quick ? 1 : 3);
    const levels = (extraString(opts, 'concurrency') ?? (opts.quick ? '16' : '8,16,32,50')).split(',').map(Number).filter((n) => Number.isInteger(n) && n > 0);
    const fakes = await startFakeVenues({ binance: ACCOUNTS / 2, pacifica: ACCOUNTS / 2, latencyMs: LATENCY_MS });
    const results: Result[] = [];
    try {
      const all: Benchmark[] = [
        ...levels.flatMap((c) => [
          syncBenchmark({ accounts: ACCOUNTS, concurrency: c, latencyMs: LATENCY_MS, fakes }),
          floorBenchmark({ accounts: ACCOUNTS, concurrency: c, latencyMs: LATENCY_MS, fakes }),
        ]),
        // The former default venue pool (8 sockets) under the default sync concurrency (16): what an undersized pool costs.
        syncBenchmark({ accounts: ACCOUNTS, concurrency: 16, latencyMs: LATENCY_MS, pool: 8, fakes }),
      ];
      for (const b of all.filter((x) => !opts.filter || x.name.includes(opts.filter))) {
        opts.log(b.name);
        results.push(await runBenchmark(b, { repeats, warmup, log: opts.log }));
      }
    } finally {
      await fakes.stop();
    }
    opts.log(`\n${consoleTable(results)}`);
    return [
      `Each benchmark: ${warmup} warm-up run${warmup === 1 ? '' : 's'}, then ${repeats} timed runs; the median is reported.`,
      '',
      resultsTable(results),
      '',
      '### What is measured',
      '',
      descriptionList(results),
      '',
      '### What limits it',
      '',
      ...NOTES.map((n) => `- ${n}`),
    ].join('\n');
  },
};
