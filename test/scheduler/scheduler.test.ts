import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { intervalToCron, nextOccurrence, previousOccurrence } from '../../src/app/scheduler-cron.js';
import { startScheduler, type Scheduler, type SchedulerOptions } from '../../src/app/scheduler.js';
import type { Clock } from '../../src/core/clock.js';
import { buildDailySummary } from '../../src/core/summary/build-summary.js';
import { createDailySummaryJob, summaryMarker } from '../../src/core/summary/daily-job.js';
import { localTime } from '../../src/present/summary-view.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { recordingLogger, silentLogger } from '../alerts/fixtures.js';

const H = 3_600_000;
const DAY = 24 * H;
const BERLIN = 'Europe/Berlin';
const iso = (ms: number) => new Date(ms).toISOString();

// node-cron reads Date and setTimeout; the injected clock must read the same (faked) time.
const dateClock: Clock = { now: () => Date.now() };

let store: SqliteStore;
let scheduler: Scheduler | undefined;
beforeEach(() => {
  store = SqliteStore.open(':memory:');
});
afterEach(async () => {
  await scheduler?.stop();
  scheduler = undefined;
  await store.close();
  vi.useRealTimers();
});

/** A scheduler whose summaries go through the real job into the outbox; `sent` records each call. */
function start(over: Partial<SchedulerOptions> = {}) {
  const sent: { scheduledFor: number; at: number }[] = [];
  const job = createDailySummaryJob({
    store,
    build: (now, at) => buildDailySummary({ metrics: store.metrics, alerts: store.alerts, accounts: [{ id: 'acc-1' }], symbols: [], symbolLimits: () => ({ tolerance: 0.05, maxDeviation: 0.1 }), targetUtilization: 0.75, tolerance: 0.1 }, now, at),
    sinks: ['discord'],
    timezone: BERLIN,
    clock: dateClock,
    logger: silentLogger,
  });
  let ticks = 0;
  scheduler = startScheduler({
    tickIntervalMs: H,
    tick: async () => void ticks++,
    summaryCron: '0 9 * * *',
    summaryTimezone: BERLIN,
    sendSummary: async (scheduledFor) => {
      sent.push({ scheduledFor, at: Date.now() });
      return job(scheduledFor);
    },
    marker: summaryMarker(store.kv),
    clock: dateClock,
    logger: silentLogger,
    ...over,
  });
  return { sent, ticks: () => ticks, stored: async () => (await store.outbox.list({ kind: 'summary' })).length };
}

describe('cron helpers', () => {
  test('previous and next 09:00 in Berlin across both DST changes of 2026', () => {
    expect(iso(previousOccurrence('0 9 * * *', BERLIN, Date.parse('2026-03-29T07:00:00Z'))!)).toBe('2026-03-29T07:00:00.000Z');
    expect(iso(previousOccurrence('0 9 * * *', BERLIN, Date.parse('2026-03-29T06:59:59Z'))!)).toBe('2026-03-28T08:00:00.000Z');
    expect(iso(nextOccurrence('0 9 * * *', BERLIN, Date.parse('2026-10-24T12:00:00Z'))!)).toBe('2026-10-25T08:00:00.000Z');
    expect(previousOccurrence('not a cron', 'UTC', 0)).toBeUndefined();
  });

  test('tick intervals as cron steps; the ones cron cannot express are undefined', () => {
    expect([1000, 15_000, 60_000, 300_000, H, 6 * H, DAY].map(intervalToCron)).toEqual([
      '* * * * * *', '*/15 * * * * *', '0 * * * * *', '0 */5 * * * *', '0 0 * * * *', '0 0 */6 * * *', '0 0 0 * * *',
    ]);
    expect([45_000, 7 * 60_000, 1500, 500].map(intervalToCron)).toEqual([undefined, undefined, undefined, undefined]);
  });

  test('a bad cron or time zone is refused at start with the setting named', () => {
    expect(() => start({ summaryCron: '61 9 * * *' })).toThrow('schedule.dailySummary: invalid cron expression "61 9 * * *"');
    expect(() => start({ summaryTimezone: 'Mars/Olympus' })).toThrow('schedule.dailySummary: unknown time zone "Mars/Olympus"');
  });
});

