import cron, { type ScheduledTask } from 'node-cron';
import type { Logger } from 'pino';
import type { Clock } from '../core/clock.js';
import type { SummaryMarker } from '../core/summary/daily-job.js';
import { intervalToCron, previousOccurrence } from './scheduler-cron.js';

export interface SchedulerOptions {
  /** The tick (sync → evaluate → dispatch) runs this often. */
  tickIntervalMs: number;
  tick: () => Promise<unknown>;
  /** Cron expression of the daily summary (5 fields, or 6 with seconds), read in `summaryTimezone`. */
  summaryCron: string;
  summaryTimezone: string;
  /** Stores the summary for the given scheduled time; must be idempotent per scheduledFor (createDailySummaryJob is). */
  sendSummary: (scheduledFor: number) => Promise<unknown>;
  /** Where the last summary sent is remembered (summaryMarker(store.kv)). */
  marker: SummaryMarker;
  /** Must agree with the timers node-cron uses (the system clock; under fake timers, Date.now). */
  clock: Clock;
  logger: Logger;
  /** Run one tick right away instead of waiting for the first interval (default true). */
  tickAtStart?: boolean;
}

export interface SchedulerStats {
  ticks: number;
  failed: number;
  /** Triggers dropped because the previous tick was still running. */
  overlapped: number;
}

export interface Scheduler {
  /** Settles after the start-up tick and the missed-summary check. */
  ready: Promise<void>;
  /** Runs a tick now unless one is running; resolves false when it was skipped. */
  runTick(): Promise<boolean>;
  stats(): SchedulerStats;
  /** Stops both jobs and waits for a running tick to finish. */
  stop(): Promise<void>;
}

/** Throws a one-line error naming what is wrong with a cron expression or a time zone. */
export function assertSchedule(expression: string, timeZone: string, what: string): void {
  if (!cron.validate(expression)) throw new Error(`${what}: invalid cron expression "${expression}"`);
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
  } catch {
    throw new Error(`${what}: unknown time zone "${timeZone}" (use an IANA name such as Europe/Berlin)`);
  }
  if (previousOccurrence(expression, timeZone, Date.UTC(2030, 0, 1)) === undefined) throw new Error(`${what}: cron expression "${expression}" never fires`);
}

/**
 * The two schedules (design.md §1): the tick every `tickIntervalMs` with no overlap, and the daily
 * summary at a cron time in an explicit time zone. Both run on node-cron; a tick interval that cron
 * cannot express (45 s) falls back to a plain timer. At start, a summary missed while the process
 * was down (the latest scheduled time is after the stored marker) is sent once; on the very first
 * start there is no marker and nothing was missed, so the marker is only initialised.
 */
export function startScheduler(opts: SchedulerOptions): Scheduler {
  const log = opts.logger.child({ component: 'scheduler' });
  assertSchedule(opts.summaryCron, opts.summaryTimezone, 'schedule.dailySummary');
  if (!(opts.tickIntervalMs >= 1000)) throw new Error(`schedule.tickInterval: must be at least 1s, got ${opts.tickIntervalMs} ms`);
  const stats: SchedulerStats = { ticks: 0, failed: 0, overlapped: 0 };
  let running: Promise<void> | undefined;
  let stopped = false;

  const runTick = async (): Promise<boolean> => {
    if (stopped) return false;
    if (running) {
      stats.overlapped++;
      log.warn({ job: 'tick', overlapped: stats.overlapped }, 'tick skipped: the previous tick is still running');
      return false;
    }
    const started = opts.clock.now();
    running = (async () => {
      try {
        const result = await opts.tick();
        stats.ticks++;
        // The tick may report what it did (seq, accounts, failures): log it with the duration.
        const fields = result !== null && typeof result === 'object' ? result : {};
        log.info({ job: 'tick', ...fields, ms: opts.clock.now() - started }, 'tick finished');
      } catch (err) {
        stats.failed++;
        log.error({ job: 'tick', ms: opts.clock.now() - started, err }, 'tick failed');
      }
    })();
    try {
      await running;
    } finally {
      running = undefined;
    }
    return true;
  };

  let summaryRunning = false;
  const sendDueSummary = async (trigger: 'cron' | 'missed' | 'catch-up'): Promise<void> => {
    if (summaryRunning || stopped) return;
    summaryRunning = true;
    try {
      const scheduledFor = previousOccurrence(opts.summaryCron, opts.summaryTimezone, opts.clock.now());
      const last = await opts.marker.get();
      if (scheduledFor === undefined || (last !== undefined && last >= scheduledFor)) return;
      log.info({ job: 'summary', trigger, scheduledFor: new Date(scheduledFor).toISOString() }, 'daily summary due');
      await opts.sendSummary(scheduledFor);
    } catch (err) {
      log.error({ job: 'summary', trigger, err }, 'daily summary failed');
    } finally {
      summaryRunning = false;
    }
  };

  const tickCron = intervalToCron(opts.tickIntervalMs);
  let tickTask: ScheduledTask | undefined;
  let tickTimer: NodeJS.Timeout | undefined;
  if (tickCron) {
    tickTask = cron.schedule(tickCron, () => runTick(), { name: 'tick', timezone: 'UTC', noOverlap: false });
  } else {
    tickTimer = setInterval(() => void runTick(), opts.tickIntervalMs);
  }
  const summaryTask = cron.schedule(opts.summaryCron, () => sendDueSummary('cron'), { name: 'daily-summary', timezone: opts.summaryTimezone, noOverlap: true });
  // node-cron skips a run it notices too late (a blocked event loop, a suspended laptop): send it anyway.
  summaryTask.on('execution:missed', () => sendDueSummary('missed'));
  log.info({ tickIntervalMs: opts.tickIntervalMs, tickCron: tickCron ?? 'timer', summaryCron: opts.summaryCron, summaryTimezone: opts.summaryTimezone }, 'scheduler started');

  const startUp = async (): Promise<void> => {
    try {
      const latest = previousOccurrence(opts.summaryCron, opts.summaryTimezone, opts.clock.now());
      if ((await opts.marker.get()) === undefined) {
        if (latest !== undefined) await opts.marker.set(latest);
      } else {
        await sendDueSummary('catch-up');
      }
    } catch (err) {
      log.error({ job: 'summary', err }, 'missed-summary check failed');
    }
    if (opts.tickAtStart ?? true) await runTick();
  };

  return {
    ready: startUp(),
    runTick,
    stats: () => ({ ...stats }),
    async stop() {
      stopped = true;
      if (tickTimer) clearInterval(tickTimer);
      await tickTask?.destroy();
      await summaryTask.destroy();
      await running;
    },
  };
}
