/**
 * A paper book for the alert storm: `accounts` accounts that are quiet on the first tick and all go over
 * the utilization threshold at tick 2 (a scripted timeline event each), `critical` of them over the
 * critical one, and all clear from tick 3. Alerts notify at once (groupWait 0), so tick 2 makes every
 * alert due together, and tick 4 (the second clear tick) resolves them all.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const STORM_TICK = 2;
const EQUITY = 10_000;

export function stormConfig(opts: { accounts: number; critical: number }): Record<string, unknown> {
  const ids = Array.from({ length: opts.accounts }, (_, i) => `acct-${String(i + 1).padStart(4, '0')}`);
  return {
    store: { path: 'data/ignored.sqlite' },
    // The scheduler ticks once at start; the benchmark runs the storm tick itself, then the ticks a
    // running bot would (every 15 s) until everything is delivered.
    schedule: { tickInterval: '6h' },
    alerts: { groupWait: '0s' },
    sync: { concurrency: 64 },
    venues: {
      paper: {
        seed: 1,
        markets: { BTC: { price: 50_000 } },
        // 90 % used → WARN (> 85 %); 97 % → CRITICAL (> 95 %).
        timeline: ids.flatMap((account, i) => [
          { tick: STORM_TICK, account, available: i < opts.critical ? 300 : 1_000 },
          // All clear again: after 2 clear ticks every alert resolves, and the storm message is edited.
          { tick: STORM_TICK + 1, account, available: 5_000 },
        ]),
      },
    },
    accounts: ids.map((id) => ({ id, venue: 'paper', paper: { equity: EQUITY, available: 5_000 } })),
  };
}

/** Writes the config as YAML (JSON is YAML) into `dir`; returns its path. */
export function writeStormConfig(dir: string, opts: { accounts: number; critical: number }): string {
  const path = join(dir, 'storm.yaml');
  writeFileSync(path, JSON.stringify(stormConfig(opts), null, 1));
  return path;
}