describe('daily summary', () => {
  test('fires at 09:00 Berlin every day across the spring DST change (08:00Z, then 07:00Z), once a day', async () => {
    vi.useFakeTimers({ now: Date.parse('2026-03-27T12:00:00Z') });
    const s = start();
    await scheduler?.ready;
    expect(s.sent).toEqual([]); // first start: nothing was missed, the marker is only initialised
    await vi.advanceTimersByTimeAsync(5 * DAY);
    expect(s.sent.map((x) => iso(x.at))).toEqual([
      '2026-03-28T08:00:00.000Z', '2026-03-29T07:00:00.000Z', '2026-03-30T07:00:00.000Z', '2026-03-31T07:00:00.000Z', '2026-04-01T07:00:00.000Z',
    ]);
    expect(s.sent.every((x) => x.scheduledFor === x.at && localTime(x.at, BERLIN).includes(' 09:00 '))).toBe(true);
    expect(await s.stored()).toBe(5);
    expect(await summaryMarker(store.kv).get()).toBe(Date.parse('2026-04-01T07:00:00Z'));
    expect(s.ticks()).toBe(1 + 5 * 24);
  });

  test('and across the autumn change (07:00Z, then 08:00Z)', async () => {
    vi.useFakeTimers({ now: Date.parse('2026-10-23T12:00:00Z') });
    const s = start();
    await scheduler?.ready;
    await vi.advanceTimersByTimeAsync(4 * DAY);
    expect(s.sent.map((x) => iso(x.at))).toEqual(['2026-10-24T07:00:00.000Z', '2026-10-25T08:00:00.000Z', '2026-10-26T08:00:00.000Z', '2026-10-27T08:00:00.000Z']);
    expect(await s.stored()).toBe(4);
  });

  test('a summary missed while the process was down is sent once at the next start, and not again', async () => {
    vi.useFakeTimers({ now: Date.parse('2026-03-31T12:00:00Z') });
    await summaryMarker(store.kv).set(Date.parse('2026-03-29T07:00:00Z')); // last sent 2 days ago
    const first = start();
    await scheduler?.ready;
    expect(first.sent.map((x) => iso(x.scheduledFor))).toEqual(['2026-03-31T07:00:00.000Z']);
    expect(await first.stored()).toBe(1);
    await scheduler?.stop();

    const second = start();
    await scheduler?.ready;
    expect(second.sent).toEqual([]);
    expect(await second.stored()).toBe(1);
    // The next scheduled one still comes, once.
    await vi.advanceTimersByTimeAsync(DAY);
    expect(second.sent.map((x) => iso(x.scheduledFor))).toEqual(['2026-04-01T07:00:00.000Z']);
    expect(await second.stored()).toBe(2);
  });
});

describe('tick', () => {
  test('never overlaps: triggers during a long tick are skipped and counted; duration and errors are logged', async () => {
    vi.useFakeTimers({ now: Date.parse('2026-01-05T09:00:00Z') });
    const log = recordingLogger();
    let release: () => void = () => undefined;
    let running = 0;
    let maxRunning = 0;
    let calls = 0;
    start({
      tickIntervalMs: 15_000,
      logger: log.logger,
      tick: async () => {
        calls++;
        running++;
        maxRunning = Math.max(maxRunning, running);
        try {
          if (calls === 1) await new Promise<void>((r) => (release = r)); // a slow first tick
          if (calls === 2) throw new Error('venue exploded');
        } finally {
          running--;
        }
      },
    });
    await vi.advanceTimersByTimeAsync(60_000); // 4 triggers while the first tick hangs
    expect(calls).toBe(1);
    release();
    await vi.advanceTimersByTimeAsync(30_000); // 2 more ticks: one fails, one succeeds
    expect(calls).toBe(3);
    expect(maxRunning).toBe(1);
    expect(scheduler?.stats()).toEqual({ ticks: 2, failed: 1, overlapped: 4 });
    const finished = log.lines.filter((l) => l['msg'] === 'tick finished');
    expect(finished).toHaveLength(2);
    expect(finished[0]).toMatchObject({ job: 'tick', ms: 60_000 });
    expect(log.lines.filter((l) => l['msg'] === 'tick failed')).toEqual([expect.objectContaining({ level: 50, job: 'tick', err: expect.objectContaining({ message: 'venue exploded' }) })]);
    expect(log.lines.filter((l) => l['msg'] === 'tick skipped: the previous tick is still running')).toHaveLength(4);
  });

  test('an interval cron cannot express (45 s) runs on a plain timer, without overlap', async () => {
    vi.useFakeTimers({ now: Date.parse('2026-01-05T09:00:00Z') });
    const times: number[] = [];
    start({ tickIntervalMs: 45_000, tick: async () => void times.push(Date.now()) });
    await vi.advanceTimersByTimeAsync(180_000);
    expect(times.map((t) => (t - Date.parse('2026-01-05T09:00:00Z')) / 1000)).toEqual([0, 45, 90, 135, 180]);
  });

  test('stop waits for the running tick and no tick starts after it', async () => {
    vi.useFakeTimers({ now: Date.parse('2026-01-05T09:00:00Z') });
    let calls = 0;
    let done = false;
    let tickStarted!: () => void;
    const started = new Promise<void>((r) => (tickStarted = r));
    start({ tickIntervalMs: 15_000, tick: async () => { calls++; tickStarted(); await new Promise((r) => setTimeout(r, 5_000)); done = true; } });
    // The start-up tick begins once the (async) summary marker was read: stop while it runs.
    await started;
    const stopping = scheduler!.stop();
    await vi.advanceTimersByTimeAsync(5_000);
    await stopping;
    expect(done).toBe(true);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(calls).toBe(1);
    scheduler = undefined;
  });
});
