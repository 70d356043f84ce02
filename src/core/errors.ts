/** Error codes of the control-plane contract (design.md §5). */
export const ErrorCode = {
  InvalidAccount: 1001,
  DeviationOverLimit: 1002,
  HedgePlanFailed: 1003,
  BlockedByRiskAlert: 1004,
  MarketDataUnavailable: 1005,
  VenueTimeout: 2001,
  ConnectionFailed: 2002,
  PermissionDenied: 3001,
  TooManyRequests: 3002,
} as const;
export type ErrorCodeValue = (typeof ErrorCode)[keyof typeof ErrorCode];

/**
 * An error whose `message` is safe to show a user. `cause` keeps the internal detail for logs.
 * `retryable` tells callers (sync, outbox) whether trying again may help.
 */
export class DeltaOpsError extends Error {
  readonly code: ErrorCodeValue;
  readonly retryable: boolean;
  constructor(code: ErrorCodeValue, message: string, opts: { retryable?: boolean; cause?: unknown } = {}) {
    super(message, { cause: opts.cause });
    this.name = 'DeltaOpsError';
    this.code = code;
    this.retryable = opts.retryable ?? false;
  }
}

export function isDeltaOpsError(e: unknown): e is DeltaOpsError {
  return e instanceof DeltaOpsError;
}
