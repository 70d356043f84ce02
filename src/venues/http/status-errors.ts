import { ErrorCode } from '../../core/errors.js';
import type { VenueId } from '../../core/types.js';
import type { ParsedBody } from './response-body.js';
import { VenueError } from './venue-error.js';

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: ParsedBody;
}

interface Where {
  venue: VenueId;
  endpoint: string;
}

/**
 * The error for a non-2xx response that the venue's own mapper did not claim.
 * 5xx / 408 / 429 / 418 are worth retrying; an HTML 403 is a CDN/WAF rejection (fix the request
 * or the region, retrying will not help), a JSON 401/403 is a permission problem.
 */
export function statusError(res: RawResponse, w: Where, retryAfterMs: number | undefined): VenueError {
  const { status, body } = res;
  const html = body.kind === 'html';
  const base = { ...w, status, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
  if (status === 429 || status === 418) {
    const what = status === 418 ? 'IP banned for exceeding rate limits' : 'rate limited';
    const after = retryAfterMs !== undefined ? `, retry after ${Math.ceil(retryAfterMs / 1000)} s` : '';
    return new VenueError(`${w.venue} ${w.endpoint}: ${what} (HTTP ${status}${after})`, { ...base, kind: 'rate-limited', code: ErrorCode.ConnectionFailed, retryable: true });
  }
  if (status >= 500 || status === 408) {
    return new VenueError(`${w.venue} ${w.endpoint}: venue error (HTTP ${status})`, { ...base, kind: 'server', code: ErrorCode.ConnectionFailed, retryable: true });
  }
  if (status === 403 && html) {
    const title = body.title ? `: ${body.title}` : '';
    return new VenueError(`${w.venue} ${w.endpoint}: rejected by the venue's CDN/WAF (HTTP 403 HTML page${title})`, {
      ...base, kind: 'cdn-rejected', code: ErrorCode.ConnectionFailed, retryable: false,
    });
  }
  if (status === 401 || status === 403) {
    return new VenueError(`${w.venue} ${w.endpoint}: permission denied (HTTP ${status})`, { ...base, kind: 'auth', code: ErrorCode.PermissionDenied, retryable: false });
  }
  if (status === 404) {
    return new VenueError(`${w.venue} ${w.endpoint}: not found (HTTP 404)`, { ...base, kind: 'not-found', code: ErrorCode.ConnectionFailed, retryable: false });
  }
  return new VenueError(`${w.venue} ${w.endpoint}: request rejected (HTTP ${status}${html ? ', HTML page' : ''})`, {
    ...base, kind: 'rejected', code: ErrorCode.ConnectionFailed, retryable: false,
  });
}

/** The same error with the venue's own code and a short detail appended (the venue's message, trimmed). */
export function withVenueDetail(err: VenueError, venueCode: number | undefined, detail: string | undefined): VenueError {
  return new VenueError(detail ? `${err.message}: ${detail}` : err.message, {
    venue: err.venue,
    endpoint: err.endpoint,
    kind: err.kind,
    code: err.code,
    retryable: err.retryable,
    ...(err.status !== undefined ? { status: err.status } : {}),
    ...(err.retryAfterMs !== undefined ? { retryAfterMs: err.retryAfterMs } : {}),
    ...(venueCode !== undefined ? { venueCode } : {}),
  });
}
