import { afterEach, describe, expect, it, vi } from 'vitest';
import { startScheduler, type Scheduler } from '../../src/app/scheduler.js';
import type { Clock } from '../../src/core/clock.js';
import { buildDailySummary } from '../../src/core/summary/build-summary.js';
import { createDailySummaryJob, summaryMarker } from '../../src/core/summary/daily-job.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { silentLogger } from '../alerts/fixtures.js';

const MIN = 60_000;
const H = 60 * MIN;
// node-cron runs on Date and timers: the injected clock must read the same (faked) time.
const dateClock: Clock = { now: () => Date.now() };

let store: SqliteStore | undefined;
let scheduler: Scheduler | undefined;
afterEach(async () => {
  await scheduler?.stop();
  await store?.close();
  vi.useRealTimers();
});

/**
 * The daily summary (09:00 UTC) through the real scheduler (node-cron) and job (marker + outbox) while
 * the wall clock jumps: it is stored once per day, whichever way the clock moves.
 */
describe('the daily summary when the wall clock jumps', () => {
  it('back 1 h across 09:00: not sent again; forward 2 h across the next 09:00: sent once', async () => {
    vi.useFakeTimers({ now: Date.parse('2026-03-02T08:59:00Z') });
    const s = SqliteStore.open(':memory:');
    store = s;
    const job = createDailySummaryJob({
      store: s,
      build: (now, at) => buildDailySummary({ metrics: s.metrics, alerts: s.alerts, accounts: [{ id: 'acc-1' }], symbols: [], symbolLimits: () => ({ tolerance: 0.05, maxDeviation: 0.1 }), targetUtilization: 0.75, tolerance: 0.1 }, now, at),
      sinks: ['discord'],
      timezone: 'UTC',
      clock: dateClock,
      logger: silentLogger,
    });
    const asked: string[] = [];
    scheduler = startScheduler({
      tickIntervalMs: H,
      tick: async () => undefined,
      summaryCron: '0 9 * * *',
      summaryTimezone: 'UTC',
      sendSummary: (at) => {
        asked.push(new Date(at).toISOString());
        return job(at);
      },
      marker: summaryMarker(s.kv),
      clock: dateClock,
      logger: silentLogger,
      tickAtStart: false,
    });
    await scheduler.ready;
    const stored = async (): Promise<string[]> => (await s.outbox.list({ kind: 'summary' })).map((r) => new Date((r.payload as { scheduledFor: number }).scheduledFor).toISOString());

    await vi.advanceTimersByTimeAsync(2 * MIN); // 09:01: today's summary
    expect(await stored()).toEqual(['2026-03-02T09:00:00.000Z']);
    vi.setSystemTime(Date.now() - H); // 08:01 again
    await vi.advanceTimersByTimeAsync(2 * H); // through "09:00" a second time
    expect(await stored()).toEqual(['2026-03-02T09:00:00.000Z']);

    vi.setSystemTime(Date.parse('2026-03-03T08:30:00Z'));
    vi.setSystemTime(Date.now() + 2 * H); // 10:30, over tomorrow's 09:00
    await vi.advanceTimersByTimeAsync(24 * H);
    expect(await stored()).toEqual(['2026-03-02T09:00:00.000Z', '2026-03-03T09:00:00.000Z', '2026-03-04T09:00:00.000Z']);
    expect(asked).toEqual(await stored());
  });
});
