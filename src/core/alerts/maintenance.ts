import type { MaintenanceWindow } from './paging.js';

/**
 * When a cron expression fires, read in an IANA time zone: the port the core evaluates maintenance
 * windows through (src/app/cron-calendar.ts implements it with cron-parser, DST included).
 */
export interface CronCalendar {
  /** The first time strictly after `after` at which `expression` fires in `timeZone`; undefined when it never does. */
  nextAfter(expression: string, timeZone: string, after: number): number | undefined;
}

/** One occurrence of a configured window (`index` into `alerts.maintenance`). */
export interface WindowOccurrence {
  index: number;
  window: MaintenanceWindow;
  startsAt: number;
  endsAt: number;
}

/** Occurrences of one window looked at when they overlap (a window longer than its cron period). */
const MAX_OVERLAPPING = 1_000;

/**
 * The windows in force at `now`: for each, the latest occurrence that started at or before `now` and
 * has not ended. Only "next" is asked of the calendar, starting one window length before `now`: a
 * start found there that is not after `now` is in force. (Looking backwards instead, cron-parser's
 * `prev()` disagrees with `next()` across DST changes: it skips the 03:00 that stands in for the
 * missing 02:00 of the spring change, and finds the second 02:00 of the autumn one, which `next()`
 * does not fire.)
 */
export function windowsInForce(windows: readonly MaintenanceWindow[], calendar: CronCalendar, now: number): WindowOccurrence[] {
  const out: WindowOccurrence[] = [];
  windows.forEach((window, index) => {
    let start = calendar.nextAfter(window.cron, window.timezone, now - window.duration);
    let latest: number | undefined;
    for (let i = 0; start !== undefined && start <= now && i < MAX_OVERLAPPING; i++) {
      latest = start;
      start = calendar.nextAfter(window.cron, window.timezone, start);
    }
    if (latest !== undefined) out.push({ index, window, startsAt: latest, endsAt: latest + window.duration });
  });
  return out;
}

/** The next window to start after `now`, whichever window it is. */
export function nextWindow(windows: readonly MaintenanceWindow[], calendar: CronCalendar, now: number): WindowOccurrence | undefined {
  let best: WindowOccurrence | undefined;
  windows.forEach((window, index) => {
    const startsAt = calendar.nextAfter(window.cron, window.timezone, now);
    if (startsAt !== undefined && (best === undefined || startsAt < best.startsAt)) best = { index, window, startsAt, endsAt: startsAt + window.duration };
  });
  return best;
}
