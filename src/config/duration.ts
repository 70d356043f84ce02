import { z } from 'zod';

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Parses `250ms`, `15s`, `30m`, `4h`, `7d` (or a bare number of milliseconds) to milliseconds. */
export function parseDuration(input: string | number): number | undefined {
  if (typeof input === 'number') return Number.isFinite(input) && input >= 0 ? input : undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)\s*$/.exec(input);
  if (!m?.[1] || !m[2]) return undefined;
  const unit = UNIT_MS[m[2]];
  return unit === undefined ? undefined : Math.round(Number(m[1]) * unit);
}

/** A zod field for durations; the parsed value is milliseconds. */
export const duration = z.union([z.string(), z.number()]).transform((v, ctx) => {
  const ms = parseDuration(v);
  if (ms === undefined) {
    ctx.addIssue({ code: 'custom', message: `expected a duration such as 15s, 30m or 4h, got ${JSON.stringify(v)}` });
    return z.NEVER;
  }
  return ms;
});
