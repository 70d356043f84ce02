import type { CronCalendar } from '../core/alerts/maintenance.js';
import { nextOccurrence } from './scheduler-cron.js';

/**
 * Maintenance windows' cron times (src/core/alerts/maintenance.ts), by cron-parser as the daily summary
 * is: DST-safe (a 02:00 that the spring change skips fires at 03:00; the autumn change's 02:00 fires
 * once). Parsed expressions are not kept: each call is a few tens of µs, a few per tick.
 */
export const cronCalendar: CronCalendar = {
  nextAfter: (expression, timeZone, after) => nextOccurrence(expression, timeZone, after),
};
