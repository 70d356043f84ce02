import { parseDuration } from '../config/duration.js';

/**
 * When a planned silence starts (`/alerts silence start:…`), as people type it:
 * - a duration from now: `30m`, `2h`, `1d`;
 * - a date-time with its offset: `2026-03-29T01:00Z`, `2026-03-29 03:00+02:00`;
 * - a local date-time or time of day in `timeZone` (the display time zone): `2026-03-29 02:00`, or
 *   `02:00` for the next 02:00 to come. A local time the spring DST change skips is taken as the
 *   moment after the change (02:30 on the changeover day in Berlin is 03:30 CEST).
 * Undefined when it is none of these.
 */
export function parseStart(input: string, now: number, timeZone: string): number | undefined {
  const text = input.trim();
  const ms = parseDuration(text);
  if (ms !== undefined) return now + ms;
  const withOffset = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2})?)(Z|[+-]\d{2}:?\d{2})$/i.exec(text);
  if (withOffset) {
    const t = Date.parse(`${withOffset[1]}T${withOffset[2]}${withOffset[3]!.toUpperCase()}`);
    return Number.isFinite(t) ? t : undefined;
  }
  const local = /^(?:(\d{4})-(\d{2})-(\d{2})[T ])?(\d{2}):(\d{2})$/.exec(text);
  if (!local) return undefined;
  const [hour, minute] = [Number(local[4]), Number(local[5])];
  if (hour > 23 || minute > 59) return undefined;
  try {
    if (local[1] !== undefined) {
      const [y, mo, d] = [Number(local[1]), Number(local[2]), Number(local[3])];
      if (mo < 1 || mo > 12 || d < 1 || d > 31) return undefined;
      return zonedToUtc(y, mo, d, hour, minute, timeZone);
    }
    // The next such time of day: today's, else tomorrow's.
    const today = partsIn(now, timeZone);
    const first = zonedToUtc(today.year, today.month, today.day, hour, minute, timeZone);
    return first > now ? first : zonedToUtc(today.year, today.month, today.day + 1, hour, minute, timeZone);
  } catch {
    // An unknown time zone (RangeError from Intl).
    return undefined;
  }
}

const formats = new Map<string, Intl.DateTimeFormat>();

interface Parts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function partsIn(ms: number, timeZone: string): Parts {
  let f = formats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    formats.set(timeZone, f);
  }
  const p: Record<string, number> = {};
  for (const part of f.formatToParts(ms)) if (part.type !== 'literal') p[part.type] = Number(part.value);
  return { year: p['year'] ?? 0, month: p['month'] ?? 0, day: p['day'] ?? 0, hour: p['hour'] ?? 0, minute: p['minute'] ?? 0, second: p['second'] ?? 0 };
}

/** How far `timeZone` is ahead of UTC at the instant `ms`. */
function offsetAt(ms: number, timeZone: string): number {
  const p = partsIn(ms, timeZone);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - Math.floor(ms / 1000) * 1000;
}

/** The instant a wall-clock time in `timeZone` stands for (Date.UTC normalises a day past the month's end). */
function zonedToUtc(year: number, month: number, day: number, hour: number, minute: number, timeZone: string): number {
  const wall = Date.UTC(year, month - 1, day, hour, minute);
  const first = wall - offsetAt(wall, timeZone);
  // Across a DST change the offset at the guess and at the answer differ: the answer's offset holds.
  const second = wall - offsetAt(first, timeZone);
  return second === first ? first : Math.max(first, second);
}
