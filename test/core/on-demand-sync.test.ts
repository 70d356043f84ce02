import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { Engine } from '../../src/core/engine.js';
import { syncNow } from '../../src/core/on-demand-sync.js';
import type { RiskReport } from '../../src/core/risk/types.js';
import type { Snapshot } from '../../src/core/types.js';
import { account, snapshot } from '../risk/fixtures.js';

const risk = (s: Snapshot): RiskReport => ({
  computedAt: s.takenAt,
  accounts: [],
  portfolio: { totalEquity: 0, totalAvailable: 0, totalUsed: 0, utilization: 0, totalUnrealizedPnl: 0, grossNotional: 0, leverage: 0, deltas: [], maxDrawdown: 0, var95: 0, riskLevel: 'low' },
});

/** An engine whose sync waits until the test releases it, so a tick can be caught in flight. */
function gatedEngine(): { engine: Engine; release(): void; syncs: () => number } {
  let open: () => void = () => undefined;
  let syncs = 0;
  let now = 1_000;
  const engine = new Engine({
    now: () => now,
    logger: pino({ level: 'silent' }),
    sync: async (_prev, seq) => {
      syncs++;
      await new Promise<void>((resolve) => (open = resolve));
      now += 40;
      return snapshot([account('a1', { equity: 1 }), { ...account('a2', { equity: 2 }, { status: 'failed' }), lastError: { code: 2001, message: 'venue timed out after 10s' } }], {}, { seq });
    },
    computeRisk: async (s) => risk(s),
    stages: [],
  });
  return { engine, release: () => open(), syncs: () => syncs };
}

describe('syncNow', () => {
  it('joins the tick in flight instead of starting a second one', async () => {
    const g = gatedEngine();
    const scheduled = g.engine.tick();
    const asked = syncNow(g.engine, ['A1', 'a2', 'nope']);
    await Promise.resolve();
    g.release();
    const [tick, r] = await Promise.all([scheduled, asked]);
    expect(g.syncs()).toBe(1);
    expect(tick.seq).toBe(1);
    // Accounts are matched case-insensitively; the tick took 40 ms of the engine's clock.
    expect(r).toEqual({ seq: 1, synced: ['a1'], failed: [{ account: 'a2', code: 2001, message: 'venue timed out after 10s' }], unknown: ['nope'], ms: 40 });
  });

  it('starts a tick when none runs, and reports every account when none is named', async () => {
    const g = gatedEngine();
    const asked = syncNow(g.engine);
    await Promise.resolve();
    g.release();
    expect(await asked).toMatchObject({ seq: 1, synced: ['a1'], failed: [{ account: 'a2' }], unknown: [] });
    expect(g.syncs()).toBe(1);
  });
});
