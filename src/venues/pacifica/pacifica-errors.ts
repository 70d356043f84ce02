import { ErrorCode } from '../../core/errors.js';
import type { VenueId } from '../../core/types.js';
import { safeSnippet } from '../http/response-body.js';
import { parseRetryAfter } from '../http/retry-after.js';
import { statusError, withVenueDetail, type RawResponse } from '../http/status-errors.js';
import { VenueError } from '../http/venue-error.js';
import { errorEnvelope } from './pacifica-schemas.js';

const ACCOUNT_NOT_FOUND = 1;

/**
 * Pacifica's `{success:false, error, code}` envelope: `code` is an HTTP-like status, or for HTTP 422
 * a business code (1 = account not found, the one that matters for reads; venues.md §1.12).
 * A JSON 403 is "restricted region / beta access", unlike the CloudFront HTML 403.
 */
export function inspectPacifica(res: RawResponse, where: { venue: VenueId; endpoint: string }, now: number): VenueError | undefined {
  if (res.body.kind !== 'json') return undefined;
  const env = errorEnvelope.safeParse(res.body.value);
  if (!env.success) return undefined;
  const failed = env.data.success === false || res.status >= 400;
  if (!failed) return undefined;
  const bodyCode = env.data.code ?? undefined;
  const status = res.status >= 400 ? res.status : bodyCode !== undefined && bodyCode >= 400 && bodyCode < 600 ? bodyCode : 400;
  const detail = env.data.error ? `: ${safeSnippet(env.data.error)}` : '';
  const base = { ...where, status, ...(bodyCode !== undefined ? { venueCode: bodyCode } : {}) };
  if (status === 422 && bodyCode === ACCOUNT_NOT_FOUND) {
    return new VenueError(`pacifica: account not found`, { ...base, kind: 'not-found', code: ErrorCode.InvalidAccount, retryable: false });
  }
  if (status === 403) {
    return new VenueError(`pacifica ${where.endpoint}: access denied${detail}`, { ...base, kind: 'auth', code: ErrorCode.PermissionDenied, retryable: false });
  }
  const generic = statusError({ ...res, status }, where, parseRetryAfter(res.headers['retry-after'], now));
  return withVenueDetail(generic, bodyCode, env.data.error ? safeSnippet(env.data.error) : undefined);
}
