import { DeltaOpsError, ErrorCode, type ErrorCodeValue } from '../../core/errors.js';
import type { VenueId } from '../../core/types.js';
import { formatBytes } from './body-limit.js';

/** Why a venue call failed; drives retry, circuit-breaker accounting and the user-facing code. */
export type VenueFailureKind =
  | 'timeout'
  | 'network'
  | 'proxy'
  | 'rate-limited'
  | 'server'
  | 'cdn-rejected'
  | 'auth'
  | 'not-found'
  | 'rejected'
  | 'bad-payload'
  | 'circuit-open';

export interface VenueErrorInit {
  venue: VenueId;
  /** `GET /fapi/v3/account`: method and path only, never the query (it may hold a signature). */
  endpoint: string;
  kind: VenueFailureKind;
  code: ErrorCodeValue;
  retryable: boolean;
  status?: number;
  /** The venue's own error code (Binance `-1021`, Pacifica business code). */
  venueCode?: number;
  retryAfterMs?: number;
  cause?: unknown;
}

/**
 * A DeltaOpsError that also says what went wrong at the venue, for retry logic and logs.
 * The message is short and safe: no response body, no query string, no key material.
 */
export class VenueError extends DeltaOpsError {
  readonly venue: VenueId;
  readonly endpoint: string;
  readonly kind: VenueFailureKind;
  readonly status?: number;
  readonly venueCode?: number;
  readonly retryAfterMs?: number;

  constructor(message: string, init: VenueErrorInit) {
    super(init.code, message, { retryable: init.retryable, cause: init.cause });
    this.name = 'VenueError';
    this.venue = init.venue;
    this.endpoint = init.endpoint;
    this.kind = init.kind;
    if (init.status !== undefined) this.status = init.status;
    if (init.venueCode !== undefined) this.venueCode = init.venueCode;
    if (init.retryAfterMs !== undefined) this.retryAfterMs = init.retryAfterMs;
  }
}

export function isVenueError(e: unknown): e is VenueError {
  return e instanceof VenueError;
}

/**
 * Failures that say the venue, or the path to it (the breaker is per egress, so a proxy counts), is
 * unhealthy; a 401 or a bad payload means the venue answered.
 */
export function countsAgainstVenue(e: VenueError): boolean {
  return e.kind === 'timeout' || e.kind === 'network' || e.kind === 'proxy' || e.kind === 'server' || e.kind === 'rate-limited';
}

interface Where {
  venue: VenueId;
  endpoint: string;
}

export const venueErrors = {
  timeout: (w: Where, ms: number, cause?: unknown) =>
    new VenueError(`${w.venue} ${w.endpoint} timed out after ${ms} ms`, { ...w, kind: 'timeout', code: ErrorCode.VenueTimeout, retryable: true, cause }),
  aborted: (w: Where, cause?: unknown) =>
    new VenueError(`${w.venue} ${w.endpoint} was cancelled by the caller's deadline`, { ...w, kind: 'timeout', code: ErrorCode.VenueTimeout, retryable: true, cause }),
  network: (w: Where, cause?: unknown) =>
    new VenueError(`${w.venue} ${w.endpoint}: connection failed (${errorCodeOf(cause)})`, { ...w, kind: 'network', code: ErrorCode.ConnectionFailed, retryable: true, cause }),
  proxy: (w: Where, cause?: unknown) =>
    new VenueError(`${w.venue} ${w.endpoint}: proxy connection failed (${errorCodeOf(cause)})`, { ...w, kind: 'proxy', code: ErrorCode.ConnectionFailed, retryable: true, cause }),
  circuitOpen: (w: Where, retryInMs: number) =>
    new VenueError(`${w.venue} is failing; calls paused for ${Math.max(1, Math.ceil(retryInMs / 1000))} s (circuit open)`, {
      ...w, kind: 'circuit-open', code: ErrorCode.ConnectionFailed, retryable: true, retryAfterMs: retryInMs,
    }),
  badPayload: (w: Where, what: string, retryable: boolean, cause?: unknown, status?: number) =>
    new VenueError(`${w.venue} ${w.endpoint}: unusable response (${what})`, {
      ...w, kind: 'bad-payload', code: ErrorCode.MarketDataUnavailable, retryable, cause, ...(status !== undefined ? { status } : {}),
    }),
  /** Not retryable: the same venue answers the same way on the next attempt, and each costs the limit in memory. */
  bodyTooLarge: (w: Where, limitBytes: number, declaredBytes: number | undefined, status: number): VenueError =>
    venueErrors.badPayload(
      w,
      declaredBytes !== undefined
        ? `body of ${formatBytes(declaredBytes)} declared, over the ${formatBytes(limitBytes)} limit`
        : `body over the ${formatBytes(limitBytes)} limit`,
      false,
      undefined,
      status,
    ),
};

/** A short, safe identifier of a low-level error (`ECONNREFUSED`, `UND_ERR_SOCKET`), never its message. */
export function errorCodeOf(e: unknown): string {
  let cur: unknown = e;
  for (let depth = 0; depth < 4 && cur instanceof Error; depth++) {
    const code = (cur as Error & { code?: unknown }).code;
    if (typeof code === 'string' && /^[A-Z0-9_]{2,40}$/.test(code)) return code;
    cur = cur.cause;
  }
  return e instanceof Error ? e.name : 'unknown';
}
