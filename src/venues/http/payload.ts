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
