import { ErrorCode } from '../../core/errors.js';
import type { VenueId } from '../../core/types.js';
import { safeSnippet } from '../http/response-body.js';
import { parseRetryAfter } from '../http/retry-after.js';
import { statusError, withVenueDetail, type RawResponse } from '../http/status-errors.js';
import { VenueError } from '../http/venue-error.js';
import { binanceError } from './binance-like-schemas.js';

export const INVALID_TIMESTAMP = -1021;
const INVALID_SIGNATURE = -1022;
const KEY_REJECTED = new Set([-1002, -2014, -2015]);
const BAD_SYMBOL = -1121;

/**
 * Binance/Aster `{code, msg}` errors (venues.md §2.5, §3.5). -1021 is marked so the adapter can resync its
 * clock and try once more; key and signature problems are 3001 and not retryable; a 418 ban carries its
 * end time in the message when there is no Retry-After.
 */
export function inspectBinanceLike(res: RawResponse, where: { venue: VenueId; endpoint: string }, now: number): VenueError | undefined {
  if (res.status < 400 || res.body.kind !== 'json') return undefined;
  const parsed = binanceError.safeParse(res.body.value);
  if (!parsed.success) return undefined;
  const { code, msg } = parsed.data;
  const base = { ...where, status: res.status, venueCode: code };
  if (code === INVALID_TIMESTAMP) {
    return new VenueError(`${where.venue} ${where.endpoint}: request timestamp outside recvWindow (clock skew, code -1021)`, {
      ...base, kind: 'rejected', code: ErrorCode.ConnectionFailed, retryable: true,
    });
  }
  if (code === INVALID_SIGNATURE) {
    return new VenueError(`${where.venue}: signature rejected; check the API secret (code -1022)`, { ...base, kind: 'auth', code: ErrorCode.PermissionDenied, retryable: false });
  }
  if (KEY_REJECTED.has(code)) {
    return new VenueError(`${where.venue}: API key rejected: invalid key, IP not allowed, or missing permission (code ${code})`, {
      ...base, kind: 'auth', code: ErrorCode.PermissionDenied, retryable: false,
    });
  }
  if (code === BAD_SYMBOL) {
    return new VenueError(`${where.venue} ${where.endpoint}: unknown symbol (code -1121)`, { ...base, kind: 'rejected', code: ErrorCode.MarketDataUnavailable, retryable: false });
  }
  let retryAfter = parseRetryAfter(res.headers['retry-after'], now);
  if (retryAfter === undefined && res.status === 418) {
    const until = /banned until (\d{13})/.exec(msg ?? '')?.[1];
    if (until) retryAfter = Math.max(0, Number(until) - now);
  }
  return withVenueDetail(statusError(res, where, retryAfter), code, msg ? safeSnippet(msg) : undefined);
}
