import { cronParser } from '../config/cron-parser.js';

/**
 * The most recent time ≤ `now` at which `expression` fires in `timeZone` (DST handled by
 * cron-parser/luxon). node-cron, which fires the job, can only look forward.
 */
export function previousOccurrence(expression: string, timeZone: string, now: number): number | undefined {
  try {
    // prev() is strictly before currentDate; +1 ms makes an occurrence exactly at `now` count.
    return cronParser().parse(expression, { tz: timeZone, currentDate: new Date(now + 1) }).prev().getTime();
  } catch {
    return undefined;
  }
}

export function nextOccurrence(expression: string, timeZone: string, after: number): number | undefined {
  try {
    return cronParser().parse(expression, { tz: timeZone, currentDate: new Date(after) }).next().getTime();
  } catch {
    return undefined;
  }
}

/**
 * A cron expression (with seconds) that fires every `ms`, when the interval divides a minute, an
 * hour or a day evenly; undefined otherwise (the scheduler then uses a plain timer).
 */
export function intervalToCron(ms: number): string | undefined {
  if (!Number.isInteger(ms) || ms < 1000 || ms % 1000 !== 0) return undefined;
  const s = ms / 1000;
  if (s < 60) return 60 % s === 0 ? (s === 1 ? '* * * * * *' : `*/${s} * * * * *`) : undefined;
  if (s % 60 !== 0) return undefined;
  const m = s / 60;
  if (m < 60) return 60 % m === 0 ? (m === 1 ? '0 * * * * *' : `0 */${m} * * * *`) : undefined;
  if (m % 60 !== 0) return undefined;
  const h = m / 60;
  if (h < 24) return 24 % h === 0 ? (h === 1 ? '0 0 * * * *' : `0 0 */${h} * * *`) : undefined;
  return h === 24 ? '0 0 0 * * *' : undefined;
}
