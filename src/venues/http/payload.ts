import type { z } from 'zod';
import type { VenueId } from '../../core/types.js';
import { venueErrors } from './venue-error.js';

/**
 * Validate a venue payload against its schema. A mismatch is error 1005 naming the first bad field
 * path (never its value); not retryable, since a changed API does not fix itself on the next tick.
 */
export function parsePayload<S extends z.ZodType>(schema: S, json: unknown, where: { venue: VenueId; endpoint: string }): z.output<S> {
  const r = schema.safeParse(json);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const path = issue && issue.path.length > 0 ? issue.path.map(String).join('.') : '(root)';
  return failPayload(where, `${path}: ${issue?.message ?? 'invalid'}`, r.error);
}

function failPayload(where: { venue: VenueId; endpoint: string }, what: string, cause: unknown): never {
  throw venueErrors.badPayload(where, `unexpected shape at ${what}`, false, cause);
}

/**
 * Validate each row of a list on its own and drop the rows that do not fit (a delisted contract with
 * empty strings must not cost every other symbol its price). Only a list with rows but none usable fails.
 */
export function parseRows<S extends z.ZodType>(schema: S, json: unknown, where: { venue: VenueId; endpoint: string }): { rows: z.output<S>[]; skipped: number } {
  if (!Array.isArray(json)) return failPayload(where, '(root): expected an array', undefined);
  const rows: z.output<S>[] = [];
  for (const item of json) {
    const r = schema.safeParse(item);
    if (r.success) rows.push(r.data);
  }
  if (json.length > 0 && rows.length === 0) {
    parsePayload(schema, json[0], where); // throws, naming the first row's bad field
    return failPayload(where, 'no usable rows', undefined);
  }
  return { rows, skipped: json.length - rows.length };
}
