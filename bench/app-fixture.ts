import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { createApp, type App } from '../src/app/app.js';
import { loadConfig, type AppConfig } from '../src/config/load-config.js';
import { FakeClock } from '../src/core/clock.js';
import type { TickResult } from '../src/core/engine.js';
import type { Store } from '../src/core/ports/store.js';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.js';

/** Twenty paper markets; the first ones carry the names people type (BTC, ETH …). */
export const BENCH_SYMBOLS = ['BTC', 'ETH', 'SOL', 'BNB', 'XRP', 'DOGE', 'ADA', 'AVAX', 'LINK', 'DOT', 'MATIC', 'LTC', 'TRX', 'ATOM', 'NEAR', 'APT', 'ARB', 'OP', 'SUI', 'INJ'] as const;

export const BENCH_START = Date.UTC(2026, 0, 5, 0, 0, 0);
export const TICK_MS = 15_000;

/**
 * A paper book of `accounts` accounts over 20 symbols, shaped like a delta-neutral desk: accounts come
 * in pairs holding opposite legs of two symbols (long A / short B against short A / long B), with a
 * small imbalance on a few symbols and a few accounts near their utilization and liquidation
 * thresholds, so some alerts fire as they would on a real book. Deterministic (no randomness here;
 * prices walk from the paper venue's seed).
 */
export function benchConfigFile(accounts: number): Record<string, unknown> {
  const markets: Record<string, unknown> = {};
  BENCH_SYMBOLS.forEach((s, i) => {
    markets[s] = { price: 10 * (i + 1) ** 3, lotSize: 0.001, tickSize: 0.001, minNotional: 10, volatility: 0.0005 };
  });
  const price = (i: number): number => 10 * (i + 1) ** 3;
  const list = Array.from({ length: accounts }, (_, i) => {
    const pair = Math.floor(i / 2);
    const side = i % 2 === 0 ? 1 : -1;
    const a = pair % BENCH_SYMBOLS.length;
    const b = (pair + 7) % BENCH_SYMBOLS.length;
    const equity = 20_000 + (i % 17) * 5_000;
    // One account in 50 runs hot (utilization 0.9: WARN), the rest between 0.4 and 0.7.
    const utilization = i % 50 === 7 ? 0.9 : 0.4 + (i % 7) * 0.05;
    const notional = equity * 1.5;
    // Symbol a of every 40th pair is slightly unbalanced, so a few symbols carry a deviation.
    const skew = pair % 40 === 3 && side < 0 ? 0.93 : 1;
    const sizeA = (side * skew * notional) / price(a);
    const sizeB = (-side * notional) / price(b);
    const posA: Record<string, number> = { size: Number(sizeA.toFixed(6)) };
    if (i % 10 === 0) posA['liquidationPrice'] = price(a) * (side > 0 ? 0.7 : 1.3);
    return {
      id: `acct-${i}`,
      venue: 'paper',
      label: `Account ${i}`,
      paper: { equity, available: equity * (1 - utilization), positions: { [BENCH_SYMBOLS[a]!]: posA, [BENCH_SYMBOLS[b]!]: { size: Number(sizeB.toFixed(6)) } } },
    };
  });
  const symbols: Record<string, unknown> = {};
  for (const s of BENCH_SYMBOLS) symbols[s] = { target: 0, tolerance: 0.05, maxDeviation: 0.1, maxPositionSize: 1e9 };
  return {
    store: { rawRetention: '48h', downsampledRetention: '90d' },
    schedule: { tickInterval: '15s' },
    sync: { concurrency: 16, accountTimeout: '10s' },
    venues: { paper: { seed: 7, markets } },
    accounts: list,
    symbols,
  };
}

export interface BenchApp {
  app: App;
  clock: FakeClock;
  config: AppConfig;
  dir: string;
  dbPath: string;
  /** Advances the clock one tick interval and runs a tick. */
  tick(): Promise<TickResult>;
  /** Stops the app and deletes its files (unless `keep`). */
  close(opts?: { keep?: boolean }): Promise<void>;
}

/** Writes the config of `accounts` accounts (JSON is YAML) and its database path into a temp dir. */
export function writeBenchConfig(accounts: number, dir = mkdtempSync(join(tmpdir(), 'delta-ops-bench-'))): { dir: string; file: string; dbPath: string } {
  const file = join(dir, `bench-${accounts}.yaml`);
  writeFileSync(file, JSON.stringify(benchConfigFile(accounts)));
  return { dir, file, dbPath: join(dir, 'bench.sqlite') };
}

/** Opens the store a bench app runs on, from the app's config (the SQLite path is `config.store.path`). */
export type BenchStoreFactory = (config: AppConfig) => Promise<Store>;

/** The default: the config's SQLite file (a temp file in the bench dir). */
export const sqliteStoreFactory: BenchStoreFactory = async (config) => SqliteStore.open(config.store.path);

/**
 * The real app (createApp) over the generated paper book and a fake clock, on the store `opts.store`
 * opens (default: a temp SQLite file).
 */
export async function createBenchApp(accounts: number, opts: { dir?: string; start?: number; store?: BenchStoreFactory } = {}): Promise<BenchApp> {
  const { dir, file, dbPath } = writeBenchConfig(accounts, opts.dir);
  const config = loadConfig({ DELTA_OPS_DB: dbPath }, file);
  const clock = new FakeClock(opts.start ?? BENCH_START);
  const store = await (opts.store ?? sqliteStoreFactory)(config);
  let app: App;
  try {
    app = await createApp(config, { clock, logger: pino({ level: 'silent' }), store, sinkNames: ['bench'] });
  } catch (err) {
    await store.close();
    throw err;
  }
  return {
    app,
    clock,
    config,
    dir,
    dbPath,
    async tick() {
      clock.advance(TICK_MS);
      return app.engine.tick();
    },
    async close(o = {}) {
      await app.stop();
      if (!o.keep) rmSync(dir, { recursive: true, force: true });
    },
  };
}
