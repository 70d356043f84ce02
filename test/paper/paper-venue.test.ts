import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { computeDeltas } from '../../src/core/risk/index.js';
import { syncAccounts } from '../../src/core/sync/sync-accounts.js';
import type { Snapshot } from '../../src/core/types.js';
import { accountRef, createAdapters } from '../../src/venues/registry.js';

async function run(configPath: string, ticks: number): Promise<Snapshot[]> {
  const cfg = loadConfig({}, configPath);
  let t = Date.UTC(2026, 0, 1);
  const adapters = await createAdapters(cfg, { now: () => t });
  const accounts = cfg.accounts.map((a) => ({ ...accountRef(a), label: a.label }));
  const out: Snapshot[] = [];
  let prev: Snapshot | undefined;
  for (let seq = 1; seq <= ticks; seq++) {
    t += 15_000;
    prev = await syncAccounts({ adapters, accounts, concurrency: 4, accountTimeoutMs: 1000, now: () => t }, prev, seq);
    out.push(prev);
  }
  return out;
}

describe('paper venue', () => {
  it('is deterministic: the same seed gives the same prices and balances', async () => {
    const a = await run('config/delta-ops.example.yaml', 12);
    const b = await run('config/delta-ops.example.yaml', 12);
    expect(a.map((s) => s.prices['BTC']?.mark)).toEqual(b.map((s) => s.prices['BTC']?.mark));
    expect(a.at(-1)?.accounts.map((x) => x.state?.balance.equity)).toEqual(b.at(-1)?.accounts.map((x) => x.state?.balance.equity));
    // The random walk moves the price.
    expect(new Set(a.map((s) => s.prices['BTC']?.mark)).size).toBeGreaterThan(1);
  });

  it('the shipped example drifts over tolerance within 5 minutes (20 ticks of 15 s)', async () => {
    const snaps = await run('config/delta-ops.example.yaml', 20);
    const deviation = (s: Snapshot, sym: string): number => computeDeltas(s, { targets: {} }).find((d) => d.symbol === sym)?.deviation ?? 0;
    // Hedged at start: BTC long 2.0 vs shorts 1.2 + 0.8; ETH short 30 vs longs 20 + 10.
    expect(deviation(snaps[0]!, 'BTC')).toBe(0);
    expect(deviation(snaps[0]!, 'ETH')).toBe(0);
    // Tick 8: desk-c BTC −0.8 → −0.64: net 0.16 / hedge 2.0 = 8 % > 5 %.
    const firstOver = snaps.findIndex((s) => deviation(s, 'BTC') > 0.05);
    expect(firstOver + 1).toBe(8);
    expect(deviation(snaps[7]!, 'BTC')).toBeCloseTo(0.08, 10);
    // Tick 16: desk-b ETH +2.5 → net 2.5 / hedge 32.5.
    expect(deviation(snaps[19]!, 'ETH')).toBeCloseTo(2.5 / 32.5, 10);
    expect(snaps[0]?.accounts).toHaveLength(3);
  });

  it('equity follows the marks and a size change keeps equity continuous', async () => {
    const snaps = await run('config/delta-ops.example.yaml', 9);
    for (const s of snaps) {
      for (const a of s.accounts) {
        const b = a.state!.balance;
        expect(b.available).toBeLessThanOrEqual(b.equity);
      }
    }
    const before = snaps[6]!.accounts.find((a) => a.id === 'desk-c')!.state!.balance.equity;
    const after = snaps[7]!.accounts.find((a) => a.id === 'desk-c')!.state!.balance.equity;
    // One tick of price moves only: far less than 1 % of equity.
    expect(Math.abs(after - before) / before).toBeLessThan(0.01);
  });
});
