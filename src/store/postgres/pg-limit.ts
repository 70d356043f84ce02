/**
 * A bound LIMIT as SQLite reads it: a negative one means no limit (LIMIT NULL here, where a negative
 * LIMIT is an error). A fraction fails in both.
 */
export function limitParam(limit: number): number | null {
  return limit < 0 ? null : limit;
}
